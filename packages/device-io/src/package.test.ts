import { join } from 'node:path';
import { indexExports } from '@mg/test-helpers';
import * as api from './index.js';

describe('the @mg/device-io package', () => {
  it('exports its public surface by name, values and types, and nothing else (a new name is a conscious change here)', () => {
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual([
      'AnswerMatch',
      'DeviceAddress',
      'DeviceAddressError',
      'DeviceConnectionError',
      'DeviceEncoding',
      'DeviceIoError',
      'DeviceIoErrorCode',
      'DeviceLogger',
      'DeviceNotConnectedError',
      'DeviceOptionError',
      'DeviceStoppedError',
      'DeviceWriteError',
      'Framer',
      'FramerSinks',
      'FramingOptions',
      'LengthFraming',
      'LineTransport',
      'LineTransportEvents',
      'LineTransportOptions',
      'ListenerError',
      'OverflowInfo',
      'ReconnectOptions',
      'RequestMatchError',
      'RequestOptions',
      'RequestTimeoutError',
      'RetryInfo',
      'SerialOptions',
      'SerialportUnavailableError',
      'StateChange',
      'TcpOptions',
      'TerminatorFraming',
      'TransportState',
      'WriteQueue',
      'WriteQueueFullError',
      'WriteQueueOptions',
      'WriteSink',
      'formatAddress',
      'isDeviceIoError',
      'parseAddress',
    ]);
  });
});
