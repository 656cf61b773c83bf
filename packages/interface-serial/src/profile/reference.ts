/**
 * docs/profile-reference.md, rendered from the profile's JSON Schema (itself generated from the
 * zod schema), so the page cannot drift from what the loader accepts.
 */
import { profileJsonSchema } from './json-schema.js';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (value: unknown) => `\`${JSON.stringify(value)}\``;

/** `{ action, argument? }`: the keys of an object, the optional ones marked. */
function keysOf(node: Node): string {
  const required = (node.required ?? []) as string[];
  return `\`{ ${Object.keys(node.properties as Node)
    .map((k) => (required.includes(k) ? k : `${k}?`))
    .join(', ')} }\``;
}

function typeOf(node: Node): string {
  if (node.const !== undefined) return code(node.const);
  if (Array.isArray(node.enum)) return node.enum.map(code).join(' or ');
  const variants = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  // Objects told apart by their keys (a capability's command and state): show the keys.
  if (variants) return variants.map((v) => (isNode(v.properties) ? keysOf(v) : typeOf(v))).join(' or ');
  if (Array.isArray(node.type)) return node.type.join(' or ');
  // zod bounds integers to the safe range: not worth a reader's attention.
  const bound = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  const [lo, hi, above] = [bound(node.minimum), bound(node.maximum), bound(node.exclusiveMinimum)];
  const range =
    above !== undefined
      ? ` > ${above}`
      : lo !== undefined && hi !== undefined
        ? ` ${lo} to ${hi}`
        : lo !== undefined
          ? ` ≥ ${lo}`
          : hi !== undefined
            ? ` ≤ ${hi}`
            : '';
  switch (node.type) {
    case 'array':
      return `list of ${isNode(node.items) ? typeOf(node.items) : 'values'}${node.minItems ? ` (at least ${node.minItems as number})` : ''}`;
    case 'object':
      if (isNode(node.additionalProperties))
        return `object: key → ${isNode(node.additionalProperties.properties) || node.additionalProperties.oneOf ? 'object' : typeOf(node.additionalProperties)}`;
      return 'object';
    case 'integer':
    case 'number':
      return `${node.type}${range}`;
    case 'string':
      return node.pattern ? `string matching \`${node.pattern as string}\`` : 'string';
    default:
      return 'value';
  }
}

interface Section {
  title: string;
  node: Node;
}

function table(section: Section, children: Section[]): string[] {
  const properties = (section.node.properties ?? {}) as Record<string, Node>;
  const required = (section.node.required ?? []) as string[];
  const rows = ['| key | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, node] of Object.entries(properties)) {
    const def = node.default !== undefined ? code(node.default) : required.includes(key) ? '(required)' : '(optional)';
    rows.push(`| \`${key}\` | ${cell(typeOf(node))} | ${cell(def)} | ${cell((node.description as string | undefined) ?? '')} |`);
    const path = section.title === 'Top level' ? key : `${section.title}.${key}`;
    const record = isNode(node.additionalProperties) ? node.additionalProperties : undefined;
    if (isNode(node.properties)) children.push({ title: path, node });
    else if (record && (isNode(record.properties) || record.oneOf)) {
      const name = (((node.propertyNames as Node | undefined)?.pattern as string | undefined) ?? '').startsWith('^[A-Z]') ? '<ACTION>' : '<name>';
      children.push({ title: `${path}.${name}`, node: record });
    } else if (isNode(node.items) && isNode(node.items.properties)) children.push({ title: `${path}[]`, node: node.items });
  }
  return rows;
}

/** A section, then the sections of its nested objects, depth first (the order of the file). */
function sections(section: Section, out: string[] = []): string[] {
  const children: Section[] = [];
  out.push(`## ${section.title === 'Top level' ? section.title : `\`${section.title}\``}`, '');
  if (typeof section.node.description === 'string') out.push(section.node.description, '');
  const variants = section.node.oneOf as Node[] | undefined;
  for (const variant of variants ?? []) {
    const type = ((variant.properties as Record<string, Node>).type?.const ?? '?') as string;
    out.push(`### type \`"${type}"\``, '', ...table({ title: section.title, node: variant }, children), '');
  }
  if (!variants) out.push(...table(section, children), '');
  for (const child of children) sections(child, out);
  return out;
}

