// One scenario at a time: they start brokers and gateway processes and measure memory, and the
// machine has two cores shared with the other packages' tests.
module.exports = {
  ...require('../../jest.base.js'),
  maxWorkers: 1,
  testTimeout: 120000,
  globalSetup: '<rootDir>/jest.setup.js',
  reporters: ['default', '<rootDir>/table-reporter.js'],
};
