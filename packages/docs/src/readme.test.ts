import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { headingAnchors, relativeLinks } from './markdown-links.js';

// The root README is the front door: short, linking every page in docs/, and every link of it
// and of those pages leading somewhere.
const ROOT = join(__dirname, '..', '..', '..');
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const readme = readFileSync(README, 'utf8');
const docPages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

describe('the root README', () => {
  it('stays a front door: at most 10,000 characters (tables and run-by-run figures belong in docs/)', () => {
    expect(readme.length).toBeLessThanOrEqual(10_000);
  });

  it('links every page in docs/', () => {
    const linked = new Set(relativeLinks(readme).map((t) => t.split('#')[0]));
    expect(docPages.filter((f) => !linked.has(`docs/${f}`))).toEqual([]);
  });

  it('gives the commands .ci/run and a newcomer rely on: install, start, smoke, test', () => {
    for (const command of ['pnpm install', 'pnpm start', 'pnpm smoke', 'pnpm test', 'bash .ci/run']) expect(readme).toContain(command);
  });

  it("has a TypeScript example that compiles against @mg/core's types", () => {
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const file = join(__dirname, 'readme-example.ts'); // here, so that @mg/core resolves; never written
    const config = ts.getParsedCommandLineOfConfigFile(
      join(__dirname, '..', 'tsconfig.json'),
      { noEmit: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, example!, version) : getSourceFile(name, version, ...rest));
    host.fileExists = (name) => name === file || fileExists(name);
    host.readFile = (name) => (name === file ? example : readFile(name));
    const program = ts.createProgram([file], config.options, host);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('links of the README and docs/', () => {
  const pages = [README, ...docPages.map((f) => join(DOCS, f))];
  it.each(pages.map((p) => [relative(ROOT, p), p]))('%s: every relative link leads to a file, and an anchor to a heading', (_name, page) => {
    const broken: string[] = [];
    for (const target of relativeLinks(readFileSync(page, 'utf8'))) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : resolve(dirname(page), decodeURI(path));
      if (!existsSync(file)) broken.push(`${target}: no such file`);
      else if (anchor && statSync(file).isFile() && file.endsWith('.md') && !headingAnchors(readFileSync(file, 'utf8')).has(anchor))
        broken.push(`${target}: no heading with that anchor`);
    }
    expect(broken).toEqual([]);
  });
});

it('headingAnchors gives the anchors GitHub gives', () => {
  expect([...headingAnchors('# Several brokers (a cluster)\n## [MQTT]\n## `loop()` p50\n## Notes\n## Notes\n```sh\n# not a heading\n```\n')]).toEqual([
    'several-brokers-a-cluster',
    'mqtt',
    'loop-p50',
    'notes',
    'notes-1',
  ]);
});
