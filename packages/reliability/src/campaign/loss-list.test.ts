import { check } from './checker.js';
import { History, type CampaignEvent } from './history.js';
import { formatLossList } from './loss-list.js';

describe('the list of losses', () => {
  it('gives every loss a line with the times it was decided on', () => {
    const events: CampaignEvent[] = [
      { at: 1000, kind: 'gateway-up', incarnation: 1 },
      { at: 1010, kind: 'sent', id: 'c0' },
      { at: 1011, kind: 'acked', id: 'c0' },
      { at: 1012, kind: 'broker-sent', id: 'c0' },
      { at: 1013, kind: 'crossed', id: 'c0' },
      { at: 1014, kind: 'read', id: 'c0', incarnation: 1 },
      { at: 1500, kind: 'connack', sessionPresent: false, incarnation: 1 },
      { at: 2000, kind: 'sent', id: 'c1' },
      { at: 2001, kind: 'acked', id: 'c1' },
    ];
    const h = History.of(events);
    const v = check(h, []);
    const text = formatLossList(v.commands.lost, h, []);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^command c0: read by gateway 1/);
    expect(lines[1]).toContain('read by 1 +0.014s');
    expect(lines[1]).toContain('next CONNACK +0.500s (1, session absent)');
    expect(lines[2]).toBe('command c1: acknowledged to its sender, never crossed to the gateway');
    expect(lines[3]).toContain('broker last sent -;');
  });
});
