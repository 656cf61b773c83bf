export { LineTransport } from './line-transport.js';
export type { AnswerPatterns, AskOptions, AskResult } from './ask.js';
export type { LineTransportOptions, ReconnectOptions, RequestOptions } from './options.js';
export type { LineTransportEvents, RetryInfo, StateChange, TransportState } from './events.js';
export type { AnswerMatch } from './request-matcher.js';
export type { TcpOptions } from './tcp-transport.js';
export type { SerialOptions } from './serial-transport.js';
export { Framer } from './framer.js';
export type { DeviceEncoding, FramerSinks, FramingOptions, LengthFraming, OverflowInfo, TerminatorFraming } from './framer.js';
export { WriteQueue } from './write-queue.js';
export type { WriteQueueOptions, WriteSink } from './write-queue.js';
export { parseAddress, formatAddress } from './address.js';
export type { DeviceAddress } from './address.js';
export type { DeviceLogger } from './logger.js';
export { PollScheduler } from './poll-scheduler.js';
export type {
  PollBackoffInfo,
  PollClock,
  PollCounters,
  PollInfo,
  PollItem,
  PollRecoveredInfo,
  PollSchedulerEvents,
  PollSchedulerOptions,
} from './poll-types.js';
export {
  DeviceIoError,
  DeviceOptionError,
  DeviceAddressError,
  SerialportUnavailableError,
  DeviceConnectionError,
  DeviceNotConnectedError,
  DeviceStoppedError,
  WriteQueueFullError,
  DeviceWriteError,
  RequestTimeoutError,
  PollTimeoutError,
  RequestMatchError,
  ListenerError,
  isDeviceIoError,
} from './errors.js';
export type { DeviceIoErrorCode, DeviceIoErrorOptions } from './errors.js';
