import type { Capability, CapabilityValue } from '@mg/core';

/** What switches and binary sensors send and expect (Home Assistant's defaults, also written in each config). */
export const PAYLOAD_ON = 'ON';
export const PAYLOAD_OFF = 'OFF';
/** What a button sends when pressed. */
export const PAYLOAD_PRESS = 'PRESS';
/** Home Assistant refuses states longer than this (sensor states, text values). */
const MAX_STATE_LENGTH = 255;

/** The state payload Home Assistant reads for a capability's value. */
export function formatState(c: Capability, value: CapabilityValue): string {
  if (c.kind === 'binary') return value === true || value === 'on' ? PAYLOAD_ON : PAYLOAD_OFF;
  const text = String(value);
  // A longer state would leave the entity without one; a cut one still says something.
  return text.length > MAX_STATE_LENGTH ? text.slice(0, MAX_STATE_LENGTH) : text;
}

export type ParsedCommand = { ok: true; value?: CapabilityValue } | { ok: false; reason: string };

/**
 * The value a Home Assistant command payload carries for a capability. The core checks the
 * value again (range, options) before the interface sees it; this only reads the payload.
 */
export function parseCommand(c: Capability, payload: string): ParsedCommand {
  switch (c.kind) {
    case 'binary': {
      const p = payload.trim().toUpperCase();
      if (p === PAYLOAD_ON) return { ok: true, value: true };
      if (p === PAYLOAD_OFF) return { ok: true, value: false };
      return { ok: false, reason: `expects ${PAYLOAD_ON} or ${PAYLOAD_OFF}, got ${JSON.stringify(payload)}` };
    }
    case 'number': {
      const n = payload.trim() === '' ? Number.NaN : Number(payload);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `expects a number, got ${JSON.stringify(payload)}` };
    }
    case 'enum':
      return c.options?.includes(payload)
        ? { ok: true, value: payload }
        : { ok: false, reason: `expects one of ${(c.options ?? []).join(', ')}, got ${JSON.stringify(payload)}` };
    case 'text':
      return { ok: true, value: payload };
    case 'trigger':
      return payload === PAYLOAD_PRESS ? { ok: true } : { ok: false, reason: `expects ${PAYLOAD_PRESS}, got ${JSON.stringify(payload)}` };
  }
}
