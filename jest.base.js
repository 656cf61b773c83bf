// Shared jest settings: ts-jest on the sources, NodeNext-style `.js` import suffixes mapped back.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 20000,
  // `pnpm test:unit` (MG_TEST=unit): only the unit tests, which need no broker, no network and
  // no child process; `*.int.test.ts` files run against real brokers, devices and processes.
  ...(process.env.MG_TEST === 'unit' ? { testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'], passWithNoTests: true } : {}),
};
