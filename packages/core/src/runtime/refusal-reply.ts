import { parsePayload } from '../model/payload.js';
import type { MqttMessage } from '../model/message-map.js';

/**
 * The ERROR status that answers a command the gateway refused (`[MQTT] replyrefused: on`), so
 * that its sender learns why instead of waiting: the command's topic with the type `S` and this
 * gateway as sender, the command's action, `response: ERROR`, the reason, and the correlation.
 * Undefined when the topic is not a command's (nothing to answer) or the root does not match.
 */
export function refusalReply(
  topic: string,
  payload: Buffer,
  reason: string,
  options: { rootLevels: number; gatewayName: string; correlation?: string },
): MqttMessage | undefined {
  const levels = topic.split('/');
  if (levels.length !== options.rootLevels + 6 || levels[levels.length - 1] !== 'C') return undefined;
  levels[options.rootLevels + 4] = options.gatewayName;
  levels[levels.length - 1] = 'S';
  // eslint-disable-next-line no-control-regex -- NUL is refused in a topic
  if (levels.some((l) => /[+#\u0000]/.test(l))) return undefined;
  const content = parsePayload(payload);
  const correlation = options.correlation ?? (content.ok ? content.value.correlation : undefined);
  const body: Record<string, string> = { action: content.ok ? content.value.action : '', response: 'ERROR', reason };
  if (correlation !== undefined) body.correlation = correlation;
  return { topic: levels.join('/'), payload: JSON.stringify(body), correlation };
}
