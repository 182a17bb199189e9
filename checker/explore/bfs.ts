// Exhaustive breadth-first search over the system's interleavings. The
// visited set holds 53-bit fingerprints (optionally symmetry-reduced); each
// visited state keeps only its parent and the action that reached it, so a
// path is rebuilt by replaying actions from the initial state. BFS order makes
// every reported counterexample and witness a shortest one. A queued state's
// monitors that are as good as new are replaced by shared initial ones
// (`FreshMonitors`): less for the garbage collector to copy per queued state.
//
// Speed: the queue is packed (checker/explore/queue.ts: a queued state is a
// record of numbers, rebuilt as a SysState when expanded), and from a state
// whose monitors are the shared fresh ones, deliveries and timers go through
// the transition cache (checker/explore/successors.ts): the first time one is
// taken it is applied the ordinary way and what it did is kept; afterwards its
// verdicts come from the cache, the successor's fingerprint from the parent's
// (Fingerprinter.step), and the successor is written to the queue only when it
// is new, without a clone, a System step or a monitor call. Every other
// transition is a clone of the state with the action applied, as before. The
// states, transitions, verdicts and paths are the same either way.
import { applyAction, enabledActions, type Action, type ActionOptions } from './actions.js';
import { Fingerprinter } from './fingerprint.js';
import { symmetry } from './symmetry.js';
import { FingerprintSet } from './fpset.js';
import { materialize, Transitions } from './successors.js';
import { StateQueue } from './queue.js';
import { PackedNet } from '../system/packed-net.js';
import type { MonitorState, SysState } from '../system/state.js';
import { emptied, type Applied, type System } from '../system/system.js';
import type { Verdict } from '../props/types.js';

export interface BfsOptions extends ActionOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly symmetry: boolean;
  /** Stop at the first violation (default: go on until every property is decided). */
  readonly stopAtFirst?: boolean;
  /** Called about twice a second. */
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress { states: number; transitions: number; depth: number; queue: number; seconds: number }

/** A violation or witness, with the path that reaches it. */
export interface Finding {
  readonly verdict: Verdict;
  /** Actions from the initial state; the last one produced the verdict (empty: the initial state did). */
  readonly path: readonly Action[];
  /** True for a response obligation that can never be met because nothing can happen any more. */
  readonly atDeadlock: boolean;
}

export interface BfsResult {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly complete: boolean;
  /** Which bound stopped the search, if any. */
  readonly bound?: 'depth' | 'states';
  readonly deadlocks: number;
  readonly findings: ReadonlyMap<string, Finding>;
}

