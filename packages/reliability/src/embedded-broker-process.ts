// The embedded broker (aedes) in a process of its own, for the compatibility table: aedes is
// ESM-only, which Node 20.19+ can require() but jest's module system cannot.
import { startEmbeddedBroker } from '@mg/embedded-broker';

startEmbeddedBroker({ port: Number(process.argv[2] ?? 0) }).then(
  (broker) => {
    console.log(`PORT ${broker.port}`);
    process.once('SIGTERM', () => void broker.close().then(() => process.exit(0)));
  },
  (err: Error) => {
    console.error(err.message);
    process.exit(2);
  },
);
