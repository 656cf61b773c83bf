import { join } from 'node:path';

/** The dummy's map, shipped with the core package for tests and examples. */
export const DUMMY_MAP_PATH = join(__dirname, '..', '..', 'test', 'fixtures', 'dummy.map.json');
