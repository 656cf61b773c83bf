import { describeIssues as describeDataIssues } from '@mg/config';
import type { z } from 'zod';

export { MapError } from '../error-catalog.js';

/** One line per issue: `$.path: what is wrong (found ...)`, worded as @mg/config words it everywhere. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: (path: readonly PropertyKey[]) => string[]): string[] {
  return describeDataIssues(issues, data, { knownKeys }).map((issue) => `${issue.path}: ${issue.message}`);
}
