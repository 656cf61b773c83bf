import type { Names } from './names.js';

export interface TemplateOptions {
  /** npm package name (`@mg/interface-intercom` in the workspace, `intercom2mqtt` outside). */
  packageName: string;
  /** Version range of @mg/core (`workspace:^` in the workspace). */
  coreRange: string;
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
      scripts: { build: 'tsc -p tsconfig.build.json', test: 'jest', start: `node dist/launcher.js -c ${n.app}.conf`, check: `node dist/launcher.js --check -c ${n.app}.conf` },
      dependencies: { '@mg/core': o.coreRange },
      devDependencies: { '@types/jest': '^30.0.0', '@types/node': '^20.19.0', jest: '^30.2.0', 'ts-jest': '^29.4.5', typescript: '~5.9.3' },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true,
        esModuleInterop: true, skipLibCheck: true, declaration: true, sourceMap: true, isolatedModules: true, rootDir: 'src', outDir: 'dist', types: ['node', 'jest'],
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
    [`src/${n.module}.ts`]: `import { InternalMessage, requireParam, type GatewayInterface, type InterfaceContext } from '@mg/core';

/**
 * The ${n.name} interface. The gateway calls loop() every [MQTT] timeout seconds and publishes
 * what it pushed to ctx.outgoing. Replace the marked parts with the device's code.
 */
export class ${n.className} implements GatewayInterface {
  private readonly port: string;

  constructor(private readonly ctx: InterfaceContext) {
    // Options from [INTERFACE]; a thrown error stops the gateway at start with its message.
    this.port = requireParam(ctx, 'port', 'give the device address, e.g. "port: /dev/ttyUSB0"');
    ctx.logger.info(\`${n.name} interface on \${this.port}\`);
  }

  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (!msg.isCmd) continue;
      // TODO: send the command to the device here.
      this.ctx.logger.info(\`command \${msg.toString()}\`);
      this.ctx.outgoing.push(msg.reply('OK', \`\${msg.action} done\`));
    }
    // TODO: read the device here and push what it reports, for example:
    // this.ctx.outgoing.push(new InternalMessage({ function: 'Lighting', location: 'Kitchen', action: 'LIGHT_ON' }));
  }

  /** A status to publish; kept as an example of building a message. */
  static status(action: string): InternalMessage {
    return new InternalMessage({ isCmd: false, function: '${n.className.replace(/Interface$/, '')}', action });
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
    [`src/${n.module}.test.ts`]: `import { InternalMessage, MessageList, type InterfaceContext } from '@mg/core';
import { ${n.className} } from './${n.module}.js';

function context(params: Record<string, string>): InterfaceContext {
  const quiet = () => undefined;
  const logger = { name: 'test', critical: quiet, error: quiet, warn: quiet, info: quiet, debug: quiet, isLevelEnabled: () => false, child: () => logger };
  return { params, incoming: new MessageList(), outgoing: new MessageList(), logger, signal: new AbortController().signal, appName: '${n.app}', configFile: '/etc/${n.app}.conf' };
}

describe('${n.className}', () => {
  it('refuses to start without [INTERFACE] port', () => {
    expect(() => new ${n.className}(context({}))).toThrow('[INTERFACE] port is missing in /etc/${n.app}.conf');
  });

  it('answers every command with a reply', () => {
    const ctx = context({ port: '/dev/null' });
    const iface = new ${n.className}(ctx);
    ctx.incoming.push(new InternalMessage({ isCmd: true, function: 'Lighting', location: 'Kitchen', action: 'LIGHT_ON' }));
    iface.loop();
    expect(ctx.outgoing.pull()).toMatchObject({ isCmd: false, location: 'Kitchen', action: 'LIGHT_ON', arguments: { response: 'OK', reason: 'LIGHT_ON done' } });
  });
});
`,
    [`${n.app}.conf`]: `# Configuration of ${n.app}. Every option and its default: the @mg configuration reference
# (docs/configuration.md), or node_modules/@mg/core/default.conf.
# Check without connecting: ${n.app} --check -c ${n.app}.conf

[INTERFACE]
port: /dev/ttyUSB0

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
`,
  };
}
