export { generate } from './generate.js';
export type { GenerateOptions } from './generate.js';
export { namesFor, NameError } from './names.js';
export type { Names } from './names.js';
