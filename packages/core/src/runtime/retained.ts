import { contained } from './callbacks.js';
import type { ExtensionScope } from './extension-scope.js';
import type { ExtensionContext } from './extension.js';

/** The extension's own context (all it registers through it is scoped to it), its scope and where its errors go. */
export interface RetainedParts {
  ctx: Pick<ExtensionContext, 'route' | 'subscribe' | 'onConnected' | 'devices' | 'logger'>;
  scope: ExtensionScope;
  failed: (where: string, err: unknown) => void;
}

/**
 * `ctx.retained`: after each connection, the messages on `filter` are collected for `settleMs`
 * (the broker sends the retained ones on subscription), then handed over once the interface has
 * declared its devices. A new connection starts a new collection; what comes after the hand-over
 * is dropped (the extension knows what it publishes itself).
 */
export function collectRetained(parts: RetainedParts, filter: string, settleMs: number, handover: (messages: ReadonlyMap<string, Buffer>) => void): void {
  const { ctx, scope } = parts;
  const hand = contained(`retained messages on "${filter}"`, handover, parts.failed);
  /** The messages of the current connection, until they are handed over. */
  let collecting: Map<string, Buffer> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let waiting: (() => void) | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = undefined;
    waiting?.();
    waiting = undefined;
    collecting = undefined;
  };
  const handOver = (messages: Map<string, Buffer>) => {
    reset();
    hand(messages);
  };
  const settled = (messages: Map<string, Buffer>) => {
    timer = undefined;
    if (ctx.devices.declared) return handOver(messages);
    // An interface that declares its devices after a scan: handed over now, an empty device list
    // would make everything the last run left look stale, to be created again moments later.
    // Registered now, after the extension's own listeners: they see the new devices first.
    ctx.logger.info(`the retained messages on "${filter}" are read once the interface declares its devices (ctx.devices.set())`);
    waiting = ctx.devices.onChange(() => handOver(messages));
  };
  ctx.route(filter, (topic, payload) => {
    // An empty retained payload is a deletion: the broker no longer holds the topic.
    if (payload.length === 0) collecting?.delete(topic);
    else collecting?.set(topic, payload);
  });
  ctx.subscribe(filter);
  ctx.onConnected(() => {
    reset();
    const messages = new Map<string, Buffer>();
    collecting = messages;
    timer = setTimeout(() => settled(messages), settleMs);
  });
  scope.own(reset);
}
