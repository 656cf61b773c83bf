import { parseCampaignArgs } from './cli.js';

describe('the campaign command line', () => {
  it('takes a seed and a length, with defaults for the rest', () => {
    const { options } = parseCampaignArgs(['--seed', '42', '--duration', '60', '--mode', 'polling', '--kinds', 'latency, gateway-kill']);
    expect(options).toMatchObject({
      seed: 42,
      durationS: 60,
      messages: undefined,
      mode: 'polling',
      broker: 'mosquitto',
      kinds: ['latency', 'gateway-kill'],
      ratePerS: 300,
      acknowledge: 'taken',
    });
    expect(parseCampaignArgs(['--seed', '1', '--messages', '10', '--acknowledge', 'received']).options.acknowledge).toBe('received');
    expect(options.replay).toBe('pnpm campaign --seed 42 --duration 60 --mode polling --kinds latency, gateway-kill');
  });

  it.each([
    [[], /--seed is required/],
    [['--seed', '1'], /one of --messages N or --duration/],
    [['--seed', '1', '--messages', '10', '--duration', '5'], /one of --messages N or --duration/],
    [['--seed', 'x', '--duration', '5'], /--seed: "x" is not an integer ≥ 0/],
    [['--seed', '1', '--duration', '5', '--mode', 'fast'], /--mode: "fast" is not one of event, polling/],
    [['--seed', '1', '--duration', '5', '--kinds', 'meteor'], /--kinds: "meteor" is not one of broker-kill/],
    [['--seed', '1', '--duration', '5', '--rate', '0'], /--rate: "0" is not an integer ≥ 1/],
    [['--seed', '1', '--duration', '5', '--colour', 'red'], /Unknown option '--colour'/],
    [['--seed', '1', '--duration', '5', '--mutant', 'nice'], /--mutant: "nice" is not one of drop-held-messages/],
    [['--seed', '1', '--duration', '5', '--mutant', 'drop-held-messages', '--core', 'x'], /--core or --mutant, not both/],
  ])('refuses %j with a message naming the option', (argv, message) => {
    expect(() => parseCampaignArgs(argv)).toThrow(message);
  });

  it('takes another build of core, by path or as a named mutant', () => {
    expect(parseCampaignArgs(['--seed', '1', '--duration', '5', '--core', 'rel/dist/index.js']).options.core).toMatch(/^\/.*rel\/dist\/index\.js$/);
    expect(parseCampaignArgs(['--seed', '1', '--duration', '5', '--mutant', 'drop-held-messages']).options.mutant).toBe('drop-held-messages');
  });

  it('prints a plan without a length', () => {
    expect(parseCampaignArgs(['--seed', '1', '--plan', '5']).plan).toBe(5);
  });
});
