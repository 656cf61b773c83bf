import { number, string } from '@mg/core/options';

/**
 * The dummy's `[INTERFACE]` options: declared once, they type `ctx.options`, are validated
 * by `--check` like any other section (file, line and option named), and document themselves.
 */
export const dummyOptions = {
  port: string('', 'The device the interface talks to (the dummy opens nothing).', {
    required: 'give the device the interface talks to, e.g. "port: /dev/ttyUSB0"',
  }),
  interval: number(30, 'Seconds between two MUTE_ON commands.', { min: 0.001 }),
};
