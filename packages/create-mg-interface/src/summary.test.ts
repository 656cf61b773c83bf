import { namesFor } from './names.js';
import { summary } from './summary.js';

describe('summary', () => {
  it('says what "pool2mqtt" was taken for, and names every file after pool2mqtt, never pool2mqtt2mqtt', () => {
    const text = summary(namesFor('pool2mqtt'), { dir: 'pool2mqtt', typed: 'pool2mqtt', profile: false, workspace: false });
    expect(text).toContain('"pool2mqtt" is the application\'s name: the device is "pool", the application pool2mqtt.');
    expect(text).toContain('the interface PoolInterface (src/pool-interface.ts) and the application pool2mqtt');
    expect(text).toContain('pool2mqtt.conf');
    expect(text).toContain('next: cd pool2mqtt && npm install && npm run build && npm test');
    expect(text).not.toContain('2mqtt2mqtt');
  });

  it("says nothing of names when the device's name was typed", () => {
    expect(summary(namesFor('pool'), { dir: 'pool2mqtt', typed: 'pool', profile: false, workspace: false })).not.toContain("application's name");
  });

  it('for a profile: the files to edit, how to check them, and that Modbus profiles are not made yet', () => {
    const text = summary(namesFor('pool'), { dir: 'pool2mqtt', typed: 'pool', profile: true, workspace: false });
    expect(text).toContain('serial2mqtt with a profile and no code');
    expect(text).toContain('pool.profile.json');
    expect(text).toContain('npx serial2mqtt --check -c pool2mqtt.conf');
    expect(text).toMatch(/Modbus.*not generated yet/);
  });
});
