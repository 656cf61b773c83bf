import { check } from './checker.js';
import { History, type CampaignEvent, type FaultRecord } from './history.js';
import { formatLossWindow, formatSummary } from './summary.js';

const trip = (id: string, t: number): CampaignEvent[] => [
  { at: t, kind: 'sent', id },
  { at: t + 1, kind: 'acked', id },
  { at: t + 2, kind: 'crossed', id },
  { at: t + 3, kind: 'delivered', id, incarnation: 1 },
  { at: t + 5, kind: 'reply-acked', id },
  { at: t + 6, kind: 'received', id },
];

describe('the summary and the failing-run window', () => {
  const faults: FaultRecord[] = [
    { index: 0, kind: 'network-cut', startedAt: 1_000_500, healedAt: 1_002_000 },
    { index: 1, kind: 'latency', startedAt: 1_100_000, healedAt: 1_101_000 },
  ];
  const events: CampaignEvent[] = [
    ...Array.from({ length: 20 }, (_, i) => trip(`c${i}`, 1_000_000 + i * 100)).flat(),
    { at: 1_001_000, kind: 'sent', id: 'c20' },
    { at: 1_001_001, kind: 'acked', id: 'c20' },
    ...trip('c21', 1_001_100),
    ...trip('c22', 1_200_000),
    { at: 1_000_600, kind: 'disconnected', incarnation: 1 },
  ];
  const h = History.of(events);
  const v = check(h, faults);

  it('says what was lost and fails, with the replay command', () => {
    const s = formatSummary(v, {
      seed: 9,
      mode: 'event',
      broker: 'mosquitto',
      seconds: 200,
      replay: 'pnpm campaign --seed 9 --duration 200',
      gatewayStarts: 1,
      strays: 0,
    });
    expect(s).toMatch(/Lost: 1 \(commands 1, replies 0\)/);
    expect(s).toMatch(/network-cut +1 +p50 198,003 ms/);
    expect(s).toMatch(/Result: FAIL \(1 lost\); replay: pnpm campaign --seed 9 --duration 200/);
  });

  it('shows the lost id, its neighbours, the faults and the log around it, and not what is far away', () => {
    const w = formatLossWindow(
      h,
      faults,
      [
        { at: 1_000_550, line: 'proxy: cut' },
        { at: 1_150_000, line: 'far away' },
      ],
      v.firstLoss!,
      9,
    );
    expect(w).toMatch(/^First loss: command c20: acknowledged to its sender, never crossed to the gateway \(seed 9\)/);
    expect(w).toMatch(/>> c20 PUBACK to its sender/);
    expect(w).toMatch(/ {3}c21 delivered to the interface/);
    expect(w).toMatch(/FAULT #0 network-cut starts/);
    expect(w).toMatch(/log: proxy: cut/);
    expect(w).toMatch(/disconnected #1/);
    expect(w).not.toMatch(/far away|latency|c22/);
  });

  it('is written for a loss early in a million-message history (a spread of every later delivery once overflowed the stack)', () => {
    const big = new History();
    for (const e of trip('c0', 0)) if (e.kind !== 'crossed' && e.kind !== 'delivered' && e.kind !== 'reply-acked' && e.kind !== 'received') big.add(e);
    for (let i = 1; i <= 300_000; i++) {
      big.add({ at: 10 + i, kind: 'acked', id: `c${i}` });
      big.add({ at: 10 + i, kind: 'sent', id: `c${i}` });
      big.add({ at: 20 + i, kind: 'delivered', id: `c${i}`, incarnation: 1 });
    }
    big.seal();
    const verdict = check(big, []);
    expect(verdict.firstLoss?.id).toBe('c0');
    expect(formatLossWindow(big, [], [], verdict.firstLoss!, 1)).toMatch(/^First loss: command c0/);
  });
});
