import type { MqttClient } from 'mqtt';
import { PausedKeepalive } from './paused-keepalive.js';

/** A client that records PINGREQs and reschedules of MQTT.js's keepalive timer, at fake times. */
function setup(keepaliveS = 6) {
  const said: string[] = [];
  const client = {
    connected: true,
    sendPing: () => said.push(`ping ${Date.now()}`),
    reschedulePing: () => said.push(`reschedule ${Date.now()}`),
  };
  const k = new PausedKeepalive(keepaliveS, () => client as unknown as MqttClient);
  return { k, said, client };
}

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe('PausedKeepalive', () => {
  it('pings within a third of the keepalive of a long pause, then every third, and reschedules once reading resumes', () => {
    const { k, said } = setup(6); // a tick every second
    k.setPaused(true);
    jest.advanceTimersByTime(2_000);
    expect(said).toEqual(['ping 2000', 'reschedule 2000']);
    jest.advanceTimersByTime(2_000);
    expect(said).toEqual(['ping 2000', 'reschedule 2000', 'ping 4000', 'reschedule 4000']);
    k.setPaused(false);
    expect(said.at(-1)).toBe('reschedule 4000');
    expect(said).toHaveLength(5);
    k.stop();
  });

  it('never pings for many short pauses (one per message being taken)', () => {
    const { k, said } = setup(6);
    for (let i = 0; i < 100; i++) {
      k.setPaused(true);
      jest.advanceTimersByTime(50);
      k.setPaused(false);
      jest.advanceTimersByTime(50);
    }
    expect(said).toEqual([]);
    expect(jest.getTimerCount()).toBe(0); // the timer stopped at a tick that found reading going on
  });

  it('sends nothing while disconnected, and nothing with keepalive 0', () => {
    const a = setup(6);
    a.client.connected = false;
    a.k.setPaused(true);
    jest.advanceTimersByTime(10_000);
    expect(a.said).toEqual([]);
    a.k.stop();
    const b = setup(0);
    b.k.setPaused(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