/** Runs the search from `initial` (whose own verdicts are in `initialApplied`). */
export function bfs(sys: System, initial: SysState, initialApplied: Applied, opts: BfsOptions): BfsResult {
  const t0 = performance.now();
  // Without symmetry, a successor's fingerprint is computed against its parent's local states (`fps.base`).
  const shared = new FreshMonitors(sys);
  const fps = opts.symmetry ? undefined : new Fingerprinter(sys, shared.initial);
  const fp = fps ? (s: SysState) => fps.of(s) : symmetry(sys).fingerprint;
  const visited = new FingerprintSet(Math.min(opts.maxStates, 1 << 18));
  // One accumulator for every step's effects: only the verdicts are read (and kept) before the next step.
  const scratch = sys.acc();
  const parent: number[] = [-1];
  const via: (Action | null)[] = [null];
  const depthOf: number[] = [0];
  const findings = new Map<string, Finding>();
  const wanted = new Set(sys.props.map((p) => p.def.id));

  const pathTo = (id: number): Action[] => {
    const out: Action[] = [];
    for (let n = id; n > 0; n = parent[n]) out.push(via[n]!);
    return out.reverse();
  };
  // Whether every property is decided and whether some is violated change only when a finding is recorded.
  let decided = wanted.size === 0; // as before: with no property to decide, the search stops after the initial state
  let violated = false;
  const record = (v: Verdict, from: number, a: Action | null, atDeadlock = false) => {
    if (findings.has(v.property)) return;
    findings.set(v.property, { verdict: v, path: a ? [...pathTo(from), a] : pathTo(from), atDeadlock });
    if (v.type === 'violation') violated = true;
    decided = [...wanted].every((p) => findings.has(p) && (findings.get(p)!.verdict.type === 'violation' || sys.props.find((x) => x.def.id === p)!.def.kind === 'sometimes'));
  };

  const trans = new Transitions(sys);
  for (const v of initialApplied.verdicts) record(v, 0, null);
  visited.add(fp(initial));
  // The search consumes the states it expands: start from a copy, so the caller's initial state stays as it was.
  const first = initial.clone();
  shared.share(first);
  const queue = new StateQueue(trans, first.locals.length);
  queue.push(0, first);
  let transitions = 0;
  let maxDepth = 0;
  let deadlocks = 0;
  let bound: BfsResult['bound'];
  let lastReport = t0;
  let stop = false;
  /**
   * A successor with fingerprint f, reached from node `id` at depth d by `a`: its new node id,
   * or -1 when it was seen before, or -2 when the state bound stops the search.
   */
  const admit = (f: number, id: number, d: number, a: Action): number => {
    if (visited.size >= opts.maxStates) { if (visited.has(f)) return -1; bound = 'states'; return -2; }
    if (!visited.add(f)) return -1;
    const nid = parent.length;
    parent.push(id);
    via.push(a);
    depthOf.push(d + 1);
    return nid;
  };

  while (queue.size && !stop) {
    const st = queue.shift();
    const id = queue.node;
    const d = depthOf[id];
    if (d > maxDepth) maxDepth = d;
    if (d >= opts.maxDepth) { bound = 'depth'; continue; }
    const actions = enabledActions(sys, st, opts);
    if (actions.length === 0) {
      deadlocks++;
      const end = st.clone();
      sys.props.forEach((p, i) => {
        for (const v of p.finish?.(end.monitors[i], end, sys, true).violations ?? []) record(v, id, null, true);
      });
      continue;
    }
    if (fps) fps.base(st, queue.curIds, trans.localA, trans.localB, queue.curNa, queue.curNb);
    // Deliveries and timers from a state with fresh monitors go through the transition cache (successors.ts).
    const cached = st.monitors === shared.initial && !st.partitioned && st.net instanceof PackedNet;
    for (let k = 0; k < actions.length; k++) {
      const a = actions[k];
      if (cached && (a.kind === 'deliver' || a.kind === 'timeout')) {
        const m = a.kind === 'deliver' ? st.net.get(a.mid)! : undefined;
        const e = m !== undefined ? trans.deliver(st, m) : trans.timeout(st, a as Action & { kind: 'timeout' });
        let next: SysState | undefined;
        if (e === undefined) {
          // First time: applied the ordinary way (and kept for the next time).
          next = trans.probe(st, a, m, emptied(scratch));
          transitions++;
          if (scratch.verdicts.length) for (const v of scratch.verdicts) record(v, id, a);
        } else if (e.ok) {
          transitions++;
          if (e.verdicts.length) for (const v of e.verdicts) record(v, id, a);
        }
        if (e === undefined || e.ok) {
          if (violated && opts.stopAtFirst) { stop = true; break; }
          let f: number;
          if (next === undefined && fps) f = fps.step(e!.actor, e!.ha, e!.hb, m ? m.fpa! : 0, m ? m.fpb! : 0, e!.outA, e!.outB);
          else { next ??= materialize(st, m, e!, shared.initial); f = fp(next); }
          const nid = admit(f, id, d, a);
          if (nid === -2) { stop = true; break; }
          if (nid < 0) continue;
          if (e !== undefined) queue.pushStep(nid, e, m);
          else { shared.share(next!); queue.push(nid, next!, st.locals); }
          continue;
        }
      }
      // Every successor is a clone, the last one too: stepping the parent itself in place (one clone
      // fewer) wrote young objects (messages, monitor copies) into an old-generation object, and the
      // scavenger keeps whatever an old object points to, dead or not, until the next full GC:
      // those objects were promoted for nothing (a third of what the search promoted).
      const next = st.clone();
      const applied = applyAction(sys, next, a, emptied(scratch));
      transitions++;
      if (applied.verdicts.length) for (const v of applied.verdicts) record(v, id, a);
      if (violated && opts.stopAtFirst) { stop = true; break; }
      const nid = admit(fp(next), id, d, a);
      if (nid === -2) { stop = true; break; }
      if (nid < 0) continue;
      shared.share(next);
      queue.push(nid, next, st.locals);
    }
    if (opts.onProgress && (transitions & 1023) < actions.length) {
      const now = performance.now();
      if (now - lastReport > 500) {
        lastReport = now;
        opts.onProgress({ states: visited.size, transitions, depth: maxDepth, queue: queue.size, seconds: (now - t0) / 1000 });
      }
    }
    if (decided) stop = true;
  }
  return {
    states: visited.size,
    transitions,
    depth: maxDepth,
    seconds: (performance.now() - t0) / 1000,
    complete: !bound && queue.size === 0,
    bound,
    deadlocks,
    findings,
  };
}

/**
 * Initial monitor states shared by the queued states whose monitors are as
 * good as new (`MonitorState.fresh`; on the main preset, all of them): a
 * queued state then keeps no monitor objects of its own (the Stateless
 * monitors are shared already). A shared monitor is never written: the BFS
 * steps clones only, and `clone()` copies it (copy-on-write).
 */
class FreshMonitors {
  readonly initial: MonitorState[];
  constructor(sys: System) { this.initial = sys.props.map((p) => p.init()); }

  /** Replaces `st`'s fresh monitors by the shared ones (the whole array when every one is). */
  share(st: SysState): void {
    const ms = st.monitors;
    const init = this.initial;
    if (ms === init) return;
    let all = true;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i];
      if (m === init[i]) continue;
      if (m.fresh?.()) ms[i] = init[i]; else all = false;
    }
    if (all) st.monitors = init;
  }
}

