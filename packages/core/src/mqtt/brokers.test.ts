import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@mg/config';
import { gatewayConfigSchema } from '../runtime/gateway-config.js';
import { BrokerListError, brokerEndpoints, brokerHostPort, parseBrokerEntry, parseBrokerList } from './brokers.js';

describe('parseBrokerList', () => {
  it.each<[string, string[]]>([
    ['127.0.0.1', ['127.0.0.1:1883']],
    ['broker.lan', ['broker.lan:1883']],
    ['a:1884, b, c:1885', ['a:1884', 'b:1883', 'c:1885']],
    ['127.0.0.1:4222,127.0.0.1:4223 ,  127.0.0.1:4224', ['127.0.0.1:4222', '127.0.0.1:4223', '127.0.0.1:4224']],
    ['[::1]:1884, [fe80::1]', ['[::1]:1884', '[fe80::1]:1883']],
    // A bare IPv6 address, as a single host was always accepted: no port then.
    ['::1', ['[::1]:1883']],
    ['mqtt_broker-1.local.', ['mqtt_broker-1.local.:1883']],
    ['a, b,', ['a:1883', 'b:1883']],
  ])('%s', (text, expected) => {
    expect(parseBrokerList(text, 1883).map(brokerHostPort)).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['a, , b', 2, /the entry is empty/],
    ['a, b:0', 2, /port after ":" must be a whole number from 1 to 65535, not "0"/],
    ['a:65536', 1, /from 1 to 65535, not "65536"/],
    ['a:x', 1, /not "x"/],
    ['a:', 1, /not ""/],
    ['mqtt://a:1883', 1, /without a scheme: \[MQTT\] protocol chooses the transport/],
    ['a b', 1, /no spaces; separate brokers with commas/],
    ['a, ::1:1883:x', 2, /an IPv6 address with a port goes in brackets/],
    ['[::1', 1, /IPv6 address in brackets/],
    ['[broker]:1883', 1, /IPv6 address in brackets/],
    ['[::1]:99999', 1, /from 1 to 65535/],
    ['b, c, 10.0.0.256', 3, /"10\.0\.0\.256" is not an IPv4 address/],
    ['bro/ker', 1, /"bro\/ker" is not a host name or an address/],
    ['-a', 1, /not a host name/],
  ])('refuses %s (entry %d)', (text, entry, expected) => {
    let caught: unknown;
    try {
      parseBrokerList(text, 1883);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BrokerListError);
    expect(caught).toMatchObject({ code: 'MQTT_HOST_INVALID', entry, message: expect.stringMatching(expected) });
  });

  it('gives each broker its URL with the protocol and WebSocket path of the configuration', () => {
    const brokers = [parseBrokerEntry('a', 443), parseBrokerEntry('[::1]:8083', 443)];
    expect(brokerEndpoints(brokers, 'wss', '/mqtt').map((b) => b.url)).toEqual(['wss://a:443/mqtt', 'wss://[::1]:8083/mqtt']);
  });
});

describe('[MQTT] host in a configuration file', () => {
  const load = (lines: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'mg-hosts-')), 'gw.conf');
    writeFileSync(file, `[MQTT]\nport: 1884\n${lines}\n`);
    return { file, load: () => loadConfig(gatewayConfigSchema, { files: [file] }) };
  };

  it('keeps the list as written; the port option is the default port', () => {
    const { load: read } = load('host: n1:4222, n2');
    expect(read().values.MQTT.host).toBe('n1:4222, n2');
  });

  it('names the file, the line, the option, the entry and what was expected', () => {
    const { file, load: read } = load('keepalive: 30\nhost: n1:4222, n2:42x22, n3');
    let caught: unknown;
    try {
      read();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problem = (caught as ConfigError).problems[0]!;
    expect(problem).toMatchObject({ file, line: 4, section: 'MQTT', option: 'host' });
    expect(problem.expected).toMatch(
      /^entry 2 of 3 \("n2:42x22"\): the port after ":" must be a whole number from 1 to 65535, not "42x22"; expected host or host:port, comma-separated/,
    );
    expect((caught as ConfigError).message).toContain(`${file}:4: [MQTT] host = "n1:4222, n2:42x22, n3": entry 2 of 3`);
  });

  it('refuses an empty host', () => {
    const { load: read } = load('host:');
    expect(read).toThrow(/\[MQTT\] host = "": is required: the broker/);
  });

  it('takes a list given as an array by a program', () => {
    const values = loadConfig(gatewayConfigSchema, { values: { MQTT: { host: ['n1:4222', 'n2:4223'] } } }).values.MQTT;
    expect(parseBrokerList(values.host, values.port).map(brokerHostPort)).toEqual(['n1:4222', 'n2:4223']);
  });
});
