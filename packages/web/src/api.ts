import type { Capability, CapabilityValue } from '@mg/core';
import type { DeviceView, GatewayView } from '@mg/core/extensions';
import { shownUrl } from './shown.js';

/** What the JSON API reads. */
export interface ApiSources {
  gateway: GatewayView;
  devices: DeviceView;
  appName: string;
  appVersion: string;
  clientId: string;
  tokenRequired: boolean;
}

/** `/health/ready`: ready when connected to the broker, the interface started, and not stopping. */
export function readiness(gateway: GatewayView): { ready: true } | { ready: false; reason: string } {
  const { state, interfaceStarted } = gateway.status();
  const reasons: string[] = [];
  if (state === 'stopping' || state === 'stopped') reasons.push(`the gateway is ${state}`);
  else if (!interfaceStarted) reasons.push('the interface has not started');
  if (!gateway.connection().connected) reasons.push('the broker is not connected');
  return reasons.length === 0 ? { ready: true } : { ready: false, reason: reasons.join('; ') };
}

/** Whether the gateway is connected, and to which broker (the last one when not connected, '' before the first). */
export function brokerInUse(gateway: GatewayView): { connected: boolean; broker: string } {
  const c = gateway.connection();
  return { connected: c.connected, broker: shownUrl(c.brokers.find((b) => b.connected)?.url ?? c.broker) };
}

/** `/api/gateway`. */
export function gatewayInfo(src: ApiSources) {
  const { state, interfaceStarted } = src.gateway.status();
  const { connected, broker } = brokerInUse(src.gateway);
  const running = state === 'running' && interfaceStarted;
  return {
    name: src.appName,
    version: src.appVersion,
    clientId: src.clientId,
    broker,
    connected,
    state,
    interfaceStarted,
    uptime: src.gateway.counters().uptime,
    // As the availability topic says it: online while connected and not stopping.
    availability: connected && (state === 'running' || state === 'starting') ? 'online' : 'offline',
    // A write now would reach the interface.
    writable: running,
    tokenRequired: src.tokenRequired,
  };
}

type CapabilityInfo = Pick<Capability, 'id' | 'name' | 'kind' | 'access' | 'unit' | 'min' | 'max' | 'step' | 'options'> & { value?: CapabilityValue };

/** `/api/devices`: the declared devices, what each can do, and the last value of each capability. */
export function devicesInfo(devices: DeviceView) {
  return {
    declared: devices.declared,
    devices: devices.list().map((d) => ({
      id: d.id,
      name: d.name,
      available: devices.available(d.id) !== false,
      capabilities: d.capabilities.map((c) => {
        const info: CapabilityInfo = { id: c.id, name: c.name, kind: c.kind, access: c.access };
        // Only what the capability has: the page tells "no minimum" from "minimum 0" by absence.
        for (const k of ['unit', 'min', 'max', 'step', 'options'] as const) if (c[k] !== undefined) Object.assign(info, { [k]: c[k] });
        const value = c.access === 'write' ? undefined : devices.value(d.id, c.id);
        if (value !== undefined) info.value = value;
        return info;
      }),
    })),
  };
}
