import { strictMissText, type MqttMessage } from '../model/message-map.js';
import { parsePayload } from '../model/payload.js';
import type { Rejection } from '../model/reject.js';

/** A command refused by a strict map: its topic and payload, as received. */
export interface RefusedCommand {
  topic: string;
  payload: Buffer;
  /** The MQTT 5 correlation data, when there is one. */
  correlation?: string;
}

/**
 * The ERROR status that answers a command the gateway refused (`[MQTT] replyrefused: on`), so
 * that its sender learns why instead of waiting: the command's topic with the type `S` and this
 * gateway as sender (`sender`: its name in the map's sender vocabulary), the command's action,
 * `response: ERROR`, the reason, and the correlation. The payload is read only when the map did
 * not read it (a token of the topic was refused first). Undefined when the topic is not a
 * command's (nothing to answer), the root does not match, or the map has no word for this gateway.
 */
export function refusalReply(
  command: RefusedCommand,
  rejection: Rejection,
  options: { rootLevels: number; sender: string | undefined },
): MqttMessage | undefined {
  if (options.sender === undefined || rejection.characteristic === undefined || rejection.token === undefined) return undefined;
  const levels = command.topic.split('/');
  if (levels.length !== options.rootLevels + 6 || levels[levels.length - 1] !== 'C') return undefined;
  levels[options.rootLevels + 4] = options.sender;
  levels[levels.length - 1] = 'S';
  // eslint-disable-next-line no-control-regex -- NUL is refused in a topic
  if (levels.some((l) => /[+#\u0000]/.test(l))) return undefined;
  let { action, correlation } = rejection;
  if (action === undefined) {
    const content = parsePayload(command.payload);
    if (content.ok) ({ action, correlation } = content.value);
  }
  correlation = command.correlation ?? correlation;
  const body: Record<string, string> = { action: action ?? '', response: 'ERROR', reason: strictMissText(rejection.characteristic, rejection.token) };
  if (correlation !== undefined) body.correlation = correlation;
  return { topic: levels.join('/'), payload: JSON.stringify(body), correlation };
}
