import { ProfilePolls, type PollQueue } from './profile-polls.js';

type Item = Parameters<PollQueue['add']>[1];

/** A scheduler that records what is on it; tests run the items' polls by hand. */
function fakeScheduler() {
  const items = new Map<Item, string>();
  const asked: (string | undefined)[] = [];
  const scheduler: PollQueue = {
    add(bus, item) {
      items.set(item, bus);
      return () => items.delete(item);
    },
    pollNow(device) {
      asked.push(device);
      return [...items.keys()].filter((i) => device === undefined || i.device === device).length;
    },
  };
  return { scheduler, items, asked };
}

const polls = [
  { id: 'queries.every', intervalMs: 30_000, jitterMs: 0, send: ['T?'] },
  { id: 'queries.poll[0]', intervalMs: 1_000, jitterMs: 200, send: ['MV?', 'MU?'] },
];

function setup(write: (line: string) => Promise<void> = async () => undefined) {
  const fake = fakeScheduler();
  const written: string[] = [];
  const p = new ProfilePolls({
    scheduler: fake.scheduler,
    bus: '/dev/ttyUSB0',
    device: 'denon-avr',
    polls,
    write: async (line) => {
      written.push(line);
      await write(line);
    },
  });
  return { ...fake, p, written };
}

describe('ProfilePolls', () => {
  it('puts each periodic query on the port as an item of the device while connected, and takes them off while away', () => {
    const { p, items } = setup();
    expect(p.any).toBe(true);
    expect(p.active).toBe(false);
    p.resume();
    expect(
      [...items.entries()].map(([item, bus]) => ({ bus, device: item.device, id: item.id, intervalMs: item.intervalMs, jitterMs: item.jitterMs })),
    ).toEqual([
      { bus: '/dev/ttyUSB0', device: 'denon-avr', id: 'queries.every', intervalMs: 30_000, jitterMs: undefined },
      { bus: '/dev/ttyUSB0', device: 'denon-avr', id: 'queries.poll[0]', intervalMs: 1_000, jitterMs: 200 },
    ]);
    // A second connection does not add them twice.
    p.resume();
    expect(items.size).toBe(2);
    p.pause();
    expect(items.size).toBe(0);
    expect(p.active).toBe(false);
  });

  it('a poll writes its lines in order; it fails when a line cannot be written, so the scheduler backs the device off', async () => {
    let away = false;
    const { p, items, written } = setup(async (line) => {
      if (away) throw new Error(`cannot send "${line}": not connected`);
    });
    p.resume();
    const item = [...items.keys()][1]!;
    await item.poll(new AbortController().signal);
    expect(written).toEqual(['MV?', 'MU?']);
    away = true;
    await expect(item.poll(new AbortController().signal)).rejects.toThrow('cannot send "MV?": not connected');
    expect(written).toEqual(['MV?', 'MU?', 'MV?']);
  });

  it('stops writing once the scheduler gives up on a poll (timeout, stop)', async () => {
    const { p, items, written } = setup();
    p.resume();
    const stop = new AbortController();
    stop.abort(new Error('timed out'));
    await expect([...items.keys()][1]!.poll(stop.signal)).rejects.toThrow('timed out');
    expect(written).toEqual([]);
  });

  it('polls on demand only while connected, and only its own device', () => {
    const { p, asked } = setup();
    expect(p.pollNow()).toBe(0);
    expect(asked).toEqual([]);
    p.resume();
    expect(p.pollNow()).toBe(2);
    expect(asked).toEqual(['denon-avr']);
  });

  it('has nothing to do for a profile without periodic queries', () => {
    const fake = fakeScheduler();
    const p = new ProfilePolls({ scheduler: fake.scheduler, bus: 'tcp://127.0.0.1:23', device: 'x', polls: [], write: async () => undefined });
    expect(p.any).toBe(false);
    p.resume();
    expect(fake.items.size).toBe(0);
    expect(p.pollNow()).toBe(0);
  });
});
