#!/usr/bin/env node
// In-process conversion speed, both directions, with and without a map.
// Run after a build: `pnpm --filter @mg/core bench:convert`. Prints messages per second.
const { join } = require('node:path');
const { cpus } = require('node:os');
const { MessageMap } = require('../dist/internal.js');
const { InternalMessage } = require('../dist/index.js');

const DUMMY = join(__dirname, '..', 'test', 'fixtures', 'dummy.map.json');
const withMap = MessageMap.fromFile(DUMMY, { gatewayName: 'dummy2mqtt' });
const noMap = MessageMap.passthrough('testmqttgtw', ['testmqttgtw/#'], { gatewayName: 'dummy2mqtt' });

const N = Number(process.env.N ?? 1_000_000);
const locations = ['office', 'kitchen', 'dining_room', 'garage'];
const topics = locations.map((l) => `testmqttgtw/audiovideo/dummy/${l}/amp/loadgen/C`);
const plain = Buffer.from('volume_up');
const json = Buffer.from('{"action":"volume_up","seq":12345,"ts":1732560000000,"level":40}');
const outMsgs = locations.map(
  (l, i) =>
    new InternalMessage({
      isCmd: false,
      function: 'AudioVideo',
      gateway: 'Dummy',
      location: ['Office', 'Kitchen', 'DiningRm', 'garage'][i],
      device: 'amp',
      action: 'VOL_UP',
      arguments: i % 2 ? { response: 'OK', reason: 'done' } : {},
    }),
);

function measure(name, fn) {
  for (let i = 0; i < 50_000; i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  let ok = 0;
  for (let i = 0; i < N; i++) if (fn(i).ok) ok++;
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (ok !== N) throw new Error(`${name}: ${N - ok} conversions failed`);
  return { name, perSecond: Math.round(N / s), nsPerMessage: Math.round((s * 1e9) / N) };
}

const rows = [
  // The floor of a JSON payload's conversion on this machine: reading the payload alone.
  measure('JSON.parse of the payload alone (the floor)', () => ({ ok: JSON.parse(json.toString()) !== undefined })),
  measure('MQTT -> internal, plain payload, dummy map', (i) => withMap.toInternal(topics[i & 3], plain)),
  measure('MQTT -> internal, JSON payload, dummy map', (i) => withMap.toInternal(topics[i & 3], json)),
  measure('MQTT -> internal, JSON payload, no map', (i) => noMap.toInternal(topics[i & 3], json)),
  measure('internal -> MQTT, dummy map', (i) => withMap.toMqtt(outMsgs[i & 3])),
  measure('internal -> MQTT, no map', (i) => noMap.toMqtt(outMsgs[i & 3])),
];
console.log(`${N.toLocaleString('en')} conversions each; Node ${process.version}; ${cpus()[0].model} x${cpus().length}`);
for (const r of rows) console.log(`${r.name.padEnd(45)} ${r.perSecond.toLocaleString('en').padStart(12)} msg/s  ${String(r.nsPerMessage).padStart(6)} ns/msg`);
