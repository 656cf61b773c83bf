/** The broker every session and CI run has on 127.0.0.1:1883 (tests that must not stop it use this). */
export const SHARED_BROKER_URL = process.env.MG_TEST_BROKER ?? 'mqtt://127.0.0.1:1883';

let counter = 0;
/** A topic root no other test (or parallel run) uses, so tests on the shared broker never see each other. */
export function uniqueRoot(prefix = 'mgtest'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
