// The device both templates declare: a lamp that is switched on and off and reports it.

/** The class's static describe(), indented for a class body; `id` is the expression of its id. */
export function describeMethod(id: string): string {
  return `  /** The device served: the gateway publishes its availability, and conventions (Home Assistant, Homie) see it. */
  static describe(): DeviceInput[] {
    return [
      {
        id: ${id},
        name: 'Kitchen lamp',
        address: { function: 'Lighting', location: 'Kitchen', device: 'lamp' },
        // TODO: what the device can do.
        capabilities: [
          {
            id: 'power',
            name: 'Power',
            kind: 'binary',
            command: { actions: { on: 'LIGHT_ON', off: 'LIGHT_OFF' } }, // the commands that write it
            state: { actions: { LIGHT_ON: 'on', LIGHT_OFF: 'off' } }, // the statuses that report it
            publish: { changeOnly: true, retain: true }, // a state: published when it changes, kept by the broker
          },
        ],
      },
    ];
  }
`;
}
