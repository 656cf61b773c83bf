import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { jsonErrorOffset } from '@mg/app-properties';
import { describeIssues } from '@mg/config';
import { fileErrorReason } from '@mg/errors';
import { ModbusProfileError, type ModbusProfileIssue } from '../errors.js';
import { compileProfile } from './compile.js';
import { profileKeys } from './json-schema.js';
import { profileSchema } from './schema.js';
import type { CompiledModbusProfile } from './types.js';

/** The package's `profiles` directory (from src/profile or dist/profile alike). */
const SHIPPED_PROFILES_DIR = join(__dirname, '..', '..', 'profiles');
const SHIPPED_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Names of the profiles shipped with the package ("eastron-sdm630"), sorted. */
export function shippedModbusProfileNames(): string[] {
  return readdirSync(SHIPPED_PROFILES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

function invalid(file: string, issues: readonly ModbusProfileIssue[]): ModbusProfileError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new ModbusProfileError(
    'MODBUS_PROFILE_INVALID',
    `${file}: invalid profile, ${count}:\n  ${issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`,
    {
      issues,
    },
  );
}

/**
 * Validates parsed profile data and compiles it; `file` names it in messages. Throws a
 * ModbusProfileError (`MODBUS_PROFILE_INVALID`) listing every problem, one line each with its
 * JSON path.
 */
export function compileModbusProfile(data: unknown, file: string): CompiledModbusProfile {
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    // Paths as a profile author reads them (`points[3].type`); every key of the format is
    // offered for "did you mean", and one that exists elsewhere is "here".
    const keys = profileKeys();
    throw invalid(file, describeIssues(parsed.error.issues, data, { root: '', knownKeys: () => keys }));
  }
  const compiled = compileProfile(parsed.data, file);
  if ('issues' in compiled) throw invalid(file, compiled.issues);
  return compiled;
}

/** The file of `nameOrPath`: a shipped profile's name, else a path relative to `baseDir`. */
function fileOf(nameOrPath: string, baseDir: string): string {
  if (SHIPPED_NAME.test(nameOrPath)) {
    const shipped = join(SHIPPED_PROFILES_DIR, `${nameOrPath}.json`);
    if (existsSync(shipped)) return shipped;
    const local = resolve(baseDir, nameOrPath);
    if (existsSync(local)) return local;
    throw new ModbusProfileError(
      'MODBUS_PROFILE_NOT_FOUND',
      `no profile "${nameOrPath}": it is not a shipped profile (${shippedModbusProfileNames().join(', ')}) nor a file in ${baseDir}`,
    );
  }
  return isAbsolute(nameOrPath) ? nameOrPath : resolve(baseDir, nameOrPath);
}

/**
 * A shipped profile by name ("eastron-sdm630") or a JSON file relative to `baseDir` (the
 * configuration's directory). Throws a ModbusProfileError naming the file: missing, unreadable,
 * not JSON (with its line and column), or invalid (every problem, each with its JSON path).
 */
export function loadModbusProfile(nameOrPath: string, baseDir: string): CompiledModbusProfile {
  const file = fileOf(nameOrPath, baseDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModbusProfileError(
      missing ? 'MODBUS_PROFILE_NOT_FOUND' : 'MODBUS_PROFILE_UNREADABLE',
      missing ? `profile ${file} does not exist` : `profile ${file} cannot be read (${fileErrorReason(cause)})`,
      { cause },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const offset = jsonErrorOffset(text);
    let where = file;
    if (offset >= 0) {
      const before = text.slice(0, offset);
      where = `${file}:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
    }
    throw new ModbusProfileError('MODBUS_PROFILE_NOT_JSON', `profile ${where} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return compileModbusProfile(data, file);
}
