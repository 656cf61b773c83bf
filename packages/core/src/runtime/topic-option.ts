import type { OptionSchema } from '@mg/config';
import { z } from 'zod';

/**
 * A topic option with placeholders (`{root}`, `{app}`, `{clientid}`, and `placeholder` when
 * given, which must then be in it): blank turns what it names off. Checked when the
 * configuration is read, so `--check` names the file and the line: a wildcard cannot be
 * published to, and a per-device topic without `{device}` would be one topic for every device.
 */
export function topicOption(def: string, description: string, placeholder?: string): OptionSchema<string> {
  const schema = z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return text;
    if (/[+#]/.test(text)) ctx.addIssue({ code: 'custom', message: 'a topic to publish to has no wildcard (+ or #); leave it blank to turn this off' });
    else if (placeholder && !text.includes(placeholder))
      ctx.addIssue({ code: 'custom', message: `must contain ${placeholder} (one topic per device, e.g. "${def}"); leave it blank to turn this off` });
    else return text;
    return z.NEVER;
  });
  return schema.meta({ description, default: def });
}
