import { DenonReceiver, denonLevel } from './denon-protocol.js';

describe('the simulated Denon receiver', () => {
  it('writes levels as the protocol does', () => {
    expect([0, 0.5, 5, 45, 45.5, 98].map(denonLevel)).toEqual(['00', '005', '05', '45', '455', '98']);
  });

  it('answers changes with the new state, queries with the current one', () => {
    const avr = new DenonReceiver();
    expect(avr.handle('PW?')).toEqual(['PWON']);
    expect(avr.handle('MUON')).toEqual(['MUON']);
    expect(avr.handle('MU?')).toEqual(['MUON']);
    expect(avr.handle('MV455')).toEqual(['MV455', 'MVMAX 98']);
    expect(avr.handle('MVUP')).toEqual(['MV46', 'MVMAX 98']);
    expect(avr.handle('MVDOWN')).toEqual(['MV455', 'MVMAX 98']);
    expect(avr.handle('SISAT/CBL')).toEqual(['SISAT/CBL']);
    expect(avr.state).toEqual({ power: 'ON', mute: true, volume: 45.5, maxVolume: 98, source: 'SAT/CBL' });
  });

  it('caps the volume, ignores unknown commands and sources, and all but PW in standby', () => {
    const avr = new DenonReceiver({ maxVolume: 60.5, volume: 60 });
    expect(avr.handle('MV99')).toEqual(['MV605', 'MVMAX 605']);
    expect(avr.handle('SIRADIO')).toEqual([]);
    expect(avr.handle('XYZZY')).toEqual([]);
    expect(avr.handle('PWSTANDBY')).toEqual(['PWSTANDBY', 'ZMOFF']);
    expect(avr.handle('MUON')).toEqual([]);
    expect(avr.handle('MV?')).toEqual([]);
    expect(avr.handle('PW?')).toEqual(['PWSTANDBY']);
    expect(avr.handle('PWON')).toEqual(['PWON', 'ZMON']);
  });
});
