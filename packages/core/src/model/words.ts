// A leaf of the model: how counts read in log lines ("1 message", "3 messages").

/** `n` with the word in the number it takes: `counted(1, 'message')` is "1 message", `counted(0, 'message')` "0 messages". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The verb for `n` things: "was" for one, "were" for any other count. */
export const were = (n: number): string => (n === 1 ? 'was' : 'were');
