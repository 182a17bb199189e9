// Seeded random search: fast-check generates schedules (arrays of choices; at
// each step a choice picks a fault with odds 1/16, else another enabled action), runs them as
// walks from the initial state, and shrinks a failing schedule to a short one.
// The seed and the shrunk path replay the run exactly.
import fc from 'fast-check';
import { applyAction, enabledActions, type Action, type ActionOptions } from './actions.js';
import type { SysState } from '../system/state.js';
import type { Applied, System } from '../system/system.js';
import type { Finding } from './bfs.js';
import type { Verdict } from '../props/types.js';
import { timeoutType } from '../../models/event-types.js';

export interface RandomOptions extends ActionOptions {
  readonly runs: number;
  readonly depth: number;
  readonly seed: number;
}

export interface RandomResult {
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly findings: ReadonlyMap<string, Finding>;
  /** fast-check's replay path of each violation (with the seed), by property. */
  readonly replayPaths: ReadonlyMap<string, string>;
}

const FAULTS = new Set(['crash', 'drop', 'partition', 'heal', 'join', 'forge']);
/** One fault step in FAULT_ODDS, when faults are enabled: uniform choice would spend the fault budget in the first steps. */
const FAULT_ODDS = 16;

/** The action choice `c` selects: a fault with probability 1/FAULT_ODDS, else one of the other actions. */
function pick(actions: readonly Action[], c: number): Action {
  const faults: Action[] = [];
  const rest: Action[] = [];
  for (const a of actions) (FAULTS.has(a.kind) || (a.kind === 'input' && a.input.kind === 'SetMode') ? faults : rest).push(a);
  if (!faults.length || !rest.length) return actions[c % actions.length];
  return c % FAULT_ODDS === 0 ? faults[Math.floor(c / FAULT_ODDS) % faults.length] : rest[c % rest.length];
}

/**
 * A timer whose firing changes nothing (a load window resetting a load of 0): a
 * random walk that takes it wastes a step, and these timers are always armed.
 */
function stutters(sys: System, st: SysState, a: Action): boolean {
  if (a.kind !== 'timeout' || !sys.opts.memo) return false;
  const l = st.locals[a.actor]!;
  const r = sys.opts.memo.step(sys.topo.roles[a.actor], l, { type: timeoutType(a.timer), now: 0 } as never);
  return r.next === l && r.outbox.length === 0;
}

/** Walks `choices` from a fresh initial state; stops at the first verdict for a property in `watch`. */
function walk(sys: System, fresh: () => { state: SysState; applied: Applied }, choices: readonly number[], opts: ActionOptions, watch: ReadonlySet<string>, onWitness: (v: Verdict, path: Action[]) => void) {
  const { state, applied } = fresh();
  const path: Action[] = [];
  for (const v of applied.verdicts) if (v.type === 'witness') onWitness(v, path);
  let steps = 0;
  for (const c of choices) {
    const actions = enabledActions(sys, state, opts);
    if (!actions.length) break;
    const moving = actions.filter((x) => !stutters(sys, state, x));
    const a = pick(moving.length ? moving : actions, c);
    path.push(a);
    steps++;
    const ap = applyAction(sys, state, a);
    for (const v of ap.verdicts) {
      if (v.type === 'witness') onWitness(v, path);
      else if (watch.has(v.property)) return { violation: v, path, steps };
    }
  }
  return { violation: undefined, path, steps };
}

/** Runs `opts.runs` random walks of at most `opts.depth` steps, per still-unviolated property set. */
export function randomSearch(sys: System, fresh: () => { state: SysState; applied: Applied }, opts: RandomOptions): RandomResult {
  const t0 = performance.now();
  const findings = new Map<string, Finding>();
  const replayPaths = new Map<string, string>();
  const watch = new Set(sys.props.filter((p) => p.def.kind !== 'sometimes').map((p) => p.def.id));
  const onWitness = (v: Verdict, path: Action[]) => {
    if (!findings.has(v.property)) findings.set(v.property, { verdict: v, path: path.slice(), atDeadlock: false });
  };
  let runs = 0;
  let steps = 0;
  // One fast-check run per violated property found, until a batch of runs finds nothing new.
  while (watch.size) {
    const details = fc.check(
      fc.property(fc.array(fc.noBias(fc.nat({ max: (1 << 30) - 1 })), { maxLength: opts.depth, size: 'max' }), (choices) => {
        runs++;
        const r = walk(sys, fresh, choices, opts, watch, onWitness);
        steps += r.steps;
        return r.violation === undefined;
      }),
      { seed: opts.seed, numRuns: opts.runs },
    );
    if (!details.failed || !details.counterexample) break;
    const [choices] = details.counterexample;
    const r = walk(sys, fresh, choices, opts, watch, () => {});
    if (!r.violation) break; // not reproducible: should not happen with pure models
    findings.set(r.violation.property, { verdict: r.violation, path: r.path, atDeadlock: false });
    if (details.counterexamplePath) replayPaths.set(r.violation.property, details.counterexamplePath);
    watch.delete(r.violation.property);
  }
  return { runs, steps, seconds: (performance.now() - t0) / 1000, findings, replayPaths };
}
