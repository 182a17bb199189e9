// Coverage goals read off the role machines, and which goals one step hits.
//
// GOALS. A `states` goal is a (role, state) pair: `client.online`. A
// `transitions` goal is one candidate of a state's transition list for one
// event type: `client.registering RegisterReject#3→failed`, where #3 is the
// candidate's index in the list the interpreter scans (models/role.ts: the
// state's own `on[event]` first, then the root `on[event]`, first enabled
// guard wins); `supernode.boot always#3→joining` names an eventless candidate.
// A `transition-pairs` goal is two transitions one actor takes in a row:
// `t1 ; t2`. The universe of each kind is enumerated statically from
// `role.config` for the roles a system has; what a bounded search never hits
// is reported as never reached (e.g. transitions guarded by seeded-bug switches).
//
// WHICH TRANSITION FIRED. Nothing is added to the models: for an actor an event
// touched, we re-run the interpreter's candidate selection ourselves on the
// before-state, calling `role.guards` with the same (context, event, params)
// the interpreter passes, in the same order (own candidates, then root's, then
// — as XState's macrostep does — the state's `always` list). The eventless
// transitions that settle afterwards are recovered from the after-state: from
// the first transition's target, the `always` candidate leading to the state
// the actor ended in (the first whose target matches; chains are one hop in
// these models). A test pins that this selection agrees with the interpreter's
// own `taken` flag on every step of the explored state space.
import { ROLES, type Local, type ModelEvent, type Role } from '../../models/index.js';
import type { TransitionConfig, TransitionsConfig, RoleConfig } from '../../models/role.js';

export type CoverageKind = 'states' | 'transitions' | 'transition-pairs';
export const COVERAGE_KINDS: readonly CoverageKind[] = ['states', 'transitions', 'transition-pairs'];

/** One candidate transition of a role, as a goal id and its endpoints. */
export interface TransitionGoal {
  readonly id: string;
  readonly role: Role;
  readonly source: string;
  readonly target: string;
}

const asList = (t: TransitionsConfig | undefined): TransitionConfig[] =>
  t === undefined ? [] : typeof t === 'string' ? [{ target: t }] : Array.isArray(t) ? t : [t];
const targetOf = (t: TransitionConfig, source: string) => t.target?.replace(/^\./, '') ?? source;

/** The candidates the interpreter scans for `type` in `state`: own first, then the root's. */
function candidates(config: RoleConfig, state: string, type: string): TransitionConfig[] {
  return [...asList(config.states[state]?.on?.[type]), ...asList(config.on?.[type])];
}

/** Goal id of candidate `k` of `type` (or `always`) in `state`. */
export function transitionId(role: Role, state: string, type: string, k: number, target: string): string {
  return `${role}.${state} ${type}#${k}→${target}`;
}

/** Every transition candidate of `role`, in state order, then event order, then list order. */
export function roleTransitions(role: Role): TransitionGoal[] {
  const r = ROLES[role];
  const out: TransitionGoal[] = [];
  for (const state of r.stateNames) {
    const sc = r.config.states[state];
    const types = [...new Set([...Object.keys(sc.on ?? {}), ...Object.keys(r.config.on ?? {})])].sort();
    for (const type of types) {
      candidates(r.config, state, type).forEach((t, k) => {
        const target = targetOf(t, state);
        out.push({ id: transitionId(role, state, type, k, target), role, source: state, target });
      });
    }
    asList(sc.always).forEach((t, k) => {
      const target = targetOf(t, state);
      out.push({ id: transitionId(role, state, 'always', k, target), role, source: state, target });
    });
  }
  return out;
}

/** The static universe of goals of `kind` for the roles in `roles` (sorted, deduplicated). */
export function goalUniverse(kind: CoverageKind, roles: readonly Role[]): string[] {
  const present = [...new Set(roles)].sort();
  if (kind === 'states') return present.flatMap((role) => ROLES[role].stateNames.map((s) => `${role}.${s}`));
  const ts = present.flatMap(roleTransitions);
  if (kind === 'transitions') return ts.map((t) => t.id);
  return ts.flatMap((a) => ts.filter((b) => b.role === a.role && b.source === a.target).map((b) => pairId(a.id, b.id)));
}

const goal = (role: Role, source: string, type: string, k: number, target: string): TransitionGoal =>
  ({ id: transitionId(role, source, type, k, target), role, source, target });

export const pairId = (first: string, second: string): string => `${first} ; ${second}`;

const guardHolds = (role: Role, t: TransitionConfig, ctx: unknown, ev: ModelEvent): boolean =>
  !t.guard || ROLES[role].guards[t.guard](ctx as never, ev, undefined);

/** The eventless transitions from `from` that end in `to` (one hop, or none when already there). */
function settleChain(role: Role, from: string, after: Local): TransitionGoal[] {
  if (from === after.value) return [];
  const list = asList(ROLES[role].config.states[from]?.always);
  let k = list.findIndex((t) => targetOf(t, from) === after.value);
  if (k < 0) k = list.findIndex((t) => guardHolds(role, t, after.ctx, { type: 'xstate.init', now: 0 } as never));
  return k < 0 ? [] : [goal(role, from, 'always', k, targetOf(list[k], from))];
}

/**
 * The transitions `role` takes when `ev` moves it from `before` to `after`
 * (the selected candidate, then any eventless ones), or [] when nothing fired.
 * `before === null` is an actor's initialisation (start or join): only the
 * eventless transitions out of the initial state count.
 */
export function firedTransitions(role: Role, before: Local | null, after: Local | null, ev: ModelEvent): TransitionGoal[] {
  const r = ROLES[role];
  if (!after) return [];
  if (!before) return settleChain(role, r.config.initial, after);
  const own = candidates(r.config, before.value, ev.type);
  let k = own.findIndex((t) => guardHolds(role, t, before.ctx, ev));
  let type: string = ev.type;
  let list = own;
  if (k < 0) {
    list = asList(r.config.states[before.value]?.always);
    k = list.findIndex((t) => guardHolds(role, t, before.ctx, ev));
    type = 'always';
  }
  if (k < 0) return [];
  const target = targetOf(list[k], before.value);
  return [goal(role, before.value, type, k, target), ...settleChain(role, target, after)];
}
