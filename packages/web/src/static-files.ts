import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_HEADERS, sendProblem } from './http.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page is the package's own files and talks to this server alone: no inline script, no
 * other origin. Inline `style` attributes are allowed (a bar's width set from a value).
 */
const PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `packages/web/public`, found from this file at run time (dist/ or src/ alike). */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

/**
 * Serves a file of `root` for a URL path: `/` is `index.html`; a path that leaves `root` (`..`,
 * an encoded slash, a NUL) is refused, anything else not there is a 404. Only files of the
 * types above are served: no dotfiles, nothing a browser could mistake for another type.
 */
export async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return sendProblem(res, { status: 400, reason: 'bad-path', detail: 'the path is not valid percent-encoding' });
  }
  if (path.endsWith('/')) path += 'index.html';
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  if (path.includes('\0') || path.includes('\\') || !file.startsWith(base + sep) || path.split('/').some((p) => p === '..'))
    return sendProblem(res, { status: 403, reason: 'forbidden', detail: 'the path leaves the page folder' });
  const type = TYPES[extname(file).toLowerCase()];
  const notFound = () => sendProblem(res, { status: 404, reason: 'not-found', detail: `nothing at ${pathname}` });
  if (type === undefined || path.split('/').some((p) => p.startsWith('.'))) return notFound();
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return notFound();
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Content-Length': info.size,
    // The page changes with the package: browsers revalidate rather than run an old script.
    'Cache-Control': 'no-cache',
    'Last-Modified': info.mtime.toUTCString(),
    ...(type.startsWith('text/html') ? { 'Content-Security-Policy': PAGE_POLICY } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
