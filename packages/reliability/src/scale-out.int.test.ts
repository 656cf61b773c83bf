import { connectClient, startMosquitto, waitFor } from '@mg/test-helpers';
import { messageIds, sendCommands, tallyIds, tallyWhenDone } from './deliveries.js';
import { ROOT, launchProbe, writeConf } from './probe.js';
import { scenario } from './scenario.js';

// Scale-out: two instances in one [MQTT] sharedgroup split the commands through the broker;
// when one is killed, the other takes them all.
scenario('Scale-out: two instances in a $share group split 400 commands; one is killed, the other takes all', async (t) => {
  const broker = await startMosquitto();
  const start = (id: string) => launchProbe(writeConf(broker.url, { clientid: id, sharedgroup: 'probes', subqos: 1, pubqos: 1 }));
  const [a, b] = [start('scale-a'), start('scale-b')];
  const device = await connectClient(broker.url);
  try {
    await device.subscribe(`${ROOT}/scale-a/availability`, 1);
    for (const p of [a, b]) await waitFor(() => /subscribed to \$share\/probes\//.test(p.out()), 'the shared subscriptions');
    const send = async (prefix: string) => {
      const ids = messageIds(prefix, 200);
      await sendCommands(device, ids);
      return ids;
    };
    const both = () => [...a.received, ...b.received];
    const first = await send('split');
    await tallyWhenDone(first, both, 'the first 200 commands');
    const split = [tallyIds(first, a.received).delivered, tallyIds(first, b.received).delivered];
    a.child.kill('SIGKILL');
    await device.waitFor((m) => m.payload === 'offline' && !m.retain, "scale-a's last will");
    const second = await send('failover');
    await tallyWhenDone(second, () => b.received, 'the next 200 commands');
    const all = tallyIds([...first, ...second], both());
    Object.assign(t, { ...all, notes: `split ${split[0]}/${split[1]}; after kill -9 of one, the other took ${tallyIds(second, b.received).delivered} of 200` });
    expect(all.missing).toEqual([]);
    expect(Math.min(...split)).toBeGreaterThan(0);
    expect(tallyIds(second, b.received).delivered).toBe(200);
  } finally {
    for (const p of [a, b]) p.child.kill('SIGKILL');
    await device.end();
    await broker.dispose();
  }
});
