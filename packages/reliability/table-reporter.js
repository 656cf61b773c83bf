// Prints the suite's table once every scenario has run, and keeps it as Markdown in
// .results/table.md; with UPDATE_DOCS=1, a run of the whole suite (every file, no test skipped
// by -t) also rewrites the table of docs/reliability.md.
const { writeFileSync } = require('node:fs');
const { join, dirname } = require('node:path');
const { updateDocSection } = require('@mg/test-helpers');
const { RELIABILITY_PAGE, ROWS_FILE, coversSuite, formatTable, orderRows, readRows } = require('./dist/table.js');

class TableReporter {
  onRunComplete(_contexts, results) {
    const rows = readRows();
    if (rows.length === 0) return;
    const table = formatTable(orderRows(rows));
    writeFileSync(join(dirname(ROWS_FILE), 'table.md'), `${table}\n`);
    process.stdout.write(`\nReliability, security and scale-out suite\n\n${table}\n\n`);
    const whole = coversSuite(rows) && results.numPendingTests === 0 && results.numTodoTests === 0;
    if (whole && updateDocSection(RELIABILITY_PAGE, 'reliability', table)) process.stdout.write(`(written to ${RELIABILITY_PAGE})\n\n`);
  }
}
module.exports = TableReporter;
