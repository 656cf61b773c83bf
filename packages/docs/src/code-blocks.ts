/** A fenced code block of a Markdown page, with the file name given after its language. */
export interface CodeBlock {
  lang: string;
  file?: string;
  code: string;
  line: number;
}

/** Every fenced block: "```ts src/x.ts" gives lang "ts" and file "src/x.ts". */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(?:\s+(\S+))?\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, file: open[2], code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}
