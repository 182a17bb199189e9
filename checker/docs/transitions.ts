// The transitions of a role, listed from its normalized XState config
// (`role.config`): one row per candidate transition, in the order the machine
// tries them (a state's own handlers, then the root's, as XState bubbles an
// event to the parent; `always` rows for eventless transitions). The models
// are flat, so a row's `from` is a state name, or `*` for a root handler that
// applies in any state which does not handle the event itself. Also the
// timers: which parameters a timer's duration reads (models/timers.ts, called
// with parameters that record what is read) and its default value.
import type { ActionRef, Role, TransitionConfig, TransitionsConfig } from '../../models/role.js';
import { DEFAULT_PARAMS, type ResolvedParams } from '../../models/params.js';
import { timerDuration } from '../../models/timers.js';
import type { TimerName } from '../../schemas/generated/trace.js';

/** One candidate transition of a role. */
export interface TransitionRow {
  readonly from: string;
  /** The event type (`ConnectAck`, `input.Login`, `timeout.connect`, `crash`), or `always`. */
  readonly event: string;
  /** Position among the candidates for (from, event): the first whose guard holds is taken. */
  readonly index: number;
  readonly guard?: string;
  /** The target state; undefined for an internal transition (the state stays, no exit/entry). */
  readonly target?: string;
  readonly reenter: boolean;
  /** The transition's own actions (the built-in `fired`, which disarms a fired timer, left out). */
  readonly actions: readonly ActionRef[];
  readonly description?: string;
  /** The raw transition, as the config holds it (for the effect probe). */
  readonly config: TransitionConfig;
}

/** Any-state marker used as `from` of root handlers. */
export const ANY = '*';
/** Pseudo-event of eventless transitions. */
export const ALWAYS = 'always';

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const normalise = (t: TransitionsConfig | undefined): TransitionConfig[] => asArray(typeof t === 'string' ? { target: t } : t);

function rows(from: string, event: string, t: TransitionsConfig | undefined): TransitionRow[] {
  return normalise(t).map((tc, index) => ({
    from,
    event,
    index,
    guard: tc.guard,
    target: tc.target?.replace(/^\./, ''),
    reenter: tc.reenter === true,
    actions: asArray(tc.actions).filter((a) => (typeof a === 'string' ? a : a.type) !== 'fired'),
    description: tc.description,
    config: tc,
  }));
}

/** Every transition of `role`: per state (in config order) its `always` then its `on` handlers, then the root's. */
export function transitionsOf(role: Role<any>): TransitionRow[] {
  const out: TransitionRow[] = [];
  for (const [name, sc] of Object.entries(role.config.states)) {
    out.push(...rows(name, ALWAYS, sc.always));
    for (const [ev, t] of Object.entries(sc.on ?? {})) out.push(...rows(name, ev, t));
  }
  for (const [ev, t] of Object.entries(role.config.on ?? {})) out.push(...rows(ANY, ev, t));
  return out;
}

/** `arm(retry)`, `rejectConnect(busy)`, `startLogin`: an action reference as a short label. */
export function actionLabel(a: ActionRef): string {
  if (typeof a === 'string') return a;
  const params = Object.values(a.params ?? {}).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return params.length ? `${a.type}(${params.join(', ')})` : a.type;
}

/** The entry and exit actions of a state, as labels. */
export function entryExit(role: Role<any>, state: string): { entry: string[]; exit: string[] } {
  const sc = role.config.states[state];
  return { entry: asArray(sc.entry).map(actionLabel), exit: asArray(sc.exit).map(actionLabel) };
}

/** `event [guard] / a, b`: the UML label of a transition. */
export function transitionLabel(r: TransitionRow): string {
  const ev = r.event === ALWAYS ? '(always)' : r.event;
  const guard = r.guard ? ` [${r.guard}]` : '';
  const acts = r.actions.length ? ` / ${r.actions.map(actionLabel).join(', ')}` : '';
  return `${ev}${guard}${acts}`;
}

/** Whether a row does nothing: no target and no actions (the event is consumed and ignored). */
export const isIgnore = (r: TransitionRow): boolean => r.target === undefined && r.actions.length === 0;

/** The states in which a root handler for `event` applies: those without their own handler for it. */
export function statesReachedByRoot(role: Role<any>, event: string): string[] {
  return Object.entries(role.config.states).filter(([, sc]) => !(sc.on && event in sc.on)).map(([n]) => n);
}

/** The timers a role arms or handles: the `timeout.<name>` events it reacts to. */
export function timersOf(role: Role<any>): string[] {
  return role.eventTypes.filter((e) => e.startsWith('timeout.')).map((e) => e.slice('timeout.'.length)).sort();
}

/** One timer: its duration's parameters and default value (ms). */
export interface TimerDoc {
  readonly timer: TimerName;
  readonly params: readonly string[];
  readonly defaultMs: number;
}

/** The parameters `timerDuration(timer, ·)` reads, and its default value. */
export function timerDoc(timer: TimerName): TimerDoc {
  const read: string[] = [];
  const spy = new Proxy(DEFAULT_PARAMS, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !read.includes(key)) read.push(key);
      return Reflect.get(target, key, receiver);
    },
  }) as ResolvedParams;
  return { timer, params: read, defaultMs: timerDuration(timer, spy) };
}
