import { DeviceOptionError } from './errors.js';
import type { PollItem } from './poll-types.js';

/** Throws DeviceOptionError, naming the item, for one that cannot work. */
export function checkItem(item: PollItem): void {
  const what = `poll item ${String(item.device)} ${String(item.id)}`;
  if (typeof item.device !== 'string' || item.device === '' || typeof item.id !== 'string' || item.id === '') {
    throw new DeviceOptionError(`a poll item needs a device and an id (non-empty strings), got ${what}`);
  }
  if (!(item.intervalMs > 0) || !Number.isFinite(item.intervalMs)) {
    throw new DeviceOptionError(`${what}: intervalMs must be a number of milliseconds > 0, got ${String(item.intervalMs)}`);
  }
  for (const [name, value] of [
    ['jitterMs', item.jitterMs],
    ['offsetMs', item.offsetMs],
  ] as const) {
    const ms = value ?? 0;
    if (!(ms >= 0) || !(ms < item.intervalMs)) {
      throw new DeviceOptionError(`${what}: ${name} must be >= 0 and less than intervalMs (${item.intervalMs}), got ${String(value)}`);
    }
  }
  if (typeof item.poll !== 'function') throw new DeviceOptionError(`${what}: poll must be a function`);
}

/** A copy with the defaults filled in: changing the caller's object later must not bypass the checks. */
export function ownCopy(item: PollItem): PollItem {
  return {
    device: item.device,
    id: item.id,
    intervalMs: item.intervalMs,
    jitterMs: item.jitterMs ?? 0,
    offsetMs: item.offsetMs ?? 0,
    poll: item.poll.bind(item),
  };
}
