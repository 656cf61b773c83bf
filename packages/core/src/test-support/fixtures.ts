import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The dummy's map, shipped with the core package for tests and examples. */
export const DUMMY_MAP_PATH = join(__dirname, '..', '..', 'test', 'fixtures', 'dummy.map.json');

/**
 * A copy of the dummy map under another root, so tests on the shared broker never receive
 * each other's messages (nor the dummy smoke test's), even when run in parallel.
 */
export function dummyMapWithRoot(root: string): string {
  const map = JSON.parse(readFileSync(DUMMY_MAP_PATH, 'utf8')) as { root: string; topics: string[] };
  const copy = { ...map, root, topics: map.topics.map((t) => t.replace(/^testmqttgtw\//, `${root}/`)) };
  const path = join(mkdtempSync(join(tmpdir(), 'mg-map-')), 'dummy.map.json');
  writeFileSync(path, JSON.stringify(copy));
  return path;
}
