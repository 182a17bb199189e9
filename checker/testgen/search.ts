// Breadth-first search for coverage: the explorer's state space (enabledActions
// / applyAction, in their documented order), recording for each goal the first
// — hence a shortest — path that hits it. States are deduplicated by their
// fingerprint; for `transition-pairs` the key also holds each actor's last
// transition, since a pair depends on how a state was reached, not only on the
// state. Deterministic: the same config and bounds give the same witnesses.
import { applyAction, enabledActions, type Action, type ActionOptions } from '../explore/actions.js';
import { fingerprint } from '../explore/fingerprint.js';
import { initialState } from '../explore/setup.js';
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { SysState } from '../system/state.js';
import type { System } from '../system/system.js';
import type { CoverageKind } from './goals.js';
import { initialHits, stepHits, type Hits, type LastTransitions } from './hits.js';

export interface SearchBounds extends ActionOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
}

export interface SearchResult {
  /** Goal id → shortest path reaching it, in the order goals were first hit. */
  readonly witnesses: ReadonlyMap<string, readonly Action[]>;
  readonly states: number;
  readonly depth: number;
  /** True when every state within the bounds was expanded. */
  readonly complete: boolean;
  readonly bound?: 'depth' | 'states';
}

/** Runs the search for goals of `kind` from the config's initial state. */
export function coverageSearch(sys: System, config: SystemConfig, kind: CoverageKind, bounds: SearchBounds): SearchResult {
  const { state: init, applied } = initialState(sys, config);
  const witnesses = new Map<string, readonly Action[]>();
  const parent: number[] = [-1];
  const via: (Action | null)[] = [null];
  const depthOf: number[] = [0];
  const pathTo = (id: number): Action[] => {
    const out: Action[] = [];
    for (let n = id; n > 0; n = parent[n]) out.push(via[n]!);
    return out.reverse();
  };
  const note = (h: Hits, from: number, a: Action | null) => {
    for (const g of h[kind]) if (!witnesses.has(g)) witnesses.set(g, a ? [...pathTo(from), a] : pathTo(from));
  };
  const keyOf = (st: SysState, last: LastTransitions) =>
    kind === 'transition-pairs' ? `${fingerprint(sys, st)}|${last.map((t) => t ?? '').join('|')}` : fingerprint(sys, st);

  const h0 = initialHits(sys, init, applied.observations);
  note(h0, 0, null);
  const h1 = stepHits(sys, applied.observations, h0.last);
  note(h1, 0, null);
  const visited = new Map<string | number, number>([[keyOf(init, h1.last), 0]]);
  let queue: { st: SysState; id: number; last: LastTransitions }[] = [{ st: init, id: 0, last: h1.last }];
  let head = 0;
  let maxDepth = 0;
  let bound: SearchResult['bound'];
  let stop = false;
  while (head < queue.length && !stop) {
    const { st, id, last } = queue[head++];
    if (head > 65536 && head * 2 > queue.length) { queue = queue.slice(head); head = 0; }
    const d = depthOf[id];
    if (d > maxDepth) maxDepth = d;
    if (d >= bounds.maxDepth) { bound = 'depth'; continue; }
    for (const a of enabledActions(sys, st, bounds)) {
      const next = st.clone();
      const h = stepHits(sys, applyAction(sys, next, a).observations, last);
      note(h, id, a);
      const key = keyOf(next, h.last);
      if (visited.has(key)) continue;
      if (visited.size >= bounds.maxStates) { bound = 'states'; stop = true; break; }
      const nid = parent.length;
      visited.set(key, nid);
      parent.push(id);
      via.push(a);
      depthOf.push(d + 1);
      queue.push({ st: next, id: nid, last: h.last });
    }
  }
  return { witnesses, states: visited.size, depth: maxDepth, complete: !bound && head >= queue.length, ...(bound ? { bound } : {}) };
}

/** Replays `path` from the initial state; returns the goals of `kind` it hits (first-hit order, no repeats). */
export function pathGoals(sys: System, config: SystemConfig, kind: CoverageKind, path: readonly Action[]): string[] {
  const { state, applied } = initialState(sys, config);
  const seen = new Set<string>();
  const add = (h: Hits) => { for (const g of h[kind]) seen.add(g); return h.last; };
  let last = add(initialHits(sys, state, applied.observations));
  last = add(stepHits(sys, applied.observations, last));
  for (const a of path) last = add(stepHits(sys, applyAction(sys, state, a).observations, last));
  return [...seen];
}
