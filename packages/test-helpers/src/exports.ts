import { readFileSync } from 'node:fs';

/**
 * Every name an index module exports, values and types, sorted: a package's lock test compares
 * it to the list it promises, so that adding a name is a conscious change to that test. Read
 * from the source because types leave no trace at run time. An index re-exporting everything of
 * a module (`export *`) cannot be locked and throws. Given the module itself, it also checks
 * that every value it exports at run time was read, so that the source reading misses nothing.
 */
export function indexExports(indexFile: string, module?: object): string[] {
  const text = readFileSync(indexFile, 'utf8').replace(/\/\/.*$/gm, '');
  if (/^export \*/m.test(text)) throw new Error(`${indexFile} re-exports with "export *": name what it exports`);
  const names: string[] = [];
  for (const [, list] of text.matchAll(/^export (?:type )?\{([^}]*)\}/gm))
    for (const item of list!.split(',')) {
      const name = item
        .trim()
        .replace(/^type /, '')
        .split(/\s+as\s+/)
        .pop()!;
      if (name) names.push(name);
    }
  for (const [, name] of text.matchAll(/^export (?:declare )?(?:const|let|function|class|interface|type|enum|abstract class) (\w+)/gm)) names.push(name!);
  const unread = Object.keys(module ?? {}).filter((name) => !names.includes(name));
  if (unread.length > 0) throw new Error(`${indexFile} exports ${unread.join(', ')} in a form indexExports does not read`);
  return names.sort();
}
