import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Inside core, layers point one way: model/ <- mqtt/ <- runtime/ <- testing/. A lower layer owns
// the types it needs, so it can be read, tested and changed without the layers above it. Tests
// are not held to it: they may drive a lower layer with the real pieces above.
const LAYERS = ['model', 'mqtt', 'runtime', 'testing'] as const;
const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The layer a file of src/ is in, or -1 outside the layers (entry points, test support). */
function layerOf(file: string): number {
  return LAYERS.indexOf(relative(SRC, file).split(sep)[0] as (typeof LAYERS)[number]);
}

/** Every relative module a source names: static imports and re-exports, side-effect and dynamic imports. */
function relativeImports(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...found].map((m) => m[1]!);
}

/** "model/argument.ts imports ../runtime/x.js" for each import that points up a layer. */
function upwardImports(): string[] {
  const found: string[] = [];
  for (const file of LAYERS.flatMap((layer) => sources(join(SRC, layer)))) {
    const own = layerOf(file);
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = layerOf(resolve(dirname(file), spec));
      if (target > own) found.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  return found;
}

it('no module of a lower layer imports from a higher one', () => {
  expect(upwardImports()).toEqual([]);
});

/** The modules of src/ that import themselves through others, each cycle as a path. */
function cycles(): string[] {
  const files = sources(SRC);
  const edges = new Map(
    files.map((file) => [file, relativeImports(readFileSync(file, 'utf8')).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')))]),
  );
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) return void found.push([...path.slice(at), file].map((f) => relative(SRC, f)).join(' -> '));
    if (done.has(file) || !edges.has(file)) return;
    for (const next of edges.get(file)!) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return found;
}

it('no module imports itself through others (a cycle ties two modules into one)', () => {
  expect(cycles()).toEqual([]);
});

it('sees the imports it must judge', () => {
  // Guards the check itself: a regular expression that matched nothing would pass anything.
  const text = [
    "import type { A } from '../runtime/a.js';",
    "export { B } from './b.js';",
    "import './side-effect.js';",
    "const c = await import('../testing/c.js');",
    "import { d } from '@mg/app-properties';",
  ].join('\n');
  expect(relativeImports(text)).toEqual(['../runtime/a.js', './b.js', './side-effect.js', '../testing/c.js']);
  expect(sources(join(SRC, 'model')).length).toBeGreaterThan(5);
});
