import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every response carries: no sniffing, no framing by other sites, no referrer leaks. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Sends a JSON body (never cached: every answer is the gateway's state now). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Why a request is refused, as every 4xx of this server says it: `{ ok: false, reason, detail }`. */
export interface Problem {
  status: number;
  reason: string;
  detail: string;
  headers?: Record<string, string>;
}

export function sendProblem(res: ServerResponse, p: Problem): void {
  sendJson(res, p.status, { ok: false, reason: p.reason, detail: p.detail }, p.headers);
}

/** A request body that is too large, cut off, or never ends: a problem to answer with. */
export class BodyError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

// The rest of the body is not read: the connection is closed after the answer.
const tooLarge = (detail: string): Problem => ({ status: 413, reason: 'too-large', detail, headers: { Connection: 'close' } });

/** Reads a request body up to `limit` bytes; more is refused (413) without reading the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyError(tooLarge(`the body is ${declared} bytes; at most ${limit} are taken`)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new BodyError(tooLarge(`the body is over ${limit} bytes`)));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', (err) => reject(new BodyError({ status: 400, reason: 'bad-body', detail: `the body could not be read: ${err.message}` })));
  });
}
