// Prints the suite's table once every scenario has run, and keeps it as Markdown in
// .results/table.md (the README's copy comes from there).
const { writeFileSync } = require('node:fs');
const { join, dirname } = require('node:path');
const { ROWS_FILE, formatTable, orderRows, readRows } = require('./dist/table.js');

class TableReporter {
  onRunComplete() {
    const rows = readRows();
    if (rows.length === 0) return;
    const table = formatTable(orderRows(rows));
    writeFileSync(join(dirname(ROWS_FILE), 'table.md'), `${table}\n`);
    process.stdout.write(`\nReliability, security and scale-out suite\n\n${table}\n\n`);
  }
}
module.exports = TableReporter;
