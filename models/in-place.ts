// Whether a step may write into the state it steps from (setInPlace): the
// simulator only (checker/sim/engine.ts, during Simulator.run), which keeps
// no state but the current one; its monitors and trace sink read nothing a
// step writes in place. Off everywhere else: the explorer and the checker
// share states between their snapshots, which must never change. Two steps use
// it, where a pure step's copies were most of their cost at scale:
// - a supernode's sweep writes its attachments' silences (models/supernode.ts);
// - a slow im inserts a fetching client into its waiting list (models/im.ts).
let on = false;

/** Whether steps write in place now (see the top of this file). */
export const inPlace = (): boolean => on;

/** Sets whether steps write in place; returns the previous setting. */
export function setInPlace(value: boolean): boolean {
  const was = on;
  on = value;
  return was;
}
