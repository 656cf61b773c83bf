import { ExtensionError, GatewayStateError } from '../errors.js';
import type { GatewayExtension } from './extension.js';
import { createTestGateway } from '../testing/index.js';
import { Lamp } from '../test-support/toy-extension.js';

type Reported = { extension?: string; where: string; error: unknown };

/** A gateway around `ext`, recording both kinds of error events. */
function watched(ext: GatewayExtension) {
  const gw = createTestGateway(Lamp, { extensions: [ext] });
  const extensionErrors: Reported[] = [];
  const interfaceErrors: Reported[] = [];
  gw.gateway.on('extension-error', (e) => extensionErrors.push(e));
  gw.gateway.on('interface-error', (e) => interfaceErrors.push(e));
  return { gw, extensionErrors, interfaceErrors };
}

it("reports an extension whose start() rejects as the extension's failure: its event, its counter, its error, one CRITICAL line", async () => {
  const broken: GatewayExtension = {
    section: 'BROKEN',
    options: {},
    description: 'Cannot start.',
    create: () => ({ start: () => Promise.reject(new Error('discovery prefix unreachable')) }),
  };
  const { gw, extensionErrors, interfaceErrors } = watched(broken);
  const failure = await gw.start().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(ExtensionError);
  expect(failure).toMatchObject({ code: 'EXTENSION_START_FAILED', extension: 'BROKEN', cause: { message: 'discovery prefix unreachable' } });
  expect((failure as Error).message.match(/BROKEN/g)).toHaveLength(1);
  expect(extensionErrors).toEqual([{ extension: 'BROKEN', where: 'start()', error: failure }]);
  expect(interfaceErrors).toEqual([]);
  expect(gw.counters).toMatchObject({ extensionErrors: 1, interfaceErrors: 0 });
  const critical = gw.logs.filter((r) => r.startsWith('CRITICAL'));
  expect(critical).toHaveLength(1);
  expect(critical[0]).toContain('[BROKEN]');
  expect(critical[0]).not.toContain('interface');
});

it("reports an extension's route, listener and contained callback errors as its own, and goes on", async () => {
  const faulty: GatewayExtension = {
    section: 'FAULTY',
    options: {},
    description: 'Throws.',
    create: (ctx) => ({
      start() {
        ctx.onConnected(() => {
          throw new Error('connected boom');
        });
        ctx.devices.onState(() => {
          throw new Error('state boom');
        });
        ctx.route('faulty/#', () => {
          throw new Error('route boom');
        });
        ctx.contain('timer', () => {
          throw new Error('timer boom');
        })();
      },
    }),
  };
  const { gw, extensionErrors, interfaceErrors } = watched(faulty);
  await gw.start();
  const status = gw.waitFor('test/+/+/+/+/+/S'); // the status is published all the same
  await gw.receive('faulty/x', 'garbage');
  await gw.receive('test/function/gateway/Hall/Lamp/sender/C', 'ON');
  await status;
  await gw.stop();
  // A status may give the lamp more than one value: the state listener may fail more than once.
  expect([...new Set(extensionErrors.map((e) => `${e.extension} ${e.where}: ${(e.error as Error).message}`))].sort()).toEqual(
    [
      'FAULTY timer: timer boom',
      'FAULTY onConnected listener: connected boom',
      'FAULTY route "faulty/#": route boom',
      'FAULTY device state listener: state boom',
    ].sort(),
  );
  expect(interfaceErrors).toEqual([]);
  expect(gw.counters).toMatchObject({ extensionErrors: extensionErrors.length, interfaceErrors: 0 });
});

it("refuses an extension whose topics take in the gateway's subscriptions with its ExtensionError", async () => {
  const greedy: GatewayExtension = {
    section: 'GREEDY',
    options: {},
    description: 'Takes all.',
    create: (ctx) => ({ start: () => ctx.route('test/#', () => undefined) }),
  };
  const { gw, extensionErrors } = watched(greedy);
  await expect(gw.start()).rejects.toMatchObject({ name: 'ExtensionError', code: 'EXTENSION_ROUTE_OVERLAP', extension: 'GREEDY' });
  expect(extensionErrors.map((e) => e.extension)).toEqual(['GREEDY']);
});

it('refuses a second start() with a GatewayStateError', async () => {
  const gw = createTestGateway(Lamp);
  await gw.start();
  await expect(gw.start()).rejects.toBeInstanceOf(GatewayStateError);
  await expect(gw.start()).rejects.toMatchObject({ code: 'GATEWAY_ALREADY_STARTED' });
  await gw.stop();
});
