import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Whether a listen address is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  // An IPv4-mapped IPv6 loopback (::ffff:127.0.0.1).
  return /^::ffff:127\./.test(h);
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares a presented token with the configured one in constant time: both are hashed first,
 * so that neither the content nor the length of the token shows in the time taken.
 */
export function sameToken(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/** The token a request carries: `X-MG-Token`, or `Authorization: Bearer <token>`. */
function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers['x-mg-token'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const auth = req.headers.authorization;
  const bearer = auth === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(auth.trim());
  return bearer?.[1]?.trim();
}

/** Host names a browser may use for a loopback server: others are a DNS rebinding attempt. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the `Host` header names this server. Only checked on a loopback bind, where a page of
 * another site could otherwise reach the server through a name that resolves to 127.0.0.1
 * (DNS rebinding); on a network bind the name users reach it by is not known, and the token
 * guards the writes.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (hostHeader === undefined) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!m) return false;
  const [, name = '', given] = m;
  // Without a port a browser means 80; only a server on 80 is reached so.
  if ((given === undefined ? 80 : Number(given)) !== port) return false;
  const bound = boundHost.includes(':') ? `[${boundHost.toLowerCase()}]` : boundHost.toLowerCase();
  return LOOPBACK_NAMES.has(name) || name === bound || (isIP(name) === 4 && name.startsWith('127.'));
}

/** Why a write is not let in, or undefined when it is. */
export type WriteDenial = { status: 401 | 403; reason: 'unauthorized' | 'forbidden'; detail: string };

/**
 * The rule for writes. With a token: the token (any header name the contract allows). Without
 * one (loopback only): the header `X-MG-Write: 1`, which a cross-site form cannot send and a
 * cross-site script cannot send without a CORS preflight this server never grants.
 */
export function writeDenial(req: IncomingMessage, token: string): WriteDenial | undefined {
  if (token !== '') {
    const presented = presentedToken(req);
    if (presented === undefined)
      return { status: 401, reason: 'unauthorized', detail: 'this gateway needs its token for writes: send it as X-MG-Token or Authorization: Bearer' };
    if (!sameToken(presented, token)) return { status: 403, reason: 'forbidden', detail: 'the token is not the one [WEB] token or tokenfile gives' };
    return undefined;
  }
  if (req.headers['x-mg-write'] !== '1') return { status: 403, reason: 'forbidden', detail: 'a write needs the header X-MG-Write: 1' };
  return undefined;
}

/** Whether an `Origin` header, when a browser sends one, is this server's own (the page's). */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}
