// Picks a small set of tests from candidate paths: greedy set cover. Each
// round takes the candidate that covers most still-uncovered goals (ties: the
// shorter path, then the earlier candidate — candidates come in the order
// their goals were first hit, so the choice is deterministic), until every
// coverable goal is covered or `maxTests` are chosen. Then a chosen path that
// is a prefix of another chosen one is dropped (the longer replays it), and so
// is any test whose goals the others all cover (checked last-chosen first).
import type { Action } from '../explore/actions.js';

export interface Candidate {
  readonly path: readonly Action[];
  /** The goals the path hits (of the coverage kind asked for). */
  readonly goals: readonly string[];
}

export interface Selection {
  /** Indices into the candidates, in the order chosen. */
  readonly chosen: readonly number[];
  /** Goals the chosen tests cover. */
  readonly covered: ReadonlySet<string>;
}

const key = (a: Action) => JSON.stringify(a);

/** Whether `p` is a (non-strict) prefix of `q`. */
export function isPrefix(p: readonly Action[], q: readonly Action[]): boolean {
  return p.length <= q.length && p.every((a, i) => key(a) === key(q[i]));
}

/** Greedy set cover of the candidates' goals by at most `maxTests` of them. */
export function selectTests(candidates: readonly Candidate[], maxTests: number): Selection {
  const uncovered = new Set(candidates.flatMap((c) => c.goals));
  let chosen: number[] = [];
  while (uncovered.size > 0 && chosen.length < maxTests) {
    let best = -1;
    let bestGain = 0;
    candidates.forEach((c, i) => {
      const gain = c.goals.reduce((n, g) => n + (uncovered.has(g) ? 1 : 0), 0);
      if (gain > bestGain || (gain === bestGain && gain > 0 && c.path.length < candidates[best].path.length)) [best, bestGain] = [i, gain];
    });
    if (best < 0) break;
    chosen.push(best);
    for (const g of candidates[best].goals) uncovered.delete(g);
  }
  // A prefix hits a subset of the longer path's goals (replay is deterministic); the subset test keeps this safe anyway.
  const within = (i: number, j: number) => { const gj = new Set(candidates[j].goals); return candidates[i].goals.every((g) => gj.has(g)); };
  chosen = chosen.filter((i) => !chosen.some((j) => j !== i && isPrefix(candidates[i].path, candidates[j].path) && within(i, j)
    && (candidates[i].path.length < candidates[j].path.length || j < i)));
  for (let k = chosen.length - 1; k >= 0; k--) {
    const others = new Set(chosen.filter((_, m) => m !== k).flatMap((i) => candidates[i].goals));
    if (candidates[chosen[k]].goals.every((g) => others.has(g))) chosen.splice(k, 1);
  }
  return { chosen, covered: new Set(chosen.flatMap((i) => candidates[i].goals)) };
}
