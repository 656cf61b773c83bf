import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reject } from '../model/reject.js';
import { createTestGateway } from '../testing/index.js';
import { Lamp } from '../test-support/toy-extension.js';
import { refusalReply } from './refusal-reply.js';

const o = { rootLevels: 1, sender: 'dummy2mqtt' };
const cellar = reject('strict-miss', 'words for the log, not read', {
  characteristic: 'location',
  token: 'cellar',
  topic: 'home/lighting/dummy/cellar/lamp/me/C',
});

describe('refusalReply', () => {
  it('answers a refused command on its own topic, as a status from this gateway, with the correlation', () => {
    const r = refusalReply({ topic: 'home/lighting/dummy/cellar/lamp/me/C', payload: Buffer.from('{"action":"light_on","correlation":"req-9"}') }, cellar, o);
    expect(r).toEqual({
      topic: 'home/lighting/dummy/cellar/lamp/dummy2mqtt/S',
      payload: '{"action":"light_on","response":"ERROR","reason":"location \\"cellar\\" is not in the strict map","correlation":"req-9"}',
      correlation: 'req-9',
    });
    const mqtt5 = { topic: 'home/lighting/dummy/cellar/lamp/me/C', payload: Buffer.from('light_on'), correlation: 'mqtt5' };
    expect(refusalReply(mqtt5, cellar, o)?.correlation).toBe('mqtt5');
  });

  it('takes the action and correlation the map already read instead of reading the payload again', () => {
    const action = reject('strict-miss', '', { characteristic: 'action', token: 'explode', action: 'explode', correlation: 'c1' });
    const r = refusalReply({ topic: 'home/lighting/dummy/cellar/lamp/me/C', payload: Buffer.from('not what the map read') }, action, o);
    expect(JSON.parse(r!.payload)).toEqual({ action: 'explode', response: 'ERROR', reason: 'action "explode" is not in the strict map', correlation: 'c1' });
  });

  it('does not answer a status, a topic of the wrong shape, one it cannot publish, or when the map has no word for this gateway', () => {
    const x = Buffer.from('x');
    expect(refusalReply({ topic: 'home/lighting/dummy/cellar/lamp/me/S', payload: x }, cellar, o)).toBeUndefined();
    expect(refusalReply({ topic: 'home/lighting/dummy/C', payload: x }, cellar, o)).toBeUndefined();
    expect(refusalReply({ topic: 'home/lighting/dummy/cel+lar/lamp/me/C', payload: x }, cellar, o)).toBeUndefined();
    expect(refusalReply({ topic: 'home/lighting/dummy/cellar/lamp/me/C', payload: x }, cellar, { ...o, sender: undefined })).toBeUndefined();
  });
});

it("answers as the gateway's name in the map's sender vocabulary, and tells the refusal's facts", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-reply-'));
  const mapfilename = join(dir, 'reply.map.json');
  const map = {
    root: 'test',
    topics: ['test/#'],
    sender: { maptype: 'loose', map: { testgw: ['gw-one'] } },
    location: { maptype: 'strict', map: { Hall: ['hall'] } },
  };
  writeFileSync(mapfilename, JSON.stringify(map));
  const gw = createTestGateway(Lamp, { mqtt: { mapping: true, mapfilename, replyrefused: true } });
  const refused: unknown[] = [];
  gw.gateway.on('refused', (r) => refused.push(r));
  await gw.start();
  const replied = gw.waitFor('test/+/+/+/+/+/S', { correlation: 'r1' });
  await gw.receive('test/lighting/gateway/cellar/Lamp/me/C', { action: 'ON', correlation: 'r1' });
  const reply = await replied;
  await gw.stop();
  expect(reply.topic).toBe('test/lighting/gateway/cellar/Lamp/gw-one/S');
  expect(JSON.parse(reply.payload)).toMatchObject({ action: 'ON', response: 'ERROR', correlation: 'r1' });
  expect(refused).toEqual([
    expect.objectContaining({ reason: 'strict-miss', characteristic: 'location', token: 'cellar', topic: 'test/lighting/gateway/cellar/Lamp/me/C' }),
  ]);
});
