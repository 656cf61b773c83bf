// @mg/core/testing: unit-test an interface without a broker.
export { createTestGateway } from './test-gateway.js';
export type { TestGateway, TestGatewayOptions } from './test-gateway.js';
export { createTestContext } from './test-context.js';
export type { TestContext } from './test-context.js';
export { memoryLogging } from './memory-logging.js';
export type { MemoryLogging } from './memory-logging.js';
export type { PublishedMessage } from './memory-transport.js';
export type { JsonFields, PublishedMatch, WaitFor, WaitForOptions } from './wait-for.js';
