/** The eight characteristics of a message a map translates, in map-file order (a leaf: the map schema and rejections both name them). */
export const CHARACTERISTICS = ['function', 'gateway', 'location', 'device', 'sender', 'action', 'argkey', 'argvalue'] as const;
export type Characteristic = (typeof CHARACTERISTICS)[number];
