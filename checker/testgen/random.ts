// Random fault schedules for coverage: fast-check generates schedules (arrays
// of choices; choice k picks enabled action k mod |enabled| at each step, the
// actions listed in explore/actions.ts's documented order, faults included
// within the config's budget), each run as a walk from the initial state. A
// schedule is kept, cut after its last step that hit a new goal, when it adds
// coverage. Deterministic for a seed: fast-check's generator is seeded and the
// walks are pure, so the same seed keeps the same schedules.
import fc from 'fast-check';
import { applyAction, enabledActions, type Action, type ActionOptions } from '../explore/actions.js';
import { initialState } from '../explore/setup.js';
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { System } from '../system/system.js';
import type { CoverageKind } from './goals.js';
import { initialHits, stepHits, type Hits } from './hits.js';

export interface RandomCoverageOptions extends ActionOptions {
  readonly seed: number;
  readonly runs: number;
  /** Steps per schedule. */
  readonly depth: number;
}

export interface RandomCoverage {
  /** Goal id → the kept path that first hit it, in the order goals were first hit. */
  readonly witnesses: ReadonlyMap<string, readonly Action[]>;
  /** Schedules that added coverage. */
  readonly kept: number;
}

/** Runs `opts.runs` seeded random schedules and keeps those that add goals of `kind`. */
export function randomCoverage(sys: System, config: SystemConfig, kind: CoverageKind, opts: RandomCoverageOptions): RandomCoverage {
  const witnesses = new Map<string, readonly Action[]>();
  let kept = 0;
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 1 << 20 }), { maxLength: opts.depth, size: 'max' }), (choices) => {
      const { state, applied } = initialState(sys, config);
      const path: Action[] = [];
      const fresh: { goal: string; at: number }[] = [];
      const note = (h: Hits) => {
        for (const g of h[kind]) if (!witnesses.has(g) && !fresh.some((f) => f.goal === g)) fresh.push({ goal: g, at: path.length });
        return h.last;
      };
      let last = note(initialHits(sys, state, applied.observations));
      last = note(stepHits(sys, applied.observations, last));
      for (const c of choices) {
        const actions = enabledActions(sys, state, opts);
        if (!actions.length) break;
        const a = actions[c % actions.length];
        path.push(a);
        last = note(stepHits(sys, applyAction(sys, state, a).observations, last));
      }
      if (fresh.length) {
        kept++;
        const cut = path.slice(0, Math.max(...fresh.map((f) => f.at)));
        for (const f of fresh) witnesses.set(f.goal, cut);
      }
      return true;
    }),
    { seed: opts.seed, numRuns: opts.runs },
  );
  return { witnesses, kept };
}
