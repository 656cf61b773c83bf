import { reject, type Converted } from './reject.js';

/** The six characteristic levels that follow the root. */
export interface TopicTokens {
  function: string;
  gateway: string;
  location: string;
  device: string;
  sender: string;
  isCmd: boolean;
}

/** Splits a root (`home`, `home/ground`, or empty) into its levels. */
export function rootLevels(root: string): string[] {
  return root === '' ? [] : root.split('/');
}

/**
 * Parses `root/function/gateway/location/device/sender/type`. Everything before the last six
 * levels is the root, which must be the configured one; empty levels are legal.
 */
export function parseTopic(topic: string, root: readonly string[]): Converted<TopicTokens> {
  const levels = topic.split('/');
  const expected = root.length + 6;
  if (levels.length !== expected) {
    return reject('topic-levels', `topic "${topic}" has ${levels.length} levels, expected ${expected} (root/function/gateway/location/device/sender/type)`);
  }
  for (let i = 0; i < root.length; i++) {
    if (levels[i] !== root[i]) {
      return reject('topic-root', `topic "${topic}" does not start with the root "${root.join('/')}"`);
    }
  }
  const type = levels[expected - 1];
  if (type !== 'C' && type !== 'S') {
    return reject('topic-type', `topic "${topic}" ends with "${type}", expected C (command) or S (status)`);
  }
  const r = root.length;
  return {
    ok: true,
    value: {
      function: levels[r]!,
      gateway: levels[r + 1]!,
      location: levels[r + 2]!,
      device: levels[r + 3]!,
      sender: levels[r + 4]!,
      isCmd: type === 'C',
    },
  };
}

// Characters that would change the meaning of a topic, or that brokers refuse.
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be refused
const UNSAFE = /[/+#\u0000]/;

/** True when `token` can be one topic level. */
export function isSafeToken(token: string): boolean {
  return !UNSAFE.test(token);
}

/** Builds the topic of an outgoing message; refuses tokens that would inject levels or wildcards. */
export function buildTopic(root: string, tokens: TopicTokens): Converted<string> {
  const parts = [tokens.function, tokens.gateway, tokens.location, tokens.device, tokens.sender];
  for (const part of parts) {
    if (UNSAFE.test(part)) {
      return reject('bad-token', `token ${JSON.stringify(part)} contains "/", "+", "#" or NUL and cannot be a topic level`);
    }
  }
  const tail = `${parts.join('/')}/${tokens.isCmd ? 'C' : 'S'}`;
  return { ok: true, value: root === '' ? tail : `${root}/${tail}` };
}
