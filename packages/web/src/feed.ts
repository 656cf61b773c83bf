import type { DeviceView, GatewayView } from '@mg/core/extensions';
import type { LiveStream } from './live.js';
import { brokerInUse } from './api.js';
import { shownUrl } from './shown.js';

/**
 * What the gateway does, as events of the live stream. The listeners are the gateway's to
 * remove (it does when the extension stops); each returns at once when nobody watches, so that
 * a page nobody has open costs the message path nothing but a call.
 */
export function feedLiveStream(gateway: GatewayView, devices: DeviceView, live: LiveStream): void {
  gateway.on('message-in', (message, topic) => {
    if (live.watched) live.send('message', { dir: 'in', topic, text: message.toString() });
  });
  gateway.on('message-out', (message, topic, payload) => {
    if (live.watched) live.send('message', { dir: 'out', topic, text: message.toString(), payload });
  });
  gateway.on('refused', (r) => {
    if (live.watched)
      live.send('refused', { direction: r.direction, reason: r.reason, detail: r.detail, ...(r.topic !== undefined ? { topic: r.topic } : {}) });
  });
  gateway.on('connected', ({ url }) => live.send('connection', { connected: true, broker: shownUrl(url) }));
  gateway.on('disconnected', () => live.send('connection', brokerInUse(gateway)));
  gateway.on('device-availability', (a) =>
    live.send('availability', { device: a.device, available: a.available, ...(a.reason !== undefined ? { reason: a.reason } : {}) }),
  );
  devices.onState((device, capability, value) => {
    if (live.watched) live.send('state', { device: device.id, capability: capability.id, value });
  });
}
