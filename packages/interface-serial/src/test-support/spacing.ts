/**
 * How far a run of arrivals falls short of a minimum spacing, over its worst window: the
 * largest `(j - i) * spacing - (at[j] - at[i])` for i < j, 0 when every window is long enough.
 *
 * Arrival times taken by a reader are the send times plus a read delay that varies (an event
 * loop busy elsewhere, two lines read in one chunk). A delay shortens the gaps around it but
 * never more than the delay itself, whatever the window; a sender that breaks the spacing
 * falls short by more with every command it sends too early. So the shortfall bounds the
 * reader's worst delay when the sender is right, and grows with the burst when it is wrong.
 */
export function spacingShortfall(at: readonly number[], spacing: number): number {
  let worst = 0;
  let latestStart = -Infinity; // max over i < j of at[i] - i * spacing
  at.forEach((t, j) => {
    const shifted = t - j * spacing;
    worst = Math.max(worst, latestStart - shifted);
    latestStart = Math.max(latestStart, shifted);
  });
  return worst;
}
