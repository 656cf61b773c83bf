// The ceiling: a raw MQTT.js relay that republishes each command's payload unchanged on the
// same topic with C -> S, and does nothing else. TCP_NODELAY on, as the gateway has it.
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { answerStats, COMMAND_FILTER } from '../protocol.js';

const [url, qosArg] = process.argv.slice(2);
const qos = Number(qosArg) as 0 | 1;
const client = mqtt.connect(url!, { clientId: `relay-${process.pid}`, queueQoSZero: false });
client.on('connect', () => {
  (client.stream as Partial<Socket>).setNoDelay?.(true);
  client.subscribe(COMMAND_FILTER, { qos }, () => process.send?.({ type: 'ready' }));
});
client.on('message', (topic, payload) => {
  client.publish(`${topic.slice(0, -1)}S`, payload, { qos });
});
answerStats();
process.on('SIGTERM', () => client.end(false, () => process.exit(0)));
