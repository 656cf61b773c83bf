import { refusalReply } from './refusal-reply.js';

const o = { rootLevels: 1, gatewayName: 'dummy2mqtt' };

describe('refusalReply', () => {
  it('answers a refused command on its own topic, as a status from this gateway, with the correlation', () => {
    const r = refusalReply(
      'home/lighting/dummy/cellar/lamp/me/C',
      Buffer.from('{"action":"light_on","correlation":"req-9"}'),
      'location "cellar" is not in the strict map',
      o,
    );
    expect(r).toEqual({
      topic: 'home/lighting/dummy/cellar/lamp/dummy2mqtt/S',
      payload: '{"action":"light_on","response":"ERROR","reason":"location \\"cellar\\" is not in the strict map","correlation":"req-9"}',
      correlation: 'req-9',
    });
    expect(refusalReply('home/lighting/dummy/cellar/lamp/me/C', Buffer.from('light_on'), 'x', { ...o, correlation: 'mqtt5' })?.correlation).toBe('mqtt5');
  });

  it('does not answer a status, a topic of the wrong shape, or one it cannot publish', () => {
    expect(refusalReply('home/lighting/dummy/cellar/lamp/me/S', Buffer.from('x'), 'r', o)).toBeUndefined();
    expect(refusalReply('home/lighting/dummy/C', Buffer.from('x'), 'r', o)).toBeUndefined();
    expect(refusalReply('home/lighting/dummy/cel+lar/lamp/me/C', Buffer.from('x'), 'r', o)).toBeUndefined();
  });
});
