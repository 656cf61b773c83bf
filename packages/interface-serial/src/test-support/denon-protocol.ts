/**
 * The behaviour of a Denon/Marantz AV receiver's main zone, written from the maker's public
 * ASCII protocol, independently of the profile (so that tests of the profile prove something):
 * a command that changes the state is answered with the new state line, a query with the
 * current state; unknown commands are ignored, and so is everything but PW in standby.
 */

export interface DenonState {
  power: 'ON' | 'STANDBY';
  mute: boolean;
  /** 0 to 98 in half steps (80 is 0 dB). */
  volume: number;
  /** The highest volume accepted; reported as MVMAX after volume lines. */
  maxVolume: number;
  source: string;
}

/** Inputs this receiver has (a real one has a subset, depending on the model). */
const DENON_SOURCES: readonly string[] = [
  'PHONO',
  'CD',
  'TUNER',
  'DVD',
  'BD',
  'TV',
  'SAT/CBL',
  'MPLAY',
  'GAME',
  'HDRADIO',
  'NET',
  'PANDORA',
  'SIRIUSXM',
  'SPOTIFY',
  'IRADIO',
  'SERVER',
  'FAVORITES',
  'AUX1',
  'AUX2',
  'BT',
  'USB/IPOD',
  'USB',
];

const DEFAULT_DENON_STATE: Readonly<DenonState> = { power: 'ON', mute: false, volume: 40, maxVolume: 98, source: 'CD' };

/** 45 -> "45", 45.5 -> "455", 5 -> "05": the protocol's two digits plus a 5 for a half step. */
export function denonLevel(level: number): string {
  const whole = Math.floor(level);
  return `${String(whole).padStart(2, '0')}${level - whole >= 0.5 ? '5' : ''}`;
}

export class DenonReceiver {
  readonly state: DenonState;

  constructor(initial: Partial<DenonState> = {}) {
    this.state = { ...DEFAULT_DENON_STATE, ...initial };
  }

  /** The lines the receiver sends after `command` (none when it ignores it). */
  handle(command: string): string[] {
    const s = this.state;
    if (command === 'PW?') return [`PW${s.power}`];
    if (command === 'PWON' || command === 'PWSTANDBY') {
      s.power = command === 'PWON' ? 'ON' : 'STANDBY';
      return [`PW${s.power}`, s.power === 'ON' ? 'ZMON' : 'ZMOFF'];
    }
    if (s.power !== 'ON') return [];
    if (command === 'MU?') return [this.muteLine()];
    if (command === 'MUON' || command === 'MUOFF') {
      s.mute = command === 'MUON';
      return [this.muteLine()];
    }
    if (command === 'MV?') return this.volumeLines();
    if (command === 'MVUP' || command === 'MVDOWN') return this.setVolume(s.volume + (command === 'MVUP' ? 0.5 : -0.5));
    const mv = /^MV(\d\d)(5)?$/.exec(command);
    if (mv) return this.setVolume(Number(mv[1]) + (mv[2] ? 0.5 : 0));
    if (command === 'SI?') return [`SI${s.source}`];
    if (command.startsWith('SI') && DENON_SOURCES.includes(command.slice(2))) {
      s.source = command.slice(2);
      return [`SI${s.source}`];
    }
    return [];
  }

  private muteLine(): string {
    return this.state.mute ? 'MUON' : 'MUOFF';
  }

  private setVolume(level: number): string[] {
    this.state.volume = Math.min(Math.max(level, 0), this.state.maxVolume);
    return this.volumeLines();
  }

  private volumeLines(): string[] {
    return [`MV${denonLevel(this.state.volume)}`, `MVMAX ${denonLevel(this.state.maxVolume)}`];
  }
}
