export { DummyInterface } from './dummy-interface.js';
export { dummyOptions } from './options.js';
