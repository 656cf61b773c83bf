import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Deliberately broken builds of @mg/core, to prove the campaign catches what it is for. Each is
 * one change to the compiled code; a mutant whose text is no longer found fails loudly (the
 * source changed: update the mutant), it never runs the intact build by mistake.
 */
export const MUTANTS = {
  'drop-held-messages': {
    what: 'drops the messages it held unacknowledged at a disconnect, even when the CONNACK says the broker lost the session (the gateway before #24)',
    file: 'runtime/incoming-flow.js',
    from: 'if (sessionPresent) {',
    to: 'if (true) {',
  },
} as const;

export type MutantName = keyof typeof MUTANTS;
export const MUTANT_NAMES = Object.keys(MUTANTS) as MutantName[];

/**
 * Copies the workspace's built @mg/core into `dir/core` with the mutant's change, its
 * dependencies linked (node resolves them from the copy's node_modules); returns the entry file.
 */
export function buildMutantCore(name: MutantName, dir: string): string {
  const m = MUTANTS[name];
  const root = dirname(dirname(require.resolve('@mg/core')));
  const copy = join(dir, 'core');
  mkdirSync(copy, { recursive: true });
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const file = join(copy, 'dist', m.file);
  const text = readFileSync(file, 'utf8');
  const found = text.split(m.from).length - 1;
  if (found !== 1)
    throw new Error(`mutant ${name}: "${m.from}" found ${found} times in @mg/core's dist/${m.file} (expected once): the source changed, update the mutant`);
  writeFileSync(file, text.replace(m.from, m.to));
  return join(copy, 'dist', 'index.js');
}
