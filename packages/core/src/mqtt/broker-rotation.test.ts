import type { IClientOptions } from 'mqtt';
import { BrokerRotation } from './broker-rotation.js';
import { brokerEndpoints, parseBrokerList } from './brokers.js';

const endpoints = (hosts: string) => brokerEndpoints(parseBrokerList(hosts, 1883), 'mqtts', '');

it('goes round the brokers from the one just lost, aiming the client (and its TLS name) at each', () => {
  const rotation = new BrokerRotation(endpoints('n1, 10.0.0.2:1884, n3'));
  const options: IClientOptions & { servername?: string } = { host: 'n1', port: 1883, servername: 'n1' };
  expect(rotation.others).toBe(' (then mqtts://10.0.0.2:1884, mqtts://n3:1883, in turn)');
  expect(rotation.next(options)).toBe('mqtts://10.0.0.2:1884');
  expect(options).toMatchObject({ host: '10.0.0.2', port: 1884 });
  expect(options.servername).toBeUndefined(); // an address is no TLS server name
  expect(rotation.position).toBe(' (broker 2 of 3)');
  expect(rotation.next(options)).toBe('mqtts://n3:1883');
  expect(options).toMatchObject({ host: 'n3', port: 1883, servername: 'n3' });
  expect(rotation.next(options)).toBe('mqtts://n1:1883');
  expect(rotation.broker.url).toBe('mqtts://n1:1883');
});

it('stays on a single broker and says nothing of a list', () => {
  const rotation = new BrokerRotation(endpoints('n1'));
  const options: IClientOptions = { host: 'n1', port: 1883 };
  expect(rotation.next(options)).toBeUndefined();
  expect(options).toEqual({ host: 'n1', port: 1883 });
  expect([rotation.others, rotation.position]).toEqual(['', '']);
});
