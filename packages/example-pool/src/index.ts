export { PoolInterface } from './pool-interface.js';
