/** The text encodings a profile may name (those @mg/device-io supports). */
export const ENCODINGS = ['ascii', 'latin1', 'utf8'] as const;
