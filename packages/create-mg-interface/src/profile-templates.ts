// The files of a profile package (--profile): serial2mqtt runs the device from a JSON profile and
// a configuration; no code. Modbus profiles (modbus2mqtt) are not generated yet.
import type { Names } from './names.js';
import type { TemplateOptions } from './templates.js';

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** A line-protocol lamp with a dimmer: every feature of a profile, to be replaced by the device's. */
function profile(n: Names): Record<string, unknown> {
  return {
    $schema: './node_modules/@mg/interface-serial/schema/profile.schema.json',
    name: n.name,
    description: `TODO: what devices this profile is for (${n.name}), and anything a user should know.`,
    framing: { terminator: '\n', encoding: 'ascii', maxLineBytes: 256 },
    answers: { refused: 'ERR (?<reason>.{1,80})', busy: 'ERR BUSY', busyRetries: 2, busyDelayMs: 500 },
    commands: {
      LIGHT_ON: { send: 'LIGHT ON', confirm: 'OK' },
      LIGHT_OFF: { send: 'LIGHT OFF', confirm: 'OK' },
      LEVEL_SET: { send: 'LEVEL {level}', arguments: { level: { type: 'integer', min: 0, max: 100 } }, confirm: 'OK' },
    },
    statuses: [
      {
        match: 'STATE LIGHT=(?<light>ON|OFF) LEVEL=(?<level>\\d{1,3})',
        description: 'The answer to STATE?: two statuses from one line.',
        emit: [
          { action: 'LIGHT', arguments: { state: { group: 'light', map: { ON: 'on', OFF: 'off' } } } },
          { action: 'LEVEL', arguments: { level: { group: 'level', type: 'integer' } } },
        ],
      },
      { match: 'FAULT ([ -~]{1,80})', action: 'FAULT', arguments: { text: { group: 1 } } },
    ],
    queries: { atStart: ['STATE?'], afterCommand: ['STATE?'], poll: [{ seconds: 60, send: ['STATE?'] }] },
    capabilities: [
      {
        id: 'light',
        name: 'Light',
        kind: 'binary',
        command: { actions: { on: 'LIGHT_ON', off: 'LIGHT_OFF' } },
        state: { action: 'LIGHT', argument: 'state' },
      },
      {
        id: 'level',
        name: 'Level',
        kind: 'number',
        unit: '%',
        min: 0,
        max: 100,
        command: { action: 'LEVEL_SET', argument: 'level' },
        state: { action: 'LEVEL', argument: 'level' },
      },
    ],
  };
}

