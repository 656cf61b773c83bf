import { seeded } from './faults.js';

test('seeded() gives the same numbers for the same seed, in [0, 1), and others for another seed', () => {
  const draw = (seed: number) => Array.from({ length: 100 }, seeded(seed));
  expect(draw(42)).toEqual(draw(42));
  expect(draw(42)).not.toEqual(draw(43));
  for (const x of draw(7)) expect(x >= 0 && x < 1).toBe(true);
});
