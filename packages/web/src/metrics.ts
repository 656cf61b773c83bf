import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { DeviceView, GatewayView } from '@mg/core/extensions';
import { shownUrl } from './shown.js';

/** What /metrics reads, at each scrape. */
export interface MetricSources {
  gateway: GatewayView;
  devices: DeviceView;
  appName: string;
  appVersion: string;
  /** SSE viewers connected now, and dropped for falling behind since start. */
  viewers(): { connected: number; dropped: number };
}

type Labels = Record<string, string>;

/**
 * The gateway's metrics, in a registry of its own (never prom-client's global one: two gateways
 * in one process, or a program that uses prom-client itself, must not see each other's). Every
 * value is read from the gateway when scraped, so that nothing is counted twice and nothing
 * runs between scrapes.
 */
export function createMetrics(src: MetricSources): Registry {
  const register = new Registry();
  // Process metrics (CPU, memory, file descriptors, GC) and event-loop lag, under their usual
  // names, so that the dashboards made for them work.
  collectDefaultMetrics({ register });

  // A counter whose total the gateway keeps: set at scrape time (reset, then the total).
  const total = (name: string, help: string, read: () => [Labels, number][] | number, labelNames: string[] = []) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [register],
      collect() {
        this.reset();
        const v = read();
        if (typeof v === 'number') this.inc(v);
        else for (const [labels, n] of v) this.inc(labels, n);
      },
    });
  const gauge = (name: string, help: string, read: () => [Labels, number][] | number, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [register],
      collect() {
        this.reset();
        const v = read();
        if (typeof v === 'number') this.set(v);
        else for (const [labels, n] of v) this.set(labels, n);
      },
    });
  const c = () => src.gateway.counters();

  gauge('mg_info', 'The gateway: application and version (always 1).', () => [[{ app: src.appName, version: src.appVersion }, 1]], ['app', 'version']);
  gauge('mg_up_seconds', 'Seconds since the gateway started.', () => c().uptime);
  total('mg_messages_received_total', 'MQTT messages received on the subscriptions.', () => c().received);
  total('mg_messages_delivered_total', 'Messages handed to the interface.', () => c().delivered);
  total('mg_messages_published_total', "The interface's messages published.", () => c().published);
  total('mg_extension_messages_published_total', 'Messages the extensions published (discovery, states).', () => c().extensionPublished);
  total(
    'mg_messages_refused_total',
    'Messages refused, by reason (topic syntax, payload, strict map, invalid writes...).',
    () => Object.entries(c().rejected).map(([reason, n]) => [{ reason }, n]),
    ['reason'],
  );
  total(
    'mg_messages_dropped_total',
    'Messages dropped: incoming to make room (incomingoverflow dropoldest), outgoing when the outbox was full.',
    () => [
      [{ direction: 'incoming' }, c().incomingDropped],
      [{ direction: 'outgoing' }, c().dropped],
    ],
    ['direction'],
  );
  total('mg_messages_coalesced_total', 'Outgoing statuses replaced, while waiting, by a newer one on the same topic.', () => c().coalesced);
  total('mg_reading_pauses_total', 'Times reading from the broker paused because the incoming list was full.', () => c().incomingPauses);
  total('mg_reading_paused_seconds_total', 'Time spent with reading paused.', () => c().incomingPausedMs / 1000);
  gauge('mg_reading_paused', '1 while reading from the broker is paused.', () => (c().incomingPaused ? 1 : 0));
  gauge('mg_incoming_messages', 'Messages waiting for the interface.', () => src.gateway.lists().incoming);
  gauge('mg_incoming_limit', 'Size of the incoming list.', () => src.gateway.lists().incomingLimit);
  gauge('mg_outbox_messages', 'Messages waiting to be published.', () => src.gateway.lists().outbox);
  gauge('mg_outbox_limit', 'Size of the outbox.', () => src.gateway.lists().outboxLimit);
  gauge('mg_connected', '1 while connected to a broker.', () => (src.gateway.connection().connected ? 1 : 0));
  const brokers = () => src.gateway.connection().brokers;
  gauge(
    'mg_broker_connected',
    '1 for the broker connected to now, by broker URL.',
    () => brokers().map((b) => [{ broker: shownUrl(b.url) }, b.connected ? 1 : 0]),
    ['broker'],
  );
  total('mg_broker_connections_total', 'Connections made, by broker URL.', () => brokers().map((b) => [{ broker: shownUrl(b.url) }, b.connections]), [
    'broker',
  ]);
  total('mg_broker_disconnections_total', 'Connections lost, by broker URL.', () => brokers().map((b) => [{ broker: shownUrl(b.url) }, b.disconnections]), [
    'broker',
  ]);
  total('mg_interface_errors_total', "Errors thrown by the interface's loop(), start(), stop() or its callbacks.", () => c().interfaceErrors);
  total('mg_extension_errors_total', 'Errors thrown by an extension.', () => c().extensionErrors);
  total('mg_subscriptions_refused_total', 'Subscriptions the broker refused.', () => c().subscriptionsRefused);
  gauge(
    'mg_device_available',
    'Whether the interface says a declared device is reachable (1) or not (0), by device id.',
    () => src.devices.list().map((d) => [{ device: d.id }, src.devices.available(d.id) === false ? 0 : 1]),
    ['device'],
  );
  gauge('mg_web_viewers', 'Browsers following the live stream (/api/events) now.', () => src.viewers().connected);
  total('mg_web_viewers_dropped_total', 'Live-stream viewers dropped because they fell behind (their buffer was full).', () => src.viewers().dropped);
  return register;
}
