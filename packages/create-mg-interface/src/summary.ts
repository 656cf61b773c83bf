import type { Names } from './names.js';

export interface SummaryOptions {
  /** The package's directory, relative to where the user is. */
  dir: string;
  /** The name as the user typed it. */
  typed: string;
  profile: boolean;
  workspace: boolean;
}

/** What the generator tells the user it made: the names it chose, and why, and what to do next. */
export function summary(n: Names, o: SummaryOptions): string {
  const lines: string[] = [];
  if (n.fromApp) lines.push(`"${o.typed.trim()}" is the application's name: the device is "${n.name}", the application ${n.app}.`);
  if (o.profile) {
    lines.push(
      `created ${o.dir}: ${n.app}, serial2mqtt with a profile and no code`,
      `  ${n.name}.profile.json   how the device talks (commands, answers, statuses, queries): edit it for yours`,
      `  ${n.app}.conf   the device's port and the profile; ${n.name}.map.json the MQTT vocabulary; ${n.app}.service`,
      `next: cd ${o.dir} && npm install && npx serial2mqtt --check -c ${n.app}.conf`,
      'A Modbus device: profiles for modbus2mqtt are not generated yet (they come with @mg/interface-modbus).',
    );
    return lines.join('\n');
  }
  lines.push(
    `created ${o.dir}: the interface ${n.className} (src/${n.module}.ts) and the application ${n.app}`,
    `  ${n.app}.conf   its options; ${n.name}.map.json the MQTT vocabulary; ${n.app}.service a systemd unit; bin ${n.app}`,
    o.workspace ? `next: pnpm install && pnpm --filter ./${o.dir} test` : `next: cd ${o.dir} && npm install && npm run build && npm test`,
  );
  return lines.join('\n');
}
