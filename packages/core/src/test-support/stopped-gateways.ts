import { createTestGateway, type TestGateway } from '../testing/index.js';

/**
 * `createTestGateway`, with every gateway it made stopped after each test, also when the test
 * fails (a polling gateway's or a policy's timer would keep jest running). Call at module level.
 */
export function stoppedAfterEach(): (...args: Parameters<typeof createTestGateway>) => TestGateway {
  const made: TestGateway[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((gw) => gw.stop()));
  });
  return (...args) => {
    const gw = createTestGateway(...args);
    made.push(gw);
    return gw;
  };
}
