import { defineConfig, optionMeta, renderOptionsTable, section, type SectionSchema } from '@mg/config';
import type { GatewayExtension } from '@mg/core/extensions';
import { gatewaySections } from '@mg/core/options';
import { brokerSection } from '@mg/embedded-broker';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { DummyInterface } from '@mg/interface-dummy';
import { web } from '@mg/web';

// The conventions' sections, built as a gateway builds them from the extensions its launcher lists.
const conventions = Object.fromEntries(([homeAssistant, homie, web] as GatewayExtension[]).map((e) => [e.section, section(e.options, e.description)]));
const schema = defineConfig({ ...gatewaySections, BROKER: brokerSection, ...conventions });

// In a table, | ends the cell, even in a code span (GFM): escaped.
const pipe = (t: string) => t.replace(/\|/g, '\\|');
// Outside code, `<app>` or `<prefix>` would be read as an HTML tag (and dropped) by Markdown renderers: escaped.
const text = (t: string) => t.replace(/</g, '\\<');
const cell = (t: string) => pipe(text(t));

/** docs/configuration.md: every option, its default and meaning, from the schemas themselves. */
export function renderConfigReference(): string {
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated from the schemas by `pnpm --filter @mg/docs generate`; a test keeps it current. -->',
    '',
    'A gateway reads one INI file (`-c PATH`, default `<app>.conf`, see the path rules below) in the syntax of',
    "Python's configparser: `option: value` or `option = value`, `#` and `;` comment lines, case-insensitive",
    'option names, empty values allowed, no `%` interpolation, indented lines continue a value. The file',
    'overrides only the options it sets. An unknown section or option is warned about, with the closest',
    'known name, and ignored. Every invalid value is reported at once as',
    '`file:line: [SECTION] option = "value": what was expected`, and the gateway does not start.',
    '',
    '- **Environment**: `MG_<SECTION>_<OPTION>=value` overrides the file (`MG_MQTT_HOST=broker.lan`,',
    '  `MG_INTERFACE_PORT=/dev/ttyS0`); the start log says which values came from the environment.',
    '- **Booleans**: on/off, true/false, yes/no, 1/0. **Levels**: CRITICAL, ERROR, WARN or WARNING, INFO,',
    '  DEBUG, NONE.',
    '- **Path rules** for every file name (`-c`, `mapfilename`, `logfilename`, `passwordfile`, `tokenfile`, TLS files):',
    '  empty or `.` means `<app>` plus the default extension (`.conf`, `.map`, `.log`); a name ending in `/`',
    '  is a directory that gets that default name; absolute names are used as they are; relative names are',
    '  looked up next to the configuration file, then in the working directory, then next to the launcher,',
    '  and the first that exists wins. The configuration file itself is looked up in the working directory,',
    '  then next to the launcher.',
    '- **Secrets** (`password`, `emailpassword`, `[WEB] token`, and `[INTERFACE]` options whose names contain',
    '  password, secret, token, key...) are logged as `********`.',
    '- `--check` validates the configuration and the map, prints the effective configuration and exits',
    '  without connecting: exit code 0 when all is valid, 1 when something is invalid, 2 when it is valid',
    '  but with warnings (an unknown option or section, which a normal run reports and ignores, as the',
    '  original did). Use it in a deploy script to catch a misspelt option.',
    '- **Errors** in the configuration or the map stop the gateway at start with one message that names',
    '  the file, the line (or the JSON path) and what is expected, and exit code 1; `MG_DEBUG=1` adds the',
    '  stack trace for a bug report.',
    '',
  ];
  for (const [name, section] of Object.entries(schema.shape) as [string, SectionSchema][]) {
    const meta = (section.meta() ?? {}) as { description?: string; passthrough?: boolean };
    out.push(`## [${name}]`, '', text(meta.description ?? ''), '');
    if (meta.passthrough) {
      out.push(
        'The options of the interface. An interface that declares them (`static options`, with the helpers of',
        '`@mg/core/options`) gets them typed and validated like the sections above, and unknown ones are',
        'warned about; one that declares none gets every option as text. Each interface documents its own;',
        "the dummy's, generated from its declaration:",
        '',
        renderOptionsTable(DummyInterface.options),
        '',
      );
      continue;
    }
    out.push('| option | default | meaning |', '| --- | --- | --- |');
    for (const [option, s] of Object.entries((section as { shape: Record<string, Parameters<typeof optionMeta>[0]> }).shape)) {
      const m = optionMeta(s)!;
      out.push(`| \`${option}\` | ${m.default === '' ? '(empty)' : `\`${pipe(m.default)}\``} | ${cell(m.description)} |`);
    }
    out.push('');
  }
  out.push(
    '`[BROKER]` exists in launchers that offer the embedded broker (`@mg/embedded-broker`), such as `dummy2mqtt`.',
    '',
    '`[HOMEASSISTANT]` and `[HOMIE]` exist only in launchers that ship the conventions (`@mg/homeassistant`,',
    '`@mg/homie`), such as `dummy2mqtt` and `serial2mqtt`; each stays off until its section turns it on. See',
    '[Conventions](conventions.md) for what they publish and how an interface declares its devices.',
    '',
    '`[WEB]` exists in launchers that ship the status page (`@mg/web`), such as `dummy2mqtt`, `serial2mqtt` and',
    '`modbus2mqtt`; it stays off until `enabled: on`. See [The web page](web.md) for its endpoints and security.',
    '',
  );
  return out.join('\n');
}