/** Every file of a profile package, by path. */
export function profileTemplates(n: Names, o: TemplateOptions): Record<string, string> {
  const conf = `${n.app}.conf`;
  return {
    'package.json': json({
      name: o.packageName,
      version: '0.1.0',
      private: true,
      description: `${n.app}: serial2mqtt with the ${n.name} profile (no code)`,
      license: 'MIT',
      files: [`${n.name}.profile.json`, conf, `${n.name}.map.json`, `${n.app}.service`],
      engines: { node: '>=20' },
      scripts: { check: `serial2mqtt --check -c ${conf}`, test: `serial2mqtt --check -c ${conf}`, start: `serial2mqtt -c ${conf}` },
      dependencies: { '@mg/interface-serial': o.coreRange },
    }),
    [`${n.name}.profile.json`]: json(profile(n)),
    [conf]: `# ${n.app}: serial2mqtt with ${n.name}.profile.json. Every option: serial2mqtt's own
# serial2mqtt.conf (node_modules/@mg/interface-serial/serial2mqtt.conf).
# Check the configuration, the map and the profile without connecting:
#   npx serial2mqtt --check -c ${conf}

[INTERFACE]
# The device: tcp://host:port (host:port will do), or a serial port (/dev/ttyUSB0, COM3).
port: tcp://127.0.0.1:4001
# Serial ports only: baudrate, databits, parity, stopbits (default 9600 8N1).
# The profile, next to this file.
profile: ${n.name}.profile.json
# The characteristics of its statuses, and those the commands it takes must have.
function: Lighting
location: Kitchen
device: Lamp
# Seconds the device has to answer a command.
replytimeout: 1
# Seconds before trying the device again once it is gone, doubling up to reconnectmax.
reconnectmin: 1
reconnectmax: 30

[MQTT]
host: 127.0.0.1
port: 1883
# Its name on MQTT: the sender of its statuses, its availability and poll topics.
clientid: ${n.app}
mapping: on
mapfilename: ${n.name}.map.json

[LOG]
consolelevel: INFO
`,
    [`${n.name}.map.json`]: json({
      $schema: './node_modules/@mg/core/schema/map.schema.json',
      root: 'home',
      topics: ['home/lighting/+/+/+/+/C'],
      function: { maptype: 'loose', map: { Lighting: ['lighting'] } },
      location: { maptype: 'loose', map: { Kitchen: ['kitchen'] } },
      device: { maptype: 'loose', map: { Lamp: ['lamp'] } },
      action: {
        maptype: 'loose',
        map: {
          LIGHT_ON: ['light_on'],
          LIGHT_OFF: ['light_off'],
          LEVEL_SET: ['level_set'],
          LIGHT: ['light'],
          LEVEL: ['level'],
          FAULT: ['fault'],
          CONNECTION: ['connection'],
        },
      },
    }),
    [`${n.app}.service`]: `# systemd unit: copy to /etc/systemd/system/${n.app}.service, then
#   systemctl daemon-reload && systemctl enable --now ${n.app}
[Unit]
Description=${n.app} (serial2mqtt with the ${n.name} profile)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/env serial2mqtt -c /etc/${n.app}/${conf}
Restart=on-failure
RestartSec=5
User=${n.app}

[Install]
WantedBy=multi-user.target
`,
    'README.md': `# ${o.packageName}

\`${n.app}\`: a line-protocol device on MQTT with no code. \`serial2mqtt\` (from
\`@mg/interface-serial\`) runs it from a profile, \`${n.name}.profile.json\`, and a configuration,
\`${conf}\`. Made with \`create-mg-interface --profile\`.

\`\`\`sh
npm install
npx serial2mqtt --check -c ${conf}   # the configuration, the map and the profile, without connecting
npx serial2mqtt -c ${conf}           # runs it
\`\`\`

Edit \`${n.name}.profile.json\` for your device (your editor completes and checks it through its
\`$schema\`); as generated it describes a dimmable lamp that answers \`OK\`, \`ERR BUSY\` or
\`ERR <why>\` and answers \`STATE?\` with \`STATE LIGHT=ON LEVEL=40\`:

- \`commands\`: the line each internal action sends (\`LEVEL {level}\`), its arguments, and the line
  that confirms it;
- \`answers\`: what a refusal looks like (the device's words go into the ERROR reply) and what
  "busy, try later" looks like (the command is sent again);
- \`statuses\`: what each device line means; with \`emit\`, one line becomes several statuses;
- \`queries\`: lines sent at each connection, after each confirmed command, and periodically;
- \`capabilities\`: what Home Assistant and Homie see.

The [profile reference](https://github.com/mg-gateway/mg/blob/main/packages/interface-serial/docs/profile-reference.md)
has every key. Then set \`port\`, \`function\`, \`location\` and \`device\` in \`${conf}\`, and the
vocabulary in \`${n.name}.map.json\`. \`${n.app}.service\` is a systemd unit.

Devices on Modbus get profiles of their own with \`modbus2mqtt\` (\`@mg/interface-modbus\`); this
generator does not make those yet. A device whose protocol a profile cannot say: generate an
interface in TypeScript instead (\`npm create mg-interface ${n.app}\`, without \`--profile\`).
`,
  };
}
