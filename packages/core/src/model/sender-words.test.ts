import { InternalMessage } from './message.js';
import { MessageMap } from './message-map.js';

// A pool controller's map: the sender writes lower-case words, the interface reads keywords.
const map = MessageMap.fromObject(
  {
    root: 'home',
    topics: ['home/#'],
    action: { maptype: 'strict', map: { PUMP_ON: ['pump_on', 'pump'], SETPOINT_SET: ['setpoint_set'] } },
    argkey: { maptype: 'loose', map: { SETPOINT: ['setpoint', 'target'] } },
    argvalue: { maptype: 'loose', map: { HIGH: ['high'] } },
  },
  'pool map',
);

function heard(payload: string | object): InternalMessage {
  const r = map.toInternal('home/pool/gw/garden/pool/me/C', typeof payload === 'string' ? payload : JSON.stringify(payload));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

describe('a message keeps the words it was heard with', () => {
  it('gives the action and argument names as the sender wrote them, the internal ones to the interface', () => {
    const msg = heard({ action: 'pump', target: 27 });
    expect([msg.action, msg.arguments]).toEqual(['PUMP_ON', { SETPOINT: 27 }]);
    expect(msg.heard.action).toBe('pump');
    expect(msg.heard.argument('SETPOINT')).toBe('target');
    // Not in the message: the map's word for it, what the sender should write.
    expect(heard('pump_on').heard.argument('SETPOINT')).toBe('setpoint');
    expect(heard('pump_on').heard.argument('SPEED')).toBe('SPEED');
    expect(msg.copy().heard.action).toBe('pump');
  });

  it('compares, prints and serialises as its fields alone', () => {
    const msg = heard('pump_on');
    expect(msg).toEqual(
      new InternalMessage({ isCmd: true, function: 'pool', gateway: 'gw', location: 'garden', device: 'pool', sender: 'me', action: 'PUMP_ON' }),
    );
    expect(Object.keys(msg)).not.toContain('heard');
    expect(JSON.stringify(msg)).not.toContain('pump_on');
  });

  it('words argument errors with the name and value the sender wrote', () => {
    const msg = heard({ action: 'setpoint_set', target: 'high' });
    expect(failure(() => msg.argument('SETPOINT', { type: 'number' }))).toBe('argument "target" must be a number, got "high"');
    expect(failure(() => heard('setpoint_set').argument('SETPOINT', { required: true }))).toBe('argument "setpoint" is missing');
  });

  it('is the internal words for a message no map translated', () => {
    const own = new InternalMessage({ action: 'PUMP_ON', arguments: { SETPOINT: 'x' } });
    expect(own.heard.action).toBe('PUMP_ON');
    expect(failure(() => own.argument('SETPOINT', { type: 'number' }))).toBe('argument "SETPOINT" must be a number, got "x"');
  });
});

describe('replyWith', () => {
  it('turns an accepted outcome into an OK reply saying the action as the sender wrote it', () => {
    const msg = heard({ action: 'pump', correlation: 'c1' });
    const reply = msg.replyWith({ ok: true });
    expect([reply.isCmd, reply.action, reply.arguments, reply.correlation]).toEqual([false, 'PUMP_ON', { response: 'OK', reason: 'pump done' }, 'c1']);
    expect(map.toMqtt(reply)).toMatchObject({ ok: true, value: { payload: '{"action":"pump_on","response":"OK","reason":"pump done","correlation":"c1"}' } });
    expect(msg.replyWith({ ok: true }, 'the pump runs').arguments.reason).toBe('the pump runs');
    expect(new InternalMessage({ isCmd: true }).replyWith({ ok: true }).arguments.reason).toBe('done');
  });

  it('turns a refused outcome into an ERROR reply with its reason, and takes a device-io ask() result as it is', () => {
    const msg = heard('pump_on');
    const asked = {
      ok: false as const,
      kind: 'refused' as const,
      reason: 'refused by the device: out of range',
      detail: 'tcp://x:1 PUMP ON -> ERR out of range',
      attempts: 1,
    };
    expect(msg.replyWith(asked).arguments).toEqual({ response: 'ERROR', reason: 'refused by the device: out of range' });
    const accepted = { ok: true as const, line: 'OK', groups: {}, attempts: 1 };
    expect(msg.replyWith(accepted).arguments).toEqual({ response: 'OK', reason: 'pump_on done' });
  });
});
