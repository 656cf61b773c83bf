/**
 * Reading a profile's raw JSON defensively: the cross-checks run even when other parts are
 * invalid, so that one pass reports every problem (zod's superRefine context is the sink).
 */
export type RawRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is RawRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a check reports: zod's refinement context. */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void;
}

/** A reporter of issues below `at` in the profile. */
export function issuesAt(ctx: IssueSink, at: PropertyKey[]): (path: PropertyKey[], message: string) => void {
  return (path, message) => ctx.addIssue({ code: 'custom', path: [...at, ...path], message });
}
