import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchPresence } from './presence-watch.js';
import { waitFor } from './test-support/wait.js';

describe('watchPresence', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-presence-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a path that disappears, once', async () => {
    const path = join(dir, 'ttyUSB0');
    writeFileSync(path, '');
    const gone: string[] = [];
    const stop = await watchPresence(path, 10, (code) => gone.push(code));
    rmSync(path);
    await waitFor(() => gone.length > 0, 'the report');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gone).toEqual(['ENOENT']);
    stop();
  });

  it('reports a link made again under the same name', async () => {
    writeFileSync(join(dir, 'pts1'), '');
    const link = join(dir, 'a');
    symlinkSync(join(dir, 'pts1'), link);
    const gone: string[] = [];
    const stop = await watchPresence(link, 10, (code) => gone.push(code));
    rmSync(link);
    symlinkSync(join(dir, 'pts1'), link);
    await waitFor(() => gone.length > 0, 'the report');
    expect(gone).toEqual(['replaced']);
    stop();
  });

  it('does not watch a path it cannot stat from the start, nor when turned off', async () => {
    const gone: string[] = [];
    (await watchPresence(join(dir, 'COM3'), 10, (code) => gone.push(code)))();
    const path = join(dir, 'tty');
    writeFileSync(path, '');
    const stop = await watchPresence(path, 0, (code) => gone.push(code));
    rmSync(path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gone).toEqual([]);
    stop();
  });
});
