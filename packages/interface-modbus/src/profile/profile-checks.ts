/**
 * The checks across points and capabilities: ids and statuses unique, groups that exist, writable
 * points that do not overlap, command names that do not collide, and capabilities that name what
 * the points publish and take. Each would give a gateway that starts but never works (a write
 * that changes another value, a state that never arrives), so the loader refuses it, with its path.
 */
import { isRecord, rawPoints, type IssueSink, type RawPoint, type RawRecord } from './raw.js';

type Issue = (path: PropertyKey[], message: string) => void;
const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));

function checkUnique(points: RawPoint[], issue: Issue): void {
  const ids = new Map<string, number>();
  const statuses = new Map<string, number>();
  for (const p of points) {
    if (p.id !== undefined) {
      const other = ids.get(p.id);
      if (other !== undefined) issue(['points', p.index, 'id'], `"${p.id}" is also the id of points[${other}]`);
      else ids.set(p.id, p.index);
    }
    const key = `${p.action}\u0000${p.argument}`;
    const other = statuses.get(key);
    if (other !== undefined)
      issue(
        ['points', p.index, 'action'],
        `points[${other}] already publishes ${p.action} with the argument "${p.argument}": give one of them another action or argument`,
      );
    else statuses.set(key, p.index);
  }
}

function checkCommands(points: RawPoint[], issue: Issue): void {
  const statusActions = new Set(points.map((p) => p.action));
  const owners = new Map<string, number>();
  for (const p of points) {
    for (const action of Object.values(p.commands ?? {})) {
      const other = owners.get(action);
      if (other !== undefined && other !== p.index)
        issue(['points', p.index, 'write'], `the command ${action} would write points[${other}] too: give one of them another action`);
      owners.set(action, p.index);
      if (statusActions.has(action)) issue(['points', p.index, 'write'], `the command ${action} is also the action of a status: give the write another action`);
    }
  }
}

function checkGroupsAndOverlaps(raw: RawRecord, points: RawPoint[], issue: Issue): void {
  const groups = isRecord(raw.groups) ? Object.keys(raw.groups) : [];
  for (const p of points)
    if (p.group !== undefined && !groups.includes(p.group)) issue(['points', p.index, 'group'], `there is no group "${p.group}" (groups: ${list(groups)})`);
  // Two writable points sharing a register: writing one would change the other behind its back.
  const writable = points.filter((p) => p.commands && p.table !== undefined && p.address !== undefined);
  for (let i = 0; i < writable.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [writable[j]!, writable[i]!];
      if (a.table === b.table && a.address! < b.address! + b.count && b.address! < a.address! + a.count)
        issue(
          ['points', b.index, 'address'],
          `overlaps points[${a.index}] (${a.id ?? '?'}), also writable, in the ${a.table} table: a write to one would change the other`,
        );
    }
  }
}

function checkCapability(c: RawRecord, at: PropertyKey[], points: RawPoint[], issue: Issue): void {
  const state = isRecord(c.state) ? c.state : undefined;
  const reads = (action: string) => points.filter((p) => p.action === action);
  let read: RawPoint | undefined;
  if (state && typeof state.action === 'string') {
    const candidates = reads(state.action);
    if (candidates.length === 0)
      issue([...at, 'state', 'action'], `no point publishes the action "${state.action}" (actions: ${list([...new Set(points.map((p) => p.action))])})`);
    else if (typeof state.argument === 'string') {
      read = candidates.find((p) => p.argument === state.argument);
      if (!read)
        issue([...at, 'state', 'argument'], `${state.action} carries its value in "${list(candidates.map((p) => p.argument))}", not "${state.argument}"`);
    }
  } else if (state && isRecord(state.actions)) {
    for (const action of Object.keys(state.actions))
      if (reads(action).length === 0) issue([...at, 'state', 'actions', action], `no point publishes the action "${action}"`);
  }
  const command = isRecord(c.command) ? c.command : undefined;
  const commands = new Map<string, { point: RawPoint; kind: 'set' | 'on' | 'off' }>();
  for (const p of points) for (const [kind, action] of Object.entries(p.commands ?? {})) commands.set(action, { point: p, kind: kind as 'set' });
  const known = `commands: ${list([...commands.keys()])}`;
  if (command && typeof command.action === 'string') {
    const target = commands.get(command.action);
    if (!target) return issue([...at, 'command', 'action'], `no writable point takes the command "${command.action}" (${known})`);
    if (target.kind === 'set' && typeof command.argument === 'string' && command.argument !== target.point.argument)
      issue([...at, 'command', 'argument'], `${command.action} takes its value in "${target.point.argument}", not "${command.argument}"`);
    if (target.kind !== 'set' && command.argument !== undefined)
      issue([...at, 'command', 'argument'], `${command.action} writes a fixed value and takes no argument`);
    checkRange(c, target.point, at, issue);
  } else if (command && isRecord(command.actions)) {
    for (const [value, action] of Object.entries(command.actions))
      if (typeof action === 'string' && !commands.has(action))
        issue([...at, 'command', 'actions', value], `no writable point takes the command "${action}" (${known})`);
  }
  if (!command && read && c.kind === 'enum' && Array.isArray(c.options)) checkRange(c, read, at, issue);
}

/** An enum's options must be names the point has; a number's range must be inside the point's. */
function checkRange(c: RawRecord, p: RawPoint, at: PropertyKey[], issue: Issue): void {
  if (c.kind === 'enum' && Array.isArray(c.options) && p.enumNames.length > 0) {
    const names = new Set(p.enumNames.map((n) => n.toLowerCase()));
    c.options.forEach((option, i) => {
      if (typeof option === 'string' && !names.has(option.toLowerCase()))
        issue([...at, 'options', i], `"${option}" is not a name of the enum of points[${p.index}] (${list(p.enumNames)})`);
    });
  }
  if (c.kind !== 'number') return;
  if (typeof c.min === 'number' && p.min !== undefined && c.min < p.min)
    issue([...at, 'min'], `points[${p.index}] (${p.id ?? '?'}) accepts no less than ${p.min}, not ${c.min}`);
  if (typeof c.max === 'number' && p.max !== undefined && c.max > p.max)
    issue([...at, 'max'], `points[${p.index}] (${p.id ?? '?'}) accepts no more than ${p.max}, not ${c.max}`);
}

/** Top-level check, on the raw profile. */
export function checkProfile(raw: unknown, ctx: IssueSink): void {
  if (!isRecord(raw)) return;
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', message, path });
  const points = rawPoints(raw);
  checkUnique(points, issue);
  checkCommands(points, issue);
  checkGroupsAndOverlaps(raw, points, issue);
  if (Array.isArray(raw.capabilities)) {
    const ids = new Set<string>();
    raw.capabilities.forEach((c, i) => {
      if (!isRecord(c)) return;
      if (typeof c.id === 'string') {
        if (ids.has(c.id)) issue(['capabilities', i, 'id'], `"${c.id}" is used twice`);
        ids.add(c.id);
      }
      checkCapability(c, ['capabilities', i], points, issue);
    });
  }
}
