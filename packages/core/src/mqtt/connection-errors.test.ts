import { describeConnectionError } from './connection-errors.js';

const o = { url: 'mqtts://broker.lan:8883', clientId: 'gw', username: 'alice' };
const withCode = (message: string, code: string | number) => Object.assign(new Error(message), { code });

describe('describeConnectionError', () => {
  it.each<[string, Error, RegExp, boolean]>([
    [
      'bad credentials (3.1.1)',
      withCode('Connection refused: Bad username or password', 4),
      /refused user "alice": .*Check \[MQTT\] username and password/,
      true,
    ],
    ['not authorised (5)', withCode('Connection refused: Not authorized', 135), /refused user "alice"/, true],
    ['identifier rejected', withCode('Connection refused: Identifier rejected', 2), /refused the connection: Connection refused: Identifier rejected/, true],
    ['server unavailable', withCode('Connection refused: Server unavailable', 3), /refused the connection/, false],
    [
      'unknown CA',
      withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      /TLS handshake with mqtts:\/\/broker\.lan:8883 failed \(SELF_SIGNED_CERT_IN_CHAIN\).*Check \[MQTT\] cafile/,
      true,
    ],
    ['wrong host name', withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), /host matches the certificate/, true],
    ['refused socket', withCode('connect ECONNREFUSED', 'ECONNREFUSED'), /connection refused \(is the broker running\?\)/, false],
    ['unknown host', withCode('getaddrinfo ENOTFOUND broker.lan', 'ENOTFOUND'), /host name not found/, false],
    ['anything else', new Error('weird'), /MQTT connection error with mqtts:\/\/broker\.lan:8883: weird/, false],
  ])('%s', (_name, err, message, fatal) => {
    const d = describeConnectionError(err, o);
    expect(d.message).toMatch(message);
    expect(d.fatal).toBe(fatal);
  });

  it('says to set version 3.1.1 when an MQTT 5 CONNECT gets return code 1 (NATS 2.9, aedes)', () => {
    const err = withCode('Connection refused: Unacceptable protocol version', 1);
    expect(describeConnectionError(err, { ...o, version: 5 })).toEqual({
      message: expect.stringMatching(/does not speak MQTT 5 .*: set \[MQTT\] version: 3\.1\.1$/),
      fatal: true,
    });
    expect(describeConnectionError(err, { ...o, version: 4 }).message).toMatch(/refused the connection/);
  });

  it('says that the broker did not answer the CONNECT in time', () => {
    expect(describeConnectionError(new Error('connack timeout'), o)).toEqual({
      message: expect.stringMatching(/accepted the connection but did not answer the MQTT CONNECT in time/),
      fatal: false,
    });
  });

  it('speaks of an anonymous client when there is no user name', () => {
    expect(describeConnectionError(withCode('Not authorized', 5), { ...o, username: '' }).message).toMatch(/refused an anonymous client/);
  });
});
