export { DummyInterface } from './dummy-interface.js';
export { parseInterval, DEFAULT_INTERVAL_S } from './interval.js';
