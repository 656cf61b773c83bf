import { parseUnitList } from './unit-list.js';

describe('[INTERFACE] devices: name:unit:profile entries', () => {
  it('reads each entry, blanks around the parts trimmed, a profile path with a colon kept whole', () => {
    expect(parseUnitList(['meter:1:eastron-sdm630', ' relays : 2 : ./boards/relay.json', 'pc:3:C:\\profiles\\pc.json'])).toEqual([
      { name: 'meter', unit: 1, profile: 'eastron-sdm630' },
      { name: 'relays', unit: 2, profile: './boards/relay.json' },
      { name: 'pc', unit: 3, profile: 'C:\\profiles\\pc.json' },
    ]);
  });

  it('names every wrong entry and what was expected, in one message', () => {
    expect(() => parseUnitList(['meter:1', 'Meter:2:x', 'a:300:x', 'b:1:x', 'c:1:y', 'b:4:x'])).toThrow(
      [
        '"meter:1" is not name:unit:profile (e.g. "devices: meter:1:eastron-sdm630, relays:2:generic-relay-board")',
        '"Meter:2:x": the name "Meter" must be lowercase letters, digits and hyphens, not starting with a hyphen, at most 64 (it is a topic level)',
        '"a:300:x": the unit id "300" must be a whole number from 0 to 255 (1 to 247 on a serial line)',
        '"c:1:y": unit 1 is used by "b:1:x" already',
        '"b:4:x": the name "b" is used by "b:1:x" already',
      ].join('; '),
    );
  });

  it('refuses an empty list', () => {
    expect(() => parseUnitList([])).toThrow('lists no device (e.g. "devices: meter:1:eastron-sdm630');
  });
});
