/** The serial line's character format, for the gap between frames. */
export interface CharacterFormat {
  readonly baudRate: number;
  readonly dataBits: number;
  readonly parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
  readonly stopBits: number;
}

/**
 * The silence RTU requires between two frames: 3.5 characters at the line's speed (a character
 * is a start bit, the data bits, a parity bit unless none, the stop bits), and a fixed 1.75 ms
 * above 19200 baud, as the Modbus serial line specification says (section 2.5.1.1). In ms.
 */
export function interFrameGapMs(f: CharacterFormat): number {
  if (f.baudRate > 19_200) return 1.75;
  const bits = 1 + f.dataBits + (f.parity === 'none' ? 0 : 1) + f.stopBits;
  return (3.5 * bits * 1000) / f.baudRate;
}
