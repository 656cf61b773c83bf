import { InternalMessage, isReply, MessageError } from './message.js';

describe('InternalMessage', () => {
  it('fills missing characteristics with empty strings', () => {
    const msg = new InternalMessage({ isCmd: true, action: 'LIGHT_ON' });
    expect({ ...msg }).toMatchObject({ isCmd: true, function: '', gateway: '', location: '', device: '', sender: '', action: 'LIGHT_ON' });
    expect({ ...msg.arguments }).toEqual({});
    expect(new InternalMessage().isCmd).toBe(false);
  });

  it('copies deeply enough that changing the copy leaves the original alone', () => {
    const msg = new InternalMessage({ action: 'A', arguments: { level: 1 } });
    const copy = msg.copy();
    copy.action = 'B';
    copy.arguments.level = 2;
    expect(msg.action).toBe('A');
    expect(msg.arguments.level).toBe(1);
  });

  it('replies to a command with a status carrying response, reason and correlation', () => {
    const cmd = new InternalMessage({
      isCmd: true,
      function: 'Lighting',
      gateway: 'gw',
      location: 'Kitchen',
      device: 'lamp',
      sender: 'app',
      action: 'LIGHT_ON',
      arguments: { level: 50 },
      correlation: 'req-1',
    });
    const status = cmd.reply('OK', 'light switched on');
    expect(status).toBeInstanceOf(InternalMessage);
    expect({ ...status, arguments: { ...status.arguments } }).toEqual({
      isCmd: false,
      function: 'Lighting',
      gateway: 'gw',
      location: 'Kitchen',
      device: 'lamp',
      sender: '',
      action: 'LIGHT_ON',
      arguments: { response: 'OK', reason: 'light switched on' },
      correlation: 'req-1',
    });
    expect(cmd.isCmd).toBe(true);
  });

  it('reads arguments with defaults and required checks', () => {
    const msg = new InternalMessage({ action: 'DIM', arguments: { level: 0, name: 'x' } });
    expect(msg.argument('level')).toBe(0);
    expect(msg.argument('missing')).toBeUndefined();
    expect(msg.argument('missing', { default: 10 })).toBe(10);
    expect(() => msg.argument('missing', { required: true })).toThrow(MessageError);
    // Worded for the sender (it goes into an ERROR reply): no dump of the message.
    expect(() => msg.argument('missing', { required: true })).toThrow(/^argument "missing" is missing$/);
    expect(msg.argument('toString')).toBeUndefined();
  });

  it('keeps __proto__ arguments as data', () => {
    const msg = new InternalMessage({ arguments: JSON.parse('{"__proto__": {"admin": true}}') });
    expect(msg.argument('__proto__')).toEqual({ admin: true });
    expect((msg.arguments as Record<string, unknown>).admin).toBeUndefined();
    expect(msg.copy().argument('__proto__')).toEqual({ admin: true });
  });

  it('describes itself on one line', () => {
    const msg = new InternalMessage({ isCmd: true, function: 'F', location: 'L', action: 'A', arguments: { n: 1 } });
    expect(msg.toString()).toBe('C function=F gateway= location=L device= sender= action=A {"n":1}');
  });
});

describe('isReply', () => {
  it('tells a reply from a status with the same fields, and survives no copy', () => {
    const cmd = new InternalMessage({ isCmd: true, function: 'Lighting', device: 'lamp', action: 'LIGHT_ON' });
    const reply = cmd.reply('OK', '');
    expect(isReply(reply)).toBe(true);
    expect(isReply(new InternalMessage({ ...reply }))).toBe(false);
    expect(isReply(cmd)).toBe(false);
    expect(Object.keys(reply)).not.toContain('isReply');
  });
});
