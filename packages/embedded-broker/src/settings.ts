import { bool, defineConfig, port, section, string, type ConfigValues } from '@mg/config';

/** The `[BROKER]` section a launcher adds to its configuration to offer an embedded broker. */
export const brokerSection = section(
  {
    embedded: bool(false, 'Run an MQTT broker inside the gateway process (for demos, or a site with no broker). Off: connect to the broker in [MQTT].'),
    host: string('127.0.0.1', 'Address the embedded broker listens on; 0.0.0.0 opens it to the network (it has no authentication).'),
    port: port(1883, 'Port the embedded broker listens on; [MQTT] host and port must point at it.'),
  },
  'The embedded broker (aedes), started only when embedded is on.',
);

/** The typed values of `[BROKER]`. */
export type BrokerSettings = ConfigValues<ReturnType<typeof defineConfig<{ BROKER: typeof brokerSection }>>>['BROKER'];
