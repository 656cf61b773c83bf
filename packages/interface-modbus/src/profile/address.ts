/**
 * Addresses as profiles write them. A JSON number is the 0-based protocol address, what goes on
 * the wire. A string is either hexadecimal ("0x0048", also 0-based, as many register maps list
 * them) or the traditional register number: 5 digits (40001) or 6 (400001), whose first digit is
 * the table (0 coils, 1 discrete inputs, 3 input registers, 4 holding registers) and whose rest
 * counts from 1. So 40001 is holding register 0, 30073 input register 72, 00001 coil 0.
 */
import type { Table } from './types.js';

const TABLE_BY_DIGIT: Readonly<Record<string, Table>> = { '0': 'coil', '1': 'discrete', '3': 'input', '4': 'holding' };
const DIGIT_BY_TABLE: Readonly<Record<Table, string>> = { coil: '0', discrete: '1', input: '3', holding: '4' };

export type ParsedAddress = { ok: true; address: number; table?: Table } | { ok: false; reason: string };

/** A profile's address: a 0-based number, a hex string, or the 5- or 6-digit register number. */
export function parseAddress(written: number | string): ParsedAddress {
  if (typeof written === 'number') {
    return Number.isInteger(written) && written >= 0 && written <= 65535
      ? { ok: true, address: written }
      : { ok: false, reason: `${written} is not a protocol address (a whole number from 0 to 65535)` };
  }
  const text = written.trim();
  if (/^0x[0-9a-f]{1,4}$/i.test(text)) return { ok: true, address: Number.parseInt(text.slice(2), 16) };
  if (/^\d{5,6}$/.test(text)) {
    const table = TABLE_BY_DIGIT[text[0]!];
    if (!table)
      return { ok: false, reason: `"${text}" starts with ${text[0]}: register numbers start with 0 (coil), 1 (discrete input), 3 (input) or 4 (holding)` };
    const number = Number.parseInt(text.slice(1), 10);
    const max = text.length === 5 ? 9999 : 65536;
    if (number < 1 || number > max)
      return { ok: false, reason: `"${text}": the number after the table digit counts from 1 (${DIGIT_BY_TABLE[table]}0001 is the first) up to ${max}` };
    return { ok: true, address: number - 1, table };
  }
  return {
    ok: false,
    reason: `"${written}" is not an address: write a 0-based number (0), a hex string ("0x0000"), or a register number of 5 or 6 digits ("30001" for input register 0)`,
  };
}

/** The traditional number of a protocol address (holding 0 -> "40001"; 6 digits past 9999). */
export function registerNumber(table: Table, address: number): string {
  const n = address + 1;
  return `${DIGIT_BY_TABLE[table]}${String(n).padStart(n > 9999 ? 5 : 4, '0')}`;
}
