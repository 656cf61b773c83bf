import type { InterfaceContext, InternalMessage } from '@mg/core';
import type { AskResult, LineTransport } from '@mg/device-io';
import { Throttle } from '@mg/throttled-error';
import type { CompiledProfile } from '../profile/compiled.js';
import type { SerialOptions } from './options.js';

/** What the command runner counts, in the interface's counters. */
interface CommandCounters {
  commands: number;
  ignored: number;
  ok: number;
  errors: number;
  timeouts: number;
}

/** How a command went: the device's answer (LineTransport's ask()), or why it was not sent. */
type Outcome = AskResult | { ok: false; kind: 'invalid' | 'not-connected'; reason: string; detail?: undefined };

export interface CommandRunnerOptions {
  readonly ctx: InterfaceContext<SerialOptions>;
  readonly transport: LineTransport;
  readonly profile: CompiledProfile;
  readonly counters: CommandCounters;
  readonly signal: AbortSignal;
}

/**
 * The commands addressed to the device, one at a time: a line protocol has no request ids, so
 * with two in flight the first one's answer could be taken for the second's. Each is answered
 * once (OK when the device confirmed it; ERROR at once when it refused, with its words; busy
 * is tried again first). The lines of the command's `then` (or `queries.afterCommand`) follow
 * an acceptance, each answer awaited before the next command for the same reason.
 */
export class CommandRunner {
  private readonly failureLog = new Throttle({ kind: 'command failure' });

  constructor(private readonly o: CommandRunnerOptions) {}

  async run(): Promise<void> {
    const { ctx, counters, signal } = this.o;
    for await (const msg of ctx.incoming.until(signal)) {
      if (!msg.isCmd) continue;
      if (!this.addressedToUs(msg)) {
        counters.ignored += 1;
        if (ctx.logger.isLevelEnabled('debug')) ctx.logger.debug(`not for this device, ignored: ${msg.toString()}`);
        continue;
      }
      counters.commands += 1;
      const outcome = await this.execute(msg);
      this.reply(msg, outcome);
      if (outcome.ok) await this.queryAfter(msg.action);
    }
  }

  /**
   * Each characteristic matches when this device's is empty (any), the command's is empty (a
   * command for every device of the kind), or both are the same, ignoring case.
   */
  private addressedToUs(msg: InternalMessage): boolean {
    const o = this.o.ctx.options;
    const same = (mine: string, theirs: string) => mine === '' || theirs === '' || mine.toLowerCase() === theirs.toLowerCase();
    return same(o.function, msg.function) && same(o.location, msg.location) && same(o.device, msg.device);
  }

  private async execute(msg: InternalMessage): Promise<Outcome> {
    const { profile, transport, ctx } = this.o;
    // Reasons name the action and arguments as the sender wrote them (pump_on), not as the map made them (PUMP_ON).
    const command = profile.commandFor(msg.action, msg.arguments, msg.heard);
    if (!command.ok) return { ok: false, kind: 'invalid', reason: command.reason };
    if (transport.state !== 'connected') return { ok: false, kind: 'not-connected', reason: 'the device is not connected; the command was not sent' };
    let outcome: AskResult;
    try {
      // Not consumed: the confirming line is a status too. No signal: a stop ends the wait with
      // the transport's own "stopped" outcome, which the sender gets as the reply.
      outcome = await transport.ask(command.line, { ...profile.answersFor(msg.action)!, consume: false, timeoutMs: ctx.options.replytimeout * 1000 });
    } catch (err) {
      // ask() rejects only for options that cannot work: the profile's checks should have caught them.
      outcome = { ok: false, kind: 'failed', reason: 'the command failed in the gateway', detail: (err as Error).message, attempts: 0 };
    }
    if (!outcome.ok && outcome.kind === 'failed') {
      const v = this.failureLog.hit(`command ${command.line} failed: ${outcome.detail}`);
      if (v.trigger) ctx.logger.error(v.report);
    } else if (!outcome.ok && ctx.logger.isLevelEnabled('debug')) {
      ctx.logger.debug(`command ${command.line}: ${outcome.detail}`);
    }
    return outcome;
  }

  private reply(msg: InternalMessage, outcome: Outcome): void {
    const { counters, ctx } = this.o;
    if (outcome.ok) counters.ok += 1;
    else counters.errors += 1;
    if (!outcome.ok && outcome.kind === 'timeout') counters.timeouts += 1;
    const done = outcome.ok ? `confirmed by the device${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}: ${outcome.line}` : undefined;
    ctx.outgoing.push(msg.replyWith(outcome, done));
  }

  /** The queries that follow an accepted command; one that fails is logged at DEBUG (the next status will tell). */
  private async queryAfter(action: string): Promise<void> {
    const { profile, transport, ctx } = this.o;
    const answered = (line: string) => profile.statusesOf(line).length > 0;
    for (const line of profile.thenFor(action)) {
      if (this.o.signal.aborted || transport.state !== 'connected') return;
      try {
        await transport.request(line, { match: answered, consume: false, timeoutMs: ctx.options.replytimeout * 1000 });
      } catch (err) {
        ctx.logger.debug(`query ${JSON.stringify(line)} after ${action}: ${(err as Error).message}`);
      }
    }
  }
}
