import { InternalMessage } from '../model/message.js';
import { LAMP } from '../test-support/toy-extension.js';
import { DeviceRegistry } from './devices.js';

const status = (level: number) => new InternalMessage({ location: 'Hall', device: 'Lamp', action: 'POWER', arguments: { state: 'on', level } });

describe('DeviceRegistry', () => {
  it('is declared once the interface has said which devices it has, even none (an empty list before that means "not known yet")', () => {
    const registry = new DeviceRegistry('Scanner');
    expect(registry.declared).toBe(false);
    registry.set([]);
    expect(registry.declared).toBe(true);
  });

  it('tells every state listener a value, also when one of them removes itself on hearing it', () => {
    const registry = new DeviceRegistry('Lamp');
    registry.set([LAMP]);
    const heard: string[] = [];
    const off = registry.onState(() => off()); // a listener that wanted one value only
    registry.onState((d, c, v) => heard.push(`${d.id}/${c.id}=${String(v)}`));
    registry.observe(status(40));
    expect(heard).toEqual(['lamp/power=true', 'lamp/level=40']);
    expect(registry.value('lamp', 'level')).toBe(40);
  });

  it('hands a listener that throws to `failed` and goes on with the others', () => {
    const failures: string[] = [];
    const registry = new DeviceRegistry('Lamp', (where, err) => failures.push(`${where}: ${(err as Error).message}`));
    registry.set([LAMP]);
    const heard: string[] = [];
    registry.onState(() => {
      throw new Error('boom');
    });
    registry.onState((_d, c) => heard.push(c.id));
    registry.observe(status(10));
    expect(failures).toEqual(['device state listener: boom', 'device state listener: boom']);
    expect(heard).toEqual(['power', 'level']);
  });
});
