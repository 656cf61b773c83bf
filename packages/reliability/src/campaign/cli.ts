#!/usr/bin/env node
// `pnpm campaign`: the seeded fault campaign (docs/reliability.md, "Fault campaign").
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCampaign, type CampaignOptions } from './campaign.js';
import { buildMutantCore, MUTANT_NAMES, MUTANTS, type MutantName } from './mutants.js';
import { ALL_FAULT_KINDS, defaultKinds, firstFaults } from './schedule.js';

const USAGE = `usage: pnpm campaign --seed N (--messages N | --duration SECONDS) [options]
  --seed N                 the seed of everything random (faults: times, kinds, parameters)
  --messages N             stop after N messages, commands and replies together
  --duration S             or after S seconds of load
  --faults-each N          and not before every kind has been injected N times (with --messages
                           the count is then a floor: the load goes on until both are met)
  --mode event|polling     the gateway's interface (default event)
  --broker mosquitto|nats-cluster  (default mosquitto)
  --kinds a,b              fault kinds to draw (default: all the broker supports):
                           ${ALL_FAULT_KINDS.join(', ')}
  --rate N                 new commands per second (default 300)
  --faults-per-minute N    mean rate of fault starts (default 40)
  --senders N              publishing clients (default 2)
  --window N               unacknowledged commands per sender (default 200)
  --backlog N              commands acknowledged, not yet delivered (in the last 5 s), at most (default 300:
                           Mosquitto saves its whole state every second, a long queue slows it down)
  --keepalive S            the gateway's keepalive, s (default 2)
  --acknowledge received|taken   the gateway's [MQTT] acknowledge (default taken: with received, a
                           gateway killed -9 loses what it acknowledged into its incoming list)
  --core PATH              run the gateway on another build of @mg/core (its dist/index.js)
  --mutant NAME            or on a deliberately broken one, to see the campaign catch it (exit 1):
                           ${MUTANT_NAMES.map((m) => `${m}: ${MUTANTS[m].what}`).join('\n                           ')}
  --plan N                 print the first N faults of the seed's plan and exit
Exit code: 0 nothing lost, 1 a loss, 2 bad arguments, 3 incomplete run.`;

class UsageError extends Error {}

function int(name: string, v: string | undefined, dflt: number | undefined, min = 1): number | undefined {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min) throw new UsageError(`--${name}: "${v}" is not an integer ≥ ${min}`);
  return x;
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[], dflt?: T): T | undefined {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name}: "${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

/** The options of a command line (exported for its test); throws UsageError with what is wrong. */
export function parseCampaignArgs(argv: readonly string[]): {
  options: Omit<CampaignOptions, 'progress'> & { mutant?: MutantName };
  plan?: number;
} {
  const { values: a } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      [
        'seed',
        'messages',
        'duration',
        'faults-each',
        'mode',
        'broker',
        'kinds',
        'rate',
        'faults-per-minute',
        'senders',
        'window',
        'backlog',
        'keepalive',
        'acknowledge',
        'core',
        'mutant',
        'plan',
      ].map((k) => [k, { type: 'string' as const }]),
    ),
    strict: true,
  });
  const seed = int('seed', a.seed, undefined, 0);
  if (seed === undefined) throw new UsageError('--seed is required (any integer ≥ 0: the same seed replays the same faults)');
  const plan = int('plan', a.plan, undefined);
  const messages = int('messages', a.messages, undefined);
  const durationS = int('duration', a.duration, undefined);
  if (plan === undefined && (messages === undefined) === (durationS === undefined)) throw new UsageError('give one of --messages N or --duration SECONDS');
  if (a.core !== undefined && a.mutant !== undefined) throw new UsageError('give --core or --mutant, not both');
  const kinds = a.kinds?.split(',').map((k) => oneOf('kinds', k.trim(), ALL_FAULT_KINDS)!);
  const options = {
    seed,
    messages,
    durationS,
    faultsEach: int('faults-each', a['faults-each'], undefined),
    mode: oneOf('mode', a.mode, ['event', 'polling'] as const, 'event')!,
    broker: oneOf('broker', a.broker, ['mosquitto', 'nats-cluster'] as const, 'mosquitto')!,
    kinds,
    ratePerS: int('rate', a.rate, 300)!,
    faultsPerMinute: int('faults-per-minute', a['faults-per-minute'], 40)!,
    senders: int('senders', a.senders, 2)!,
    window: int('window', a.window, 200)!,
    backlog: int('backlog', a.backlog, 300)!,
    keepaliveS: int('keepalive', a.keepalive, 2)!,
    acknowledge: oneOf('acknowledge', a.acknowledge, ['received', 'taken'] as const, 'taken'),
    core: a.core === undefined ? undefined : resolve(a.core),
    mutant: oneOf('mutant', a.mutant, MUTANT_NAMES),
    replay: `pnpm campaign ${argv.join(' ')}`,
  };
  return { options, plan };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCampaignArgs>;
  try {
    parsed = parseCampaignArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const { options: given, plan } = parsed;
  const { mutant, ...options } = given;
  if (plan !== undefined) {
    const kinds = options.kinds ?? defaultKinds(options.broker);
    for (const f of firstFaults(options.seed, { kinds, faultsPerMinute: options.faultsPerMinute, keepaliveS: options.keepaliveS }, plan))
      process.stdout.write(`#${f.index} +${(f.atMs / 1000).toFixed(3)} s ${f.kind} for ${f.durationMs} ms\n`);
    return 0;
  }
  // Ctrl-C ends a long run with its verdict so far (faults healed, drained); a second one quits.
  const stop = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('campaign: stopping: healing the faults, draining, then the summary (Ctrl-C again quits at once)\n');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const core = mutant ? buildMutantCore(mutant, mkdtempSync(join(tmpdir(), 'mg-mutant-'))) : options.core;
  const result = await runCampaign({
    ...options,
    core,
    coreName: mutant && `mutant ${mutant} (${MUTANTS[mutant].what})`,
    signal: stop.signal,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${result.summary}\n`);
  if (result.lossReport) process.stdout.write(`\n${result.lossReport}\n`);
  process.stdout.write(`Files of the run (gateway records, logs): ${result.dir}\n`);
  return result.exitCode;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`campaign: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(3);
    },
  );
}
