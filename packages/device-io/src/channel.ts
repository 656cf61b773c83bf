import type { DeviceConnectionError } from './errors.js';

/** An open byte stream to a device, whatever carries it (a TCP socket, a serial port). */
export interface Channel {
  /** Resolves once the bytes are handed to the operating system; rejects with a DeviceWriteError. */
  write(bytes: Buffer): Promise<void>;
  /** Closes the stream; resolves when it is closed. Safe to call twice. */
  close(): Promise<void>;
}

interface ChannelHandlers {
  data(chunk: Buffer): void;
  /** Called once, when an open channel ends by itself (not after close()). */
  lost(reason: DeviceConnectionError): void;
}

/**
 * Opens a channel: resolves with it, or rejects with a DeviceConnectionError saying why the
 * device could not be reached. Never throws, never leaves an 'error' event unhandled.
 */
export type ChannelOpener = (handlers: ChannelHandlers, signal: AbortSignal) => Promise<Channel>;

/** An open channel, and a way to fail the write in progress when it ends (a serial write may never call back). */
export interface Link {
  channel: Channel;
  gone: Promise<never>;
  cut: (err: unknown) => void;
}

export function newLink(channel: Channel): Link {
  let cut: (err: unknown) => void = () => undefined;
  const gone = new Promise<never>((_, reject) => (cut = reject));
  gone.catch(() => undefined);
  return { channel, gone, cut };
}
