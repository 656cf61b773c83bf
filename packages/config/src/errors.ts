import { MgError } from '@mg/errors';

/** Where a configuration value came from: a file (and line), the environment, or the defaults. */
export interface ConfigPlace {
  file?: string;
  line?: number;
  env?: string;
  /** Values given by a program (`loadConfig({ values })`): what gave them. */
  source?: string;
}

/** One thing wrong with the configuration, with everything needed to find and fix it. */
export interface ConfigProblem extends ConfigPlace {
  section?: string;
  option?: string;
  value?: string;
  /** What was expected instead, phrased for the user. */
  expected: string;
}

export function describePlace(place: ConfigPlace): string {
  if (place.env) return `environment variable ${place.env}`;
  if (place.source) return place.source;
  if (place.file) return place.line ? `${place.file}:${place.line}` : place.file;
  return 'built-in defaults';
}

export function describeProblem(p: ConfigProblem): string {
  const where = describePlace(p);
  const what =
    p.section !== undefined && p.option !== undefined
      ? `[${p.section}] ${p.option}${p.value !== undefined ? ` = ${JSON.stringify(p.value)}` : ''}`
      : p.section !== undefined
        ? `[${p.section}]`
        : '';
  return `${where}: ${what ? `${what}: ` : ''}${p.expected}`;
}

/** Why a configuration cannot be used: a value (`CONFIG_INVALID`) or its file. */
export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_FILE_MISSING' | 'CONFIG_FILE_UNREADABLE';

/**
 * The configuration cannot be used. `problems` lists every fault found (not just the first),
 * and the message has one line per problem: place, section, option, value, what was expected.
 */
export class ConfigError extends MgError {
  declare readonly code: ConfigErrorCode;
  readonly problems: readonly ConfigProblem[];

  constructor(code: ConfigErrorCode, problems: ConfigProblem[], options: { cause?: unknown } = {}) {
    const lines = problems.map(describeProblem);
    const message = lines.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration:\n  ${lines.join('\n  ')}`;
    super(code, message, options);
    this.problems = problems;
  }
}
