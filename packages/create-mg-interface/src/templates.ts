import { describeMethod } from './describe-template.js';
import { eventTest } from './event-test-template.js';
import { deviceSim, eventInterface } from './event-templates.js';
import type { Names } from './names.js';

export interface TemplateOptions {
  /** npm package name (`@mg/interface-pool` in the workspace, `pool2mqtt` outside). */
  packageName: string;
  /** Version range of @mg/core and @mg/device-io (`workspace:^` in the workspace). */
  coreRange: string;
  /** `event`: a device on @mg/device-io's line transport; `polling`: loop() in turns. */
  mode: 'event' | 'polling';
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Every file of a new interface package, by path. Shaped like @mg/interface-dummy. */
export function templates(n: Names, o: TemplateOptions): Record<string, string> {
  return {
    'package.json': json({
      name: o.packageName,
      version: '0.1.0',
      description: `@mg gateway between ${n.name} and MQTT`,
      license: 'MIT',
      main: './dist/index.js',
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      bin: { [n.app]: './dist/launcher.js' },
      files: ['dist', '!dist/**/*.test.*', `${n.app}.conf`, `${n.name}.map.json`, `${n.app}.service`],
      engines: { node: '>=20' },
      publishConfig: { access: 'public' },
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        lint: 'tsc -p tsconfig.json --noEmit --noUnusedLocals --noUnusedParameters',
        test: 'jest',
        start: `node dist/launcher.js -c ${n.app}.conf`,
        check: `node dist/launcher.js --check -c ${n.app}.conf`,
      },
      dependencies: o.mode === 'event' ? { '@mg/core': o.coreRange, '@mg/device-io': o.coreRange } : { '@mg/core': o.coreRange },
      devDependencies: { '@types/jest': '^30.0.0', '@types/node': '^20.19.0', jest: '^30.2.0', 'ts-jest': '^29.4.5', typescript: '~5.9.3' },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        esModuleInterop: true,
        skipLibCheck: true,
        declaration: true,
        sourceMap: true,
        isolatedModules: true,
        rootDir: 'src',
        outDir: 'dist',
        types: ['node', 'jest'],
      },
      include: ['src'],
    }),
    'tsconfig.build.json': json({ extends: './tsconfig.json', compilerOptions: { types: ['node'] }, exclude: ['src/**/*.test.ts'] }),
    'jest.config.js': `/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
};
`,
    [`src/${n.module}.ts`]:
      o.mode === 'event'
        ? eventInterface(n)
        : `import { address } from '@mg/core/options';
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';

/** The [INTERFACE] options: they type ctx.options, and --check validates them. */
const options = {
  port: address('', 'The device: a serial port or tcp://host:port.', { required: 'give the device address, e.g. "port: /dev/ttyUSB0"' }),
};

/**
 * The ${n.name} interface. The gateway calls loop() as soon as messages arrive, and at least
 * every [MQTT] timeout seconds; what it pushes to ctx.outgoing is published at once.
 * Replace the marked parts with the device's code.
 */
export class ${n.className} implements GatewayInterface {
  static readonly options = options;

${describeMethod("'lamp'")}
  // Only options here: device I/O belongs in start().
  constructor(private readonly ctx: InterfaceContext<typeof options>) {}

  start(): void {
    // TODO: open the device here (resolve once it is ready; @mg/device-io has line transports).
    this.ctx.logger.info(\`${n.name} interface on \${this.ctx.options.port}\`);
  }

  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (!msg.isCmd) continue;
      // TODO: send the command to the device here.
      this.ctx.logger.info(\`command \${msg.toString()}\`);
      this.ctx.outgoing.push(msg.reply('OK', \`\${msg.action} done\`));
    }
    // TODO: read the device here and push what it reports, for example:
    // this.ctx.outgoing.push(${n.className}.status('LIGHT_ON'));
    // and say whether it answered (published on its availability topic): this.ctx.devices.setAvailable('lamp', answered);
  }

  stop(): void {
    // TODO: close the device here.
  }

  /** A status to publish; kept as an example of building a message. */
  static status(action: string): InternalMessage {
    return new InternalMessage({ isCmd: false, function: 'Lighting', gateway: '${n.className.replace(/Interface$/, '')}', location: 'Kitchen', device: 'lamp', action });
  }
}
`,
    'src/launcher.ts': `#!/usr/bin/env node
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { ${n.className} } from './${n.module}.js';

void startGateway(${n.className}, {
  appName: '${n.app}',
  version: '0.1.0',
  description: 'Gateway between ${n.name} and MQTT.',
  // ${n.app}.conf and ${n.name}.map.json ship next to dist/.
  launcherDir: join(__dirname, '..'),
});
`,
    'src/index.ts': `export { ${n.className} } from './${n.module}.js';\n`,
    ...(o.mode === 'event' ? { 'src/test-support/device-sim.ts': deviceSim(n) } : {}),
    [`src/${n.module}.test.ts`]:
      o.mode === 'event'
        ? eventTest(n)
        : `import { join } from 'node:path';
import { createTestContext, createTestGateway } from '@mg/core/testing';
import { ${n.className} } from './${n.module}.js';

// The testing kit: the interface through a whole gateway in memory (map included), no broker.
const gateway = () =>
  createTestGateway(${n.className}, {
    appName: '${n.app}',
    options: { port: '/dev/null' },
    mqtt: { mapping: true, mapfilename: join(__dirname, '..', '${n.name}.map.json') },
  });

describe('${n.className}', () => {
  it('refuses to start without [INTERFACE] port, saying what to put there', () => {
    expect(() => createTestContext(${n.className}, {})).toThrow('[INTERFACE] port: is required: give the device address');
  });

  it('answers a command from MQTT with a reply', async () => {
    const gw = gateway();
    await gw.start();
    // waitFor waits for what is published after it is called: start it, then send.
    const reply = gw.waitFor('home/lighting/${n.name}/kitchen/lamp/${n.app}/S', { action: 'light_on', response: 'OK' });
    await gw.receive('home/lighting/${n.name}/kitchen/lamp/me/C', 'light_on');
    expect(JSON.parse((await reply).payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'LIGHT_ON done' });
    await gw.stop();
  });

  it('refuses a command for another gateway (the strict map)', async () => {
    const gw = gateway();
    const refused: string[] = [];
    gw.gateway.on('refused', (r) => refused.push(r.reason));
    await gw.start();
    await gw.receive('home/lighting/other/kitchen/lamp/me/C', 'light_on');
    expect(refused).toEqual(['strict-miss']);
    await gw.stop();
  });
});
`,
    [`${n.app}.conf`]: `# Configuration of ${n.app}. Every option and its default: the @mg configuration reference
# (docs/configuration.md), or node_modules/@mg/core/default.conf.
# Check without connecting: ${n.app} --check -c ${n.app}.conf

[INTERFACE]
port: ${
      o.mode === 'event'
        ? 'tcp://127.0.0.1:4001\n# Seconds between two status queries.\ninterval: 30\n# Seconds before trying the device again once it is gone, doubling up to reconnectmax.\nreconnectmin: 1\nreconnectmax: 30'
        : '/dev/ttyUSB0'
    }

[MQTT]
host: 127.0.0.1
port: 1883
mapping: on
mapfilename: ${n.name}.map.json

[LOG]
consolelevel: INFO
`,
    [`${n.name}.map.json`]: json({
      $schema: './node_modules/@mg/core/schema/map.schema.json',
      root: 'home',
      topics: [`home/+/${n.name}/+/+/+/C`],
      gateway: { maptype: 'strict', map: { [n.className.replace(/Interface$/, '')]: [n.name], '': [''] } },
      function: { maptype: 'loose', map: { Lighting: ['lighting'] } },
      location: { maptype: 'loose', map: { Kitchen: ['kitchen'] } },
      action: { maptype: 'loose', map: { LIGHT_ON: ['light_on'], LIGHT_OFF: ['light_off'] } },
    }),
    [`${n.app}.service`]: `# systemd unit: copy to /etc/systemd/system/${n.app}.service, then
#   systemctl daemon-reload && systemctl enable --now ${n.app}
[Unit]
Description=${n.app} (@mg gateway)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/env ${n.app} -c /etc/${n.app}/${n.app}.conf
Restart=on-failure
RestartSec=5
User=${n.app}

[Install]
WantedBy=multi-user.target
`,
    'README.md': `# ${o.packageName}

An @mg gateway between ${n.name} and MQTT, made with \`create-mg-interface\`.

\`\`\`sh
npm install && npm run build && npm test
npm run check        # validates ${n.app}.conf and ${n.name}.map.json
npm start            # runs the gateway
\`\`\`

Edit \`src/${n.module}.ts\` (the device side), \`${n.app}.conf\` (options) and
\`${n.name}.map.json\` (topics and vocabulary). \`${n.app}.service\` is a systemd unit to run it
as a service; SIGTERM stops it cleanly.

The gateway publishes whether the device is reachable on \`home/${n.app}/lamp/availability\`
(\`online\`/\`offline\`, retained; \`[MQTT] deviceavailabilitytopic\`)${
      o.mode === 'event'
        ? `, and reads it again on request:
\`mosquitto_pub -t home/${n.app}/poll -m lamp\` (or \`all\`; \`[MQTT] polltopic\`)`
        : ''
    }.
`,
  };
}
