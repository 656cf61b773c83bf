import { createTestGateway, type JsonFields, type TestGateway } from './index.js';
import { PollingEcho } from '../test-support/interfaces.js';
import type { GatewayInterface, InterfaceContext } from '../index.js';

/** Answers with a nested argument, for the fields match to look into. */
class Detailed implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      const reply = msg.reply('OK', 'done');
      reply.arguments.detail = { level: 3, steps: [1, 2], note: 'kept' };
      this.ctx.outgoing.push(reply);
    }
  }
}

const CMD = 'test/lighting/gateway/kitchen/lamp/me/C';
const STATUS = 'test/lighting/gateway/kitchen/lamp/testgw/S';

let gw: TestGateway;
beforeEach(async () => {
  gw = createTestGateway(PollingEcho);
  await gw.start();
});
afterEach(() => gw.stop());

/** Sends a command and waits for its reply, the way the docs say: the wait first, then the message. */
async function command(action: string, correlation: string) {
  const reply = gw.waitFor(STATUS, { correlation });
  await gw.receive(CMD, { action, correlation });
  return reply;
}

describe('TestGateway.waitFor', () => {
  it('waits for what is published after the call, not an earlier message of the same kind', async () => {
    await command('light_on', 'c1');
    const next = gw.waitFor(STATUS, { action: 'light_on' });
    await gw.receive(CMD, { action: 'light_on', correlation: 'c2' });
    expect(JSON.parse((await next).payload)).toMatchObject({ correlation: 'c2' });
  });

  it('takes earlier messages when asked: since the start, from an index, or after a message', async () => {
    const first = await command('light_on', 'c1');
    const second = await command('light_off', 'c2');
    expect(await gw.waitFor(STATUS, { action: 'light_on' }, { since: 'start' })).toBe(first);
    expect(await gw.waitFor({ topic: STATUS }, { since: gw.published.indexOf(second) })).toBe(second);
    expect(await gw.waitFor(STATUS, undefined, { since: first })).toBe(second);
    expect(await gw.waitFor((m) => m.topic === 'test/testgw/availability', { since: 'start' })).toMatchObject({ payload: 'online', retain: true });
  });

  it('matches a topic filter and a partial set of JSON fields, patterns included', async () => {
    const reply = gw.waitFor('test/lighting/+/kitchen/#', { response: 'OK', reason: /light_on$/ });
    await gw.receive(CMD, { action: 'light_on', correlation: 'c1', arguments: { level: 3 } });
    expect(JSON.parse((await reply).payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'done light_on', correlation: 'c1' });

    const all = gw.published;
    const match = (fields: JsonFields) =>
      gw.waitFor(STATUS, fields, { since: 'start', timeoutMs: 1 }).then(
        () => true,
        () => false,
      );
    expect(all.length).toBeGreaterThan(1);
    await expect(match({ response: 'OK' })).resolves.toBe(true);
    await expect(match({ response: 'ok' })).resolves.toBe(false);
    await expect(match({ response: 'OK', missing: null })).resolves.toBe(false);
    await expect(match({ action: /^light_/ })).resolves.toBe(true);
  });

  it('looks into nested objects partially and compares arrays whole', async () => {
    const detailed = createTestGateway(Detailed);
    await detailed.start();
    const reply = detailed.waitFor(STATUS, { detail: { level: 3, steps: [1, 2] } });
    await detailed.receive(CMD, { action: 'light_on' });
    await reply;
    const match = (detail: JsonFields) =>
      detailed.waitFor(STATUS, { detail }, { since: 'start', timeoutMs: 1 }).then(
        () => true,
        () => false,
      );
    await expect(match({ note: /^ke/ })).resolves.toBe(true);
    await expect(match({ steps: [1] })).resolves.toBe(false);
    await expect(match({ level: '3' })).resolves.toBe(false);
    await detailed.stop();
  });

  it('takes waitFor(topic, { since, timeoutMs }) for options, not for JSON fields', async () => {
    const first = await command('light_on', 'c1');
    expect(await gw.waitFor(STATUS, { since: 'start' })).toBe(first);
    await expect(gw.waitFor('test/none', { timeoutMs: 1 })).rejects.toThrow('no message on "test/none" was published after waitFor() was called within 1 ms');
  });

  it('matches a payload exactly or by pattern, and the retain flag', async () => {
    await expect(gw.waitFor('test/testgw/availability', 'online', { since: 'start' })).resolves.toMatchObject({ retain: true });
    await expect(gw.waitFor('test/testgw/availability', /^on/, { since: 'start' })).resolves.toBeDefined();
    await expect(gw.waitFor({ topic: 'test/testgw/availability', retain: true }, { since: 'start' })).resolves.toBeDefined();
    // A payload that is not a JSON object never matches fields.
    await expect(gw.waitFor({ topic: 'test/testgw/availability', json: {} }, { since: 'start', timeoutMs: 1 })).rejects.toThrow(
      'no message on "test/testgw/availability" with fields {} was published since the start within 1 ms',
    );
  });

  it('says what it waited for and what was published when nothing came', async () => {
    await command('light_on', 'c1');
    await expect(gw.waitFor(STATUS, { action: 'pump', state: /on/ }, { timeoutMs: 20 })).rejects.toThrow(
      `no message on "${STATUS}" with fields {"action":"pump","state":"/on/"} was published after waitFor() was called within 20 ms; the last published:\n  test/testgw/availability online\n  ${STATUS} {"action":"light_on"`,
    );
    await expect(gw.waitFor(() => false, { timeoutMs: 1 })).rejects.toThrow(
      'nothing matching the predicate was published after waitFor() was called within 1 ms',
    );
  });

  it('refuses a `since` message this gateway did not publish', () => {
    expect(() => gw.waitFor(STATUS, undefined, { since: { topic: 'x', payload: '', qos: 0, retain: false } })).toThrow(/not published by this gateway/);
  });
});
