import { describeIssues as describeDataIssues } from '@mg/config';
import { MgError } from '@mg/errors';
import type { z } from 'zod';

/** A map file or object that cannot be used; the message names the file and the JSON path. */
export class MapError extends MgError {}

/** One line per issue: `$.path: what is wrong (found ...)`, worded as @mg/config words it everywhere. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: (path: readonly PropertyKey[]) => string[]): string[] {
  return describeDataIssues(issues, data, { knownKeys }).map((issue) => `${issue.path}: ${issue.message}`);
}