const INTRO = `# Profile reference

<!-- Generated from the profile schema by \`pnpm --filter @mg/interface-serial generate\`; a test keeps it current (UPDATE_DOCS=1 rewrites it). -->

A profile is a JSON file that says how a line-protocol device talks: how its lines end, the
line each internal action sends, what each line it sends means, and what to ask it at start.
Start it with \`"$schema": "<path or URL of profile.schema.json>"\` and an editor completes and
checks it as you type (the schema ships as \`@mg/interface-serial/profile.schema.json\`).

Every problem is reported at once, each with its JSON path:

\`\`\`text
my-device.json: invalid profile, 3 problems:
  commands.VOL_SET.send: placeholder {lvl} is not a declared argument (declared: level)
  commands.VOL_SET.arguments.level: is declared but "MV{lvl}" does not use it: add {level} to send, or remove it
  statuses[2].match: invalid regular expression: Unterminated group
\`\`\`

## Templates (\`commands.<ACTION>.send\`)

- Literal text is sent as it is; \`{name}\` is replaced by the value of the argument \`name\`.
- \`{{\` and \`}}\` are a literal \`{\` and \`}\`; any other \`{\` or \`}\` is an error.
- Every placeholder must be a declared argument, and every declared argument must be used.
- How a value is written is part of the argument, not of the template: \`pad\`, \`decimalSeparator\`,
  \`map\`. With \`{ "type": "number", "pad": 2, "decimalSeparator": "" }\`, \`MV{level}\` sends \`MV05\`
  for 5, \`MV45\` for 45 and \`MV455\` for 45.5.
- Nothing sent may contain a line terminator (the send terminator is added to each line), and
  string arguments accept printable characters only: a sender cannot slip in a second command.

## Patterns (\`statuses[].match\`, \`commands.<ACTION>.confirm\`, string \`pattern\`)

- JavaScript regular expressions, in JSON strings (so \`\\\\d\` for \`\\d\`), matched against the whole
  line: \`MV(\\\\d\\\\d)\` is tested as \`^(?:MV(\\\\d\\\\d))$\`. Write \`SI.*\` for "starts with SI".
- Groups are numbered from 1 in the order of their \`(\`; \`(?<level>\\\\d+)\` names one.
- An unbounded quantifier inside a repeated group (\`(a+)+\`, \`(.*)*\`) is refused: on a long garbage
  line it can take exponential time. Prefer bounded classes (\`[A-Z0-9/]{1,16}\` rather than \`.+\`).
- Statuses are tried in order; the first whose pattern matches and whose arguments read wins.
  A number that does not read, or a token missing from a \`map\`, makes the line not match that
  status, and the next one is tried. A line no status recognises is unknown.

## Answers: refusals and busy (\`answers\`, \`commands.<ACTION>.answers\`)

A command is answered OK once the device sends the line that confirms it (\`confirm\`, or any
line a status recognises). \`answers\` says what else the device may answer, so that the MQTT
reply says what happened at once instead of "no answer from the device within 1 s":

\`\`\`json
"answers": { "refused": "ERR (?<reason>.*)", "busy": "ERR BUSY", "busyRetries": 2, "busyDelayMs": 500 }
\`\`\`

- \`refused\`: the command is answered ERROR at once, with the device's words: the group named
  \`reason\`, else group 1, else the whole line (\`ERR OUT OF RANGE\` gives \`refused by the
  device: OUT OF RANGE\`).
- \`busy\`: the command is sent again after \`busyDelayMs\` (default 500), \`busyRetries\` times
  at most (default 2), then answered ERROR (\`the device stayed busy after 3 attempts\`).
  Busy is tried before refused, so \`ERR BUSY\` is busy even when \`refused\` is
  \`ERR (?<reason>.*)\`.
- A line either pattern matches never confirms a command. Each attempt has the reply timeout
  (\`[INTERFACE] replytimeout\`) to be answered.
- Profile-wide at the top level; a command's own \`answers\` override it key by key (a command
  answered \`NAK\` where the others say \`ERR ...\` gives only \`"refused": "NAK"\`).

## One line, several statuses (\`statuses[].emit\`)

A status gives one message (\`action\` and \`arguments\`) or, with \`emit\` instead, several, each
with its own action and arguments read from the groups of the same \`match\`:

\`\`\`json
{
  "match": "STATUS PUMP=(?<pump>ON|OFF) TEMP=(?<temp>-?\\d{1,3}(?:\\.\\d{1,2})?) SETPOINT=(?<sp>\\d{1,2}(?:\\.\\d)?)",
  "emit": [
    { "action": "PUMP", "arguments": { "state": { "group": "pump", "map": { "ON": "on", "OFF": "off" } } } },
    { "action": "TEMPERATURE", "arguments": { "value": { "group": "temp", "type": "number" } } },
    { "action": "SETPOINT", "arguments": { "value": { "group": "sp", "type": "number" } } }
  ]
}
\`\`\`

- \`STATUS PUMP=ON TEMP=27.5 SETPOINT=28.0\` becomes three status messages, in order: \`PUMP\`
  (\`state\` \`"on"\`), \`TEMPERATURE\` (\`value\` 27.5), \`SETPOINT\` (\`value\` 28).
- Arguments are written as a status's (\`group\` by number or name, \`type\`, \`scale\`, \`map\`,
  or a constant \`value\`). Every argument of every entry must read, or the line does not match
  this status and the next one is tried.
- A group an entry names must exist in \`match\`
  (\`statuses[4].emit[1].arguments.value.group: the pattern "..." has no group named "tmp"\`);
  each entry has its own action (the newest status of an action replaces one still waiting).
- Capabilities bind to an emitted message as to any status: \`"state": { "action":
  "TEMPERATURE", "argument": "value" }\`.

## Queries (\`queries\`, \`commands.<ACTION>.then\`)

Lines sent as they are, their answers parsed like any device line:

- \`queries.atStart\`: at every connection, at start and each time the device comes back.
- \`queries.afterCommand\`: after every command the device confirmed; a command's own \`then\`
  replaces it (\`"then": []\` for none). They follow the OK reply, and each answer (a line a
  status recognises) is awaited, up to the reply timeout, before the next command is sent, so
  that it is not taken for that command's confirmation. Nothing is sent after a refusal.
- \`queries.poll\` (and \`queries.every\`): periodic, below.

## Capabilities (\`capabilities[]\`)

Optional: what the device can do, in @mg/core's device description terms, so that the
conventions a gateway runs (Home Assistant discovery, Homie) show it as entities. The gateway
declares one device with these capabilities (its id, name and address come from the
\`[INTERFACE]\` options); a profile without them declares none.

- A write becomes one of the profile's commands: \`"command": { "action": "VOL_SET", "argument":
  "level" }\` sends \`VOL_SET\` with the value in \`level\` (the command must take no other
  argument), \`"command": { "actions": { "on": "MUTE_ON", "off": "MUTE_OFF" } }\` one command per
  value (a binary's on and off, an enum's options; commands without arguments).
- A state is read from the statuses the gateway publishes: \`"state": { "action": "MUTE",
  "argument": "state" }\` (a binary reads on/off, true/false, 1/0), or \`"state": { "actions":
  { "MUTE_ON": "on" } }\` for statuses whose action is the value.
- A capability is @mg/core's (its \`capabilitySchema\`), rules between the keys included: an
  enum needs \`options\`, a trigger is \`"access": "write"\`, a readable capability needs
  \`state\`... The loader applies them with the rest, so a profile the gateway would refuse at
  start is refused when it loads (and by \`--check\`), at its JSON path:
  \`capabilities[2].options: is required for an enum\`.
- The loader also checks each name against the profile: the command and its argument exist, a
  status with that action has that argument, an enum's options are values of its command's
  argument, a number's \`min\` and \`max\` are within the argument's.
- The device they declare has its own availability topic (\`[MQTT] deviceavailabilitytopic\`):
  \`online\` while its port or TCP connection is up, \`offline\` from the first failure until it
  is back. A profile without capabilities declares no device, and so has none.
- \`publish\` (optional) is the capability's publish policy, @mg/core's: \`changeOnly\`,
  \`deadband\` and \`deadbandPercent\` (numbers), \`minInterval\` (seconds; the latest value wins),
  \`refresh\` (seconds), \`retain\`. It decides when the statuses that carry the capability's value
  are published, over the configuration's \`[PUBLISH]\` defaults; a polled value that seldom
  changes wants \`{ "changeOnly": true, "refresh": 3600 }\`, a noisy number a \`deadband\`.

## Periodic queries (\`queries.poll[]\`)

- Each item is polled at its own interval (\`seconds\`), up to \`jitter\` seconds later each time
  (drawn afresh; the slots stay \`seconds\` apart), while the device is connected: the first at
  connection, none while it is away. \`queries.every\` is one more item, polled the same way.
- One item at a time on the port, in order of due time; a poll is its lines written, in order.
  One that cannot be written (the device went away) or that takes too long backs off the
  device's polls with growing delays, and they resume at their rate once one succeeds.
- A poll on demand (\`[MQTT] polltopic\`, payload the device's id or \`all\`) polls every item at
  once; a profile without items sends its \`atStart\` lines instead.
- A bad entry is refused with its path: \`queries.poll[0].jitter: 5 is not less than seconds (5):
  each interval could double\`.

`;

/** The Markdown reference of the profile format. */
export function renderProfileReference(): string {
  return `${INTRO}${sections({ title: 'Top level', node: profileJsonSchema() }).join('\n').trimEnd()}\n`;
}
