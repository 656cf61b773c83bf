import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docOnDisk, withSection } from '@mg/test-helpers';

// The public surface, entry by entry: adding a name is a conscious change to this list and to the
// README's (UPDATE_DOCS=1 rewrites it). Values are what the built module exports at run time;
// types are the names exported for TypeScript alone.
const SURFACE: Record<string, { values: string[]; types: string[] }> = {
  '.': {
    values: ['ExtensionError', 'InterfaceError', 'InternalMessage', 'MessageError', 'MessageList', 'createGateway', 'startGateway'],
    types: [
      'ArgumentOptions',
      'AvailabilitySource',
      'Capability',
      'CapabilityValue',
      'Device',
      'DeviceDeclarations',
      'DeviceInput',
      'Gateway',
      'GatewayCounters',
      'GatewayEvents',
      'GatewayHandle',
      'GatewayInterface',
      'GatewayOptions',
      'InterfaceClass',
      'InterfaceContext',
      'InterfaceOptions',
      'JsonValue',
      'Logger',
      'MessageArguments',
      'MessageFields',
      'ReplyOutcome',
      'RunOptions',
      'SenderWords',
    ],
  },
  './devices': {
    values: ['DeviceError', 'capabilitySchema', 'deviceSchema', 'parseDevices', 'publishPolicySchema'],
    types: ['Capability', 'CapabilityKind', 'CapabilityValue', 'CommandBinding', 'Device', 'DeviceInput', 'PublishPolicy', 'StateBinding'],
  },
  './errors': {
    values: ['BrokerListError', 'DeviceError', 'ExtensionError', 'GatewayStateError', 'InterfaceError', 'MapError', 'MessageError'],
    types: [
      'BrokerListErrorCode',
      'CoreErrorCode',
      'DeviceErrorCode',
      'ExtensionErrorCode',
      'GatewayStateErrorCode',
      'InterfaceErrorCode',
      'MapErrorCode',
      'MessageErrorCode',
    ],
  },
  './extensions': {
    values: [],
    types: [
      'Availability',
      'DeviceView',
      'DeviceWrite',
      'ExtensionContext',
      'ExtensionFiles',
      'ExtensionInstance',
      'ExtensionPublishOptions',
      'GatewayExtension',
      'GatewayView',
      'Presence',
      'ServiceContext',
      'StartedService',
      'WriteOutcome',
    ],
  },
  './options': {
    values: ['address', 'bool', 'choice', 'gatewaySections', 'int', 'list', 'number', 'port', 'renderOptionsTable', 'string'],
    types: ['AddressOptions', 'CommonOptions', 'OptionSchema', 'RangeOptions'],
  },
  './testing': {
    values: ['createTestContext', 'createTestGateway', 'memoryLogging'],
    types: [
      'JsonFields',
      'MemoryLogging',
      'PublishedMatch',
      'PublishedMessage',
      'TestContext',
      'TestGateway',
      'TestGatewayOptions',
      'WaitFor',
      'WaitForOptions',
    ],
  },
};
// The issue that narrowed the index set this bound: a growing index is how internals leak.
const MAX_INDEX_NAMES = 30;

const pkgDir = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };

/** The code entries of package.json's "exports", each with its source module under src/. */
const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'object' ? [{ subpath, source: target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts') }] : [],
);

/**
 * Every name an entry module exports. Entries only re-export by name (`export { a } from`,
 * `export type { B } from`), which keeps this reading exact: anything else fails here.
 */
function exportedNames(source: string): string[] {
  const code = readFileSync(join(__dirname, source), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return code
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .flatMap((statement) => {
      const m = /^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'[^']+'$/.exec(statement);
      if (!m) throw new Error(`${source}: an entry module only re-exports by name, not: ${statement}`);
      return m[1]!
        .split(',')
        .map((n) => n.trim().replace(/^type\s+/, ''))
        .filter((n) => n !== '')
        .map((n) => n.split(/\s+as\s+/).pop()!);
    });
}

function surfaceOf(source: string): { values: string[]; types: string[] } {
  const values = Object.keys(require(`./${source.replace(/\.ts$/, '')}`) as object).sort();
  const types = exportedNames(source)
    .filter((n) => !values.includes(n))
    .sort();
  return { values, types };
}

/** The README's list, made from SURFACE. */
function apiList(): string {
  const names = (list: string[]) => list.map((n) => `\`${n}\``).join(', ');
  return Object.entries(SURFACE)
    .map(([subpath, { values, types }]) => {
      const from = subpath === '.' ? '@mg/core' : `@mg/core/${subpath.slice(2)}`;
      const count = values.length + types.length;
      return `- **\`${from}\`** (${count}): ${values.length > 0 ? `${names(values)} and ` : ''}the types ${names(types)}.`;
    })
    .join('\n');
}

describe('the public surface', () => {
  it('has exactly the entries listed here', () => {
    expect(entries.map((e) => e.subpath).sort()).toEqual(Object.keys(SURFACE).sort());
  });

  it.each(entries)('$subpath exports exactly the names listed here', ({ subpath, source }) => {
    expect(surfaceOf(source)).toEqual(SURFACE[subpath]);
  });

  it(`keeps the main entry to ${MAX_INDEX_NAMES} names at most`, () => {
    const index = SURFACE['.']!;
    expect(index.values.length + index.types.length).toBeLessThanOrEqual(MAX_INDEX_NAMES);
  });

  it('lists every entry and name in the README (UPDATE_DOCS=1 rewrites the list)', () => {
    const path = join(pkgDir, 'README.md');
    const wanted = withSection(readFileSync(path, 'utf8'), 'api', apiList());
    expect(docOnDisk(path, wanted)).toBe(wanted);
  });
});
