import { isAbsolute } from 'node:path';
import { bool, string } from '@mg/config';
import { ExtensionError } from '../error-catalog.js';
import type { ExtensionContext, ExtensionFiles, GatewayExtension } from '../extensions.js';
import { createTestGateway } from '../testing/index.js';
import { Lamp } from '../test-support/toy-extension.js';

type Options = { enabled: ReturnType<typeof bool>; host: ReturnType<typeof string>; token: ReturnType<typeof string> };

/** A page server's rule between options: a host other than loopback needs a token. */
function guarded(check: (options: { enabled: boolean; host: string; token: string }, files: ExtensionFiles) => void): GatewayExtension<Options> {
  return {
    section: 'PAGE',
    options: { enabled: bool(false, 'On.'), host: string('127.0.0.1', 'Address.'), token: string('', 'Token.') },
    description: 'A page.',
    check,
    create: () => undefined,
  };
}

const needsToken = guarded((o) => {
  if (o.host !== '127.0.0.1' && o.token === '')
    throw new ExtensionError('PAGE', 'PAGE_HOST_NEEDS_TOKEN', `[PAGE] host "${o.host}" is not loopback: set [PAGE] token`);
});

it('is called when the configuration is loaded (what --check does), with the typed options, off or on', () => {
  const seen: unknown[] = [];
  createTestGateway(Lamp, { extensions: [guarded((o) => seen.push(o))], config: { PAGE: { host: '0.0.0.0' } } });
  expect(seen).toEqual([{ enabled: false, host: '0.0.0.0', token: '' }]);
});

it('refuses with its own ExtensionError, as thrown, naming the option', () => {
  const build = () => createTestGateway(Lamp, { extensions: [needsToken], config: { PAGE: { enabled: true, host: '0.0.0.0' } } });
  expect(build).toThrow(expect.objectContaining({ name: 'ExtensionError', code: 'PAGE_HOST_NEEDS_TOKEN', extension: 'PAGE' }) as Error);
  expect(build).toThrow('[PAGE] host "0.0.0.0" is not loopback: set [PAGE] token');
  expect(() => createTestGateway(Lamp, { extensions: [needsToken], config: { PAGE: { host: '0.0.0.0', token: 't' } } })).not.toThrow();
});

it('wraps any other error in an ExtensionError that names the section', () => {
  const broken = guarded(() => {
    throw new TypeError('cannot read host');
  });
  expect(() => createTestGateway(Lamp, { extensions: [broken] })).toThrow(
    expect.objectContaining({ code: 'EXTENSION_OPTIONS_INVALID', extension: 'PAGE', message: '[PAGE] options refused: cannot read host' }) as Error,
  );
});

it('finds a file option by the path rules, in check() and through ctx.filePath()', () => {
  let checked = '';
  let ctx: ExtensionContext | undefined;
  const ext: GatewayExtension = {
    section: 'PAGE',
    options: {},
    description: 'A page.',
    check: (_o, files) => (checked = files.filePath('page.token')),
    create: (c) => void (ctx = c),
  };
  createTestGateway(Lamp, { extensions: [ext] });
  expect(isAbsolute(checked)).toBe(true);
  expect(checked.endsWith('page.token')).toBe(true);
  expect(ctx!.filePath('page.token')).toBe(checked);
});
