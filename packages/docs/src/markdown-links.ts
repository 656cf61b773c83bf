// What a page links to and which anchors its headings give, for checking links without a network.

/** The page without its fenced code blocks, where a `](x)` or a `# line` is not Markdown. */
const withoutCodeBlocks = (markdown: string) => markdown.replace(/^```[\s\S]*?^```[^\n]*$/gm, '');

/** The targets of the page's links that stay inside the repository (no scheme such as https: or mailto:). */
export function relativeLinks(markdown: string): string[] {
  return [...withoutCodeBlocks(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as "-", repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = m[1]!
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}
