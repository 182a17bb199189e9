// Which coverage goals one applied system step hits: the states the touched
// actors end in, the transitions they take (goals.ts `firedTransitions`), and
// the pairs those transitions form with each actor's previous transition.
// The per-actor "previous transition" is the only memory this needs; the
// generator keeps it beside each explored state, the replay check beside the
// conformer's state. Pure: nothing here prints or mutates the system state.
import { ROLES, type Local, type ModelEvent } from '../../models/index.js';
import { inputType, timeoutType } from '../../models/event-types.js';
import type { Observation, System } from '../system/system.js';
import type { SysState } from '../system/state.js';
import { firedTransitions, pairId, type CoverageKind } from './goals.js';

/** Per actor index, the last transition it took (undefined: none yet). */
export type LastTransitions = readonly (string | undefined)[];

export interface Hits {
  /** Goal ids of each kind hit, in the order they were hit (may repeat). */
  readonly states: string[];
  readonly transitions: string[];
  readonly 'transition-pairs': string[];
  readonly last: LastTransitions;
}

/** The model event an observation fed to the touched actor, or undefined for a non-local event. */
export function eventOf(sys: System, o: Observation, now = 0): ModelEvent | undefined {
  const ev = o.ev;
  switch (ev.type) {
    case 'deliver': return o.msg && o.from !== undefined ? { type: o.msg.kind, from: sys.topo.ids[o.from], msg: o.msg, now } as ModelEvent : undefined;
    case 'timeout': return { type: timeoutType(ev.timer), now } as ModelEvent;
    case 'input': return { type: inputType(ev.input.kind), input: ev.input, now } as ModelEvent;
    case 'crash': case 'restart': return { type: ev.type, now };
    case 'join': return { type: 'xstate.init', now } as unknown as ModelEvent;
    default: return undefined;
  }
}

function emptyHits(last: LastTransitions): Hits {
  return { states: [], transitions: [], 'transition-pairs': [], last };
}

function touch(sys: System, h: Hits, last: (string | undefined)[], idx: number, before: Local | null, after: Local | null, ev: ModelEvent): void {
  if (!after) return;
  const role = sys.topo.roles[idx];
  // States passed through count too: an eventless transition may leave one at once (supernode.boot).
  for (const t of firedTransitions(role, before, after, ev)) {
    h.states.push(`${role}.${t.source}`, `${role}.${t.target}`);
    h.transitions.push(t.id);
    const prev = last[idx];
    if (prev !== undefined) h['transition-pairs'].push(pairId(prev, t.id));
    last[idx] = t.id;
  }
  h.states.push(`${role}.${after.value}`);
}

/**
 * Goals hit by the actors' initialisation. `st` is the initial state and
 * `opening` the observations of the inputs applied to it (explore/setup.ts
 * initialState): an actor they touched started in its first touch's `before`.
 */
export function initialHits(sys: System, st: SysState, opening: readonly Observation[] = []): Hits {
  const last: (string | undefined)[] = st.locals.map(() => undefined);
  const h = emptyHits(last);
  const start = st.locals.slice();
  for (const o of [...opening].reverse()) for (const t of o.touched) start[t.idx] = t.before;
  start.forEach((l, i) => touch(sys, h, last, i, null, l, { type: 'xstate.init', now: 0 } as unknown as ModelEvent));
  return h;
}

/** Goals hit by `observations` (one or more applied events), continuing from `last`. */
export function stepHits(sys: System, observations: readonly Observation[], last: LastTransitions, now = 0): Hits {
  const next = last.slice();
  const h = emptyHits(next);
  for (const o of observations) {
    const ev = eventOf(sys, o, now);
    if (!ev) continue;
    for (const t of o.touched) {
      // An ignored event (taken: false) leaves the actor where it was: no transition.
      if (!o.taken && t.before) { if (t.after) h.states.push(`${sys.topo.roles[t.idx]}.${t.after.value}`); continue; }
      touch(sys, h, next, t.idx, t.before, t.after, ev);
    }
  }
  return h;
}

/** Whether our candidate selection agrees with the interpreter's `taken` for every touched actor. */
export function selectionAgrees(sys: System, observations: readonly Observation[], now = 0): boolean {
  for (const o of observations) {
    const ev = eventOf(sys, o, now);
    if (!ev || o.ev.type === 'join') continue;
    for (const t of o.touched) {
      if (!t.before || !t.after) continue;
      const fired = firedTransitions(sys.topo.roles[t.idx], t.before, t.after, ev).length > 0;
      const taken = ROLES[sys.topo.roles[t.idx]].step(t.before, ev).taken;
      if (fired !== taken) return false;
    }
  }
  return true;
}

/** Hits of one kind. */
export const hitsOf = (h: Hits, kind: CoverageKind): readonly string[] => h[kind];
