// A fresh table for each run (the rows file is written by the scenarios, read by the reporter).
const { mkdirSync, rmSync } = require('node:fs');
const { dirname } = require('node:path');
const { ROWS_FILE } = require('./dist/table.js');

module.exports = () => {
  rmSync(ROWS_FILE, { force: true });
  mkdirSync(dirname(ROWS_FILE), { recursive: true });
};
