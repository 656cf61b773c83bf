import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CapabilityValue } from '@mg/core';
import type { DeviceView, ExtensionContext } from '@mg/core/extensions';
import { writeDenial } from './access.js';
import { BodyError, readBody, sendJson, sendProblem, type Problem } from './http.js';

/** A write's body is `{"value": ...}` or nothing: a few bytes. More is refused unread. */
const BODY_LIMIT = 16 * 1024;

const isJson = (type: string | undefined) => type !== undefined && /^application\/json\s*(;|$)/i.test(type.trim());

/** The value of a write's body, or the problem with it. */
export function parseWriteBody(body: Buffer): { value?: CapabilityValue } | Problem {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { status: 400, reason: 'bad-json', detail: `the body is not JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { status: 400, reason: 'bad-json', detail: 'the body must be a JSON object: {"value": ...}, or {} for a trigger' };
  const extra = Object.keys(parsed).filter((k) => k !== 'value');
  if (extra.length > 0) return { status: 400, reason: 'bad-json', detail: `unknown key ${JSON.stringify(extra[0])} in the body: only "value" is taken` };
  const value = (parsed as { value?: unknown }).value;
  if (value === undefined || value === null) return {};
  if (typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return { value };
  return {
    status: 400,
    reason: 'bad-value',
    detail: `"value" must be a boolean, a number or a string, not ${Array.isArray(value) ? 'an array' : typeof value}`,
  };
}

/** HTTP status of a refused write: a value the capability does not take is the client's to fix; a stopping gateway is a conflict. */
const statusOf = (reason: string) => (reason === 'invalid-value' ? 400 : 409);

/**
 * `POST /api/devices/:device/:capability`: the write goes through `ctx.write()`, the core's
 * checked path (kind, range, options, access), as a Home Assistant or Homie write does.
 */
export async function handleWrite(
  req: IncomingMessage,
  res: ServerResponse,
  target: { device: string; capability: string },
  parts: { token: string; devices: DeviceView; write: ExtensionContext['write'] },
): Promise<void> {
  const denial = writeDenial(req, parts.token);
  if (denial) return sendProblem(res, denial);
  if (!isJson(req.headers['content-type']))
    return sendProblem(res, { status: 415, reason: 'unsupported-media-type', detail: 'a write is a JSON body: send Content-Type: application/json' });
  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT);
  } catch (err) {
    if (err instanceof BodyError) return sendProblem(res, err.problem);
    throw err;
  }
  const parsed = parseWriteBody(body);
  if ('status' in parsed) return sendProblem(res, parsed);
  const device = parts.devices.get(target.device);
  if (!device) return sendProblem(res, { status: 404, reason: 'not-found', detail: `no device "${target.device}"` });
  if (!device.capabilities.some((c) => c.id === target.capability))
    return sendProblem(res, { status: 404, reason: 'not-found', detail: `device "${target.device}" has no capability "${target.capability}"` });
  const outcome = await parts.write({ device: target.device, capability: target.capability, ...('value' in parsed ? { value: parsed.value } : {}) });
  if (outcome.ok) return sendJson(res, 200, { ok: true });
  return sendProblem(res, { status: statusOf(outcome.reason), reason: outcome.reason, detail: outcome.detail });
}
