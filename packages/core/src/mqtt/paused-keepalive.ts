import type { MqttClient } from 'mqtt';

/**
 * While reading is paused (the interface is not taking messages), MQTT.js cannot see the
 * broker's PINGRESP and would end the connection after 1.5 keepalives: the broker would then
 * publish the last will and redeliver what was in flight. Instead, keep the session alive by
 * sending PINGREQ ourselves and holding off MQTT.js's own timeout; a dead socket still shows
 * as a write error or a close.
 *
 * With `acknowledge: taken` reading pauses for every message until the interface takes it, so
 * `setPaused` only sets a flag: a timer (every keepalive/6, running while pauses come) pings once
 * one pause has lasted a whole tick, then every other tick: the first PINGREQ within 1/3
 * keepalive of the pause, before MQTT.js would give up (1/2 keepalive after its own PINGREQ).
 */
export class PausedKeepalive {
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  /** Pauses so far, and the one the timer saw last: tells one long pause from many short ones. */
  private pauses = 0;
  private seen = -1;
  private ticks = 0;
  /** PINGREQ sent during this pause. */
  private pinged = false;

  constructor(
    private readonly keepaliveS: number,
    private readonly client: () => MqttClient | undefined,
  ) {}

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      this.pauses += 1;
      if (!this.timer && this.keepaliveS > 0) {
        this.timer = setInterval(this.tick, (this.keepaliveS * 1000) / 6);
        this.timer.unref();
      }
    } else if (this.pinged) {
      // Our PINGREQs held MQTT.js's timer off; the broker's answers wait unread in the socket.
      this.pinged = false;
      const c = this.client();
      if (c?.connected) c.reschedulePing(true);
    }
  }

  stop(): void {
    this.paused = false;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    if (!this.paused) {
      this.stop();
      return;
    }
    if (this.seen !== this.pauses) {
      // A pause that began since the last tick: it may end at once (one message being taken).
      this.seen = this.pauses;
      this.ticks = 0;
      return;
    }
    this.ticks += 1;
    const c = this.client();
    if (this.ticks % 2 !== 1 || !c?.connected) return;
    c.sendPing();
    c.reschedulePing(true);
    this.pinged = true;
  };
}
