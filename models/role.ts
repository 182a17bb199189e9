// One role of the protocol, written once as an XState v5 machine config plus
// named guard and action implementations, and turned into two executables:
//  - `machine`: the XState machine (`setup({guards, actions}).createMachine`),
//    the specification, loadable in Stately's visualiser and driven through
//    XState's pure `initialTransition`/`transition`;
//  - `init`/`step`: the same config compiled to JavaScript (one generated
//    function per state and event type, `generate` below) that calls the same
//    guard and action functions, two orders of magnitude faster than
//    `transition()` (bench/models.ts), for the explorer, checker and simulator.
// A differential property test (test/models-differential.test.ts) shows the two agree.
//
// The XState subset the interpreter supports (and the models use): flat states,
// root-level `on` (handled after the active state's own handlers, as XState
// bubbles events to the parent), string guards, named actions with optional
// `params`, `entry`/`exit`, `always`, `reenter`. Anything else is rejected at load.
import { setup, assign } from 'xstate';
import { cancel } from './effects.js';
import type { ActorConfig, BaseContext, ModelEvent, Outgoing, TimerName } from './types.js';

export type GuardImpl<C> = (ctx: C, ev: ModelEvent, params: any) => boolean;
/** An action mutates the top-level fields of a fresh shallow copy of the context (never nested values in place). */
export type ActionImpl<C> = (draft: C, ev: ModelEvent, params: any) => void;

export type ActionRef = string | { type: string; params?: Record<string, unknown> };
export interface TransitionConfig {
  target?: string;
  guard?: string;
  actions?: ActionRef | ActionRef[];
  reenter?: boolean;
  description?: string;
}
export type TransitionsConfig = TransitionConfig | TransitionConfig[] | string;
export interface StateConfig {
  description?: string;
  entry?: ActionRef | ActionRef[];
  exit?: ActionRef | ActionRef[];
  on?: Record<string, TransitionsConfig>;
  always?: TransitionsConfig;
  tags?: string[];
}
export interface RoleConfig {
  id: string;
  description?: string;
  initial: string;
  on?: Record<string, TransitionsConfig>;
  states: Record<string, StateConfig>;
}

/** A local state: the machine's state value (one flat state name) and its context. */
export interface Local<C extends BaseContext = BaseContext> {
  readonly value: string;
  readonly ctx: C;
}
/** What a step returns: the next local state and its effects, as data. */
export interface StepResult<C extends BaseContext = BaseContext> {
  readonly next: Local<C>;
  readonly outbox: readonly Outgoing[];
  readonly armed: readonly TimerName[];
  /** False when no transition was enabled: the event was ignored (next === the old state). */
  readonly taken: boolean;
}

interface Bound { fn: (...a: any[]) => any; params: unknown; name: string }
type Test = (ctx: any, ev: ModelEvent) => boolean;
interface Compiled { guard?: Bound; test?: Test; target?: string; reenter: boolean; fromRoot: boolean; actions: Bound[] }
/** A compiled (state, event type) pair: the whole step, guards and actions called from code of its own. */
type Handler = (local: Local<any>, ev: ModelEvent) => StepResult<any>;
interface StateHandlers { readonly on: Map<string, Handler>; readonly none: Handler }

/** A guard with its params bound, for `enabled` (one generated function per guard use, as the handlers call them). */
function test(b: Bound): Test {
  // eslint-disable-next-line no-new-func
  return new Function('g', 'p', 'return (ctx, ev) => g(ctx, ev, p);')(b.fn, b.params) as Test;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const EMPTY: readonly never[] = Object.freeze([]);
/** The result of a taken step: one allocation site for every role, so callers see one shape. */
const taken = <C extends BaseContext>(value: string, d: C): StepResult<C> => ({ next: { value, ctx: d }, outbox: d.outbox, armed: d.armed, taken: true });
const ignored = <C extends BaseContext>(local: Local<C>): StepResult<C> => ({ next: local, outbox: EMPTY, armed: EMPTY, taken: false });

export interface Role<C extends BaseContext> {
  readonly name: string;
  readonly config: RoleConfig;
  readonly guards: Readonly<Record<string, GuardImpl<C>>>;
  readonly actions: Readonly<Record<string, ActionImpl<C>>>;
  readonly machine: any;
  readonly stateNames: readonly string[];
  /** Events any state reacts to, sorted (for docs and test generation). */
  readonly eventTypes: readonly string[];
  init(cfg: ActorConfig, now: number): StepResult<C>;
  step(local: Local<C>, ev: ModelEvent): StepResult<C>;
  /** Whether some transition is enabled for `ev` in `local` (guards evaluated). */
  enabled(local: Local<C>, ev: ModelEvent): boolean;
}

/** Builds both executables of a role from one config and one set of implementations. */
export function defineRole<C extends BaseContext>(
  config: RoleConfig,
  makeContext: (cfg: ActorConfig, now: number) => C,
  guards: Record<string, GuardImpl<C>>,
  actions: Record<string, ActionImpl<C>>,
): Role<C> {
  actions = { fired, ...actions };
  const bind = (kind: 'guard' | 'action', ref: ActionRef, where: string): Bound => {
    const name = typeof ref === 'string' ? ref : ref.type;
    const params = typeof ref === 'string' ? undefined : ref.params;
    const fn = kind === 'guard' ? guards[name] : actions[name];
    if (!fn) throw new Error(`${config.id}: unknown ${kind} "${name}" in ${where}`);
    return { fn, params, name };
  };
  const stateNames = Object.keys(config.states);
  config = withFiredTimers(config);
  const compile = (t: TransitionsConfig | undefined, where: string, fromRoot = false): Compiled[] =>
    asArray(typeof t === 'string' ? { target: t } : t).map((tc) => {
      const target = tc.target?.replace(/^\./, '');
      if (target !== undefined && !stateNames.includes(target)) throw new Error(`${config.id}: unknown target "${tc.target}" in ${where}`);
      for (const k of Object.keys(tc)) if (!['target', 'guard', 'actions', 'reenter', 'description'].includes(k)) throw new Error(`${config.id}: unsupported key "${k}" in ${where}`);
      const guard = tc.guard ? bind('guard', tc.guard, where) : undefined;
      const actions = asArray(tc.actions).map((a) => bind('action', a, where));
      return { guard, test: guard && test(guard), target, reenter: tc.reenter === true, fromRoot, actions };
    });

  // table[state][eventType] = the state's own transitions, then the root's.
  const table: Record<string, Record<string, Compiled[]>> = Object.create(null);
  const entry: Record<string, Bound[]> = Object.create(null);
  const exit: Record<string, Bound[]> = Object.create(null);
  const always: Record<string, Compiled[]> = Object.create(null);
  const rootOn: Record<string, Compiled[]> = Object.create(null);
  const events = new Set<string>();
  for (const [ev, t] of Object.entries(config.on ?? {})) { rootOn[ev] = compile(t, `root on ${ev}`, true); events.add(ev); }
  for (const [name, sc] of Object.entries(config.states)) {
    for (const k of Object.keys(sc)) if (!['description', 'entry', 'exit', 'on', 'always', 'tags'].includes(k)) throw new Error(`${config.id}: unsupported state key "${k}" in ${name}`);
    const row: Record<string, Compiled[]> = Object.create(null);
    for (const [ev, t] of Object.entries(sc.on ?? {})) { row[ev] = compile(t, `${name} on ${ev}`); events.add(ev); }
    for (const [ev, ts] of Object.entries(rootOn)) row[ev] = [...(row[ev] ?? []), ...ts];
    table[name] = row;
    entry[name] = asArray(sc.entry).map((a) => bind('action', a, `${name} entry`));
    exit[name] = asArray(sc.exit).map((a) => bind('action', a, `${name} exit`));
    always[name] = compile(sc.always, `${name} always`);
  }
  if (!stateNames.includes(config.initial)) throw new Error(`${config.id}: unknown initial state ${config.initial}`);

  const pick = (cands: Compiled[] | undefined, ctx: C, ev: ModelEvent): Compiled | undefined => {
    if (cands) for (const c of cands) if (!c.test || c.test(ctx, ev)) return c;
    return undefined;
  };

  // The handlers are generated on the first init or step, when a context shows the field names
  // the copier needs (a role's contexts all have the fields its `makeContext` gives them).
  let program: Program<C> | undefined;
  let lastValue: string | undefined;
  let lastState: StateHandlers | undefined;
  const compiled = (sample: C): Program<C> => (program ??= generate(config.id, config.initial, stateNames, table, always, entry, exit, sample));
  const role: Role<C> = {
    name: config.id,
    config,
    guards,
    actions,
    stateNames,
    eventTypes: [...events].sort(),
    machine: buildMachine(config, makeContext, guards, actions),
    init(cfg, now) {
      const c0 = makeContext(cfg, now);
      return compiled(c0).init(c0, { type: 'xstate.init', now } as unknown as ModelEvent);
    },
    step(local, ev) {
      // The state of the previous step first: a role's actors spend most steps in one state
      // (clients online, supernodes serving), and state names are one string object each.
      const value = local.value;
      let s = lastState;
      if (value !== lastValue) {
        s = lastState = (program ?? compiled(local.ctx)).states.get(value)!;
        lastValue = value;
      }
      const h = s!.on.get(ev.type);
      return h !== undefined ? h(local, ev) : s!.none(local, ev);
    },
    enabled(local, ev) {
      return (pick(table[local.value][ev.type], local.ctx, ev) ?? pick(always[local.value], local.ctx, ev)) !== undefined;
    },
  };
  return role;
}

interface Program<C extends BaseContext> {
  readonly states: Map<string, StateHandlers>;
  /** Runs the initial state's entry actions on a copy of `c0` and settles. */
  readonly init: (c0: C, ev: ModelEvent) => StepResult<C>;
}

/**
 * Compiles a role into JavaScript, one function per (state, event type) that the
 * state or the root handles, one per state for the events it does not handle
 * (only its eventless transitions can fire), and one per state with `always`
 * transitions (settling after a transition into it). Each function tries its
 * candidates in order, copies the context only when one is enabled, and runs
 * the exit, transition and entry actions as straight calls: every call site
 * has one callee (V8 can inline the guards and actions), no list is walked,
 * and nothing is allocated but the copy, the result and what the actions make.
 *
 * The semantics are those of XState v5 (and of the interpreter this replaced):
 * a state's transition to itself neither exits nor re-enters unless `reenter`;
 * a root transition to the active child does; after every event, also one no
 * state handles, the eventless transitions of the state reached are taken
 * until none is enabled (at most 16 in a row).
 */
function generate<C extends BaseContext>(
  id: string,
  initial: string,
  stateNames: readonly string[],
  table: Record<string, Record<string, Compiled[]>>,
  always: Record<string, Compiled[]>,
  entry: Record<string, Bound[]>,
  exit: Record<string, Bound[]>,
  sample: C,
): Program<C> {
  const F: unknown[] = [];
  const P: unknown[] = [];
  const idx = new Map<unknown, Map<unknown, number>>();
  /** `f<i>(target, ev, p<i>)` for bound function `b` (one slot per distinct function and params). */
  const call = (b: Bound, target: 'c' | 'd'): string => {
    let byP = idx.get(b.fn);
    if (!byP) idx.set(b.fn, (byP = new Map()));
    let i = byP.get(b.params);
    if (i === undefined) { i = F.length; F.push(b.fn); P.push(b.params); byP.set(b.params, i); }
    return `f${i}(${target}, ev, p${i})`;
  };
  const si = new Map(stateNames.map((s, i) => [s, i]));
  const lit = (s: string) => JSON.stringify(s);
  const runs = (list: readonly Bound[]) => list.map((b) => `${call(b, 'd')};`).join(' ');
  /** The value after settling in `state` (`n` eventless transitions taken so far). */
  const settled = (state: string, n: string) => (always[state].length ? `S${si.get(state)}(d, ev, ${n})` : lit(state));
  /** Code that takes `t` from `from` on draft `d` and returns the step's result (or, in a settler, the settled value). */
  const take = (t: Compiled, from: string, n: string, result: (value: string) => string): string => {
    const internal = t.target === undefined || (t.target === from && !t.reenter && !t.fromRoot);
    if (internal) return `${runs(t.actions)} return ${result(settled(from, n))};`;
    return `${runs(exit[from])} ${runs(t.actions)} ${runs(entry[t.target!])} return ${result(settled(t.target!, n))};`;
  };
  const guarded = (t: Compiled, on: 'c' | 'd', body: string) => (t.guard ? `if (${call(t.guard, on)}) { ${body} }` : `{ ${body} }`);
  const out = (v: string) => `R(${v}, d)`;
  const fns: string[] = [];
  // Settlers: S<i>(d, ev, n) = the value reached from state i by its eventless transitions.
  for (const s of stateNames) {
    if (!always[s].length) continue;
    const body = always[s].map((t) =>
      guarded(t, 'd', `if (n === 15) throw new Error(${lit(`${id}: more than 16 eventless transitions in a row from `)} + ${lit(s)}); ${take(t, s, 'n + 1', (v) => v)}`)).join(' ');
    fns.push(`function S${si.get(s)}(d, ev, n) { ${body} return ${lit(s)}; }`);
  }
  // None<i>(local, ev): an event state i does not handle; only its eventless transitions may fire (on the old context).
  for (const s of stateNames) {
    const body = always[s].map((t) => guarded(t, 'c', `const d = CL(c); ${take(t, s, '0', out)}`)).join(' ');
    fns.push(`function N${si.get(s)}(local, ev) { const c = local.ctx; ${body} return IG(local); }`);
  }
  // H<i>_<k>(local, ev): state i, event type k.
  const handled: [string, string, string][] = [];
  for (const s of stateNames) {
    Object.keys(table[s]).forEach((ev, k) => {
      const name = `H${si.get(s)}_${k}`;
      const body = table[s][ev].map((t) => guarded(t, 'c', `const d = CL(c); ${take(t, s, '0', out)}`)).join(' ');
      fns.push(`function ${name}(local, ev) { const c = local.ctx; ${body} return N${si.get(s)}(local, ev); }`);
      handled.push([s, ev, name]);
    });
  }
  fns.push(`function INIT(c0, ev) { const d = CL(c0); ${runs(entry[initial])} return R(${settled(initial, '0')}, d); }`);
  const head = F.map((_, i) => `const f${i} = F[${i}], p${i} = P[${i}];`).join('\n');
  const src = `${head}\n${fns.join('\n')}\nreturn { N: [${stateNames.map((_, i) => `N${i}`).join(', ')}], H: [${handled.map((h) => h[2]).join(', ')}], INIT };`;
  // eslint-disable-next-line no-new-func
  const made = new Function('F', 'P', 'CL', 'R', 'IG', src)(F, P, compileClone(sample), taken, ignored) as { N: Handler[]; H: Handler[]; INIT: Program<C>['init'] };
  const states = new Map<string, StateHandlers>(stateNames.map((s, i) => [s, { on: new Map<string, Handler>(), none: made.N[i] }]));
  handled.forEach(([s, ev], k) => states.get(s)!.on.set(ev, made.H[k]));
  return { states, init: made.INIT };
}

/**
 * A timer that fires is no longer armed: every transition on `timeout.T` runs the
 * built-in `fired` action first. Applied to the config both executables are built from.
 */
function withFiredTimers(config: RoleConfig): RoleConfig {
  const fix = (on: Record<string, TransitionsConfig> | undefined) => on && Object.fromEntries(Object.entries(on).map(([ev, t]) => {
    if (!ev.startsWith('timeout.')) return [ev, t];
    const list = asArray(typeof t === 'string' ? { target: t } : t);
    const fired = { type: 'fired', params: { timer: ev.slice(8) } };
    const isFired = (a: ActionRef) => (typeof a === 'string' ? a : a.type) === 'fired';
    return [ev, list.map((tc) => ({ ...tc, actions: [fired, ...asArray(tc.actions).filter((a) => !isFired(a))] }))];
  }));
  return {
    ...config,
    ...(config.on ? { on: fix(config.on) } : {}),
    states: Object.fromEntries(Object.entries(config.states).map(([k, sc]) => [k, sc.on ? { ...sc, on: fix(sc.on) } : sc])),
  };
}

/** Built-in action `{ type: 'fired', params: { timer } }`: disarm the timer whose `timeout.<timer>` event is being handled. */
export function fired(d: BaseContext, _ev: ModelEvent, params: { timer: TimerName }): void {
  cancel(d, params.timer);
}

/** The XState machine for the same config and implementations. Input: `{ cfg, now }`. */
function buildMachine<C extends BaseContext>(
  config: RoleConfig,
  makeContext: (cfg: ActorConfig, now: number) => C,
  guards: Record<string, GuardImpl<C>>,
  actions: Record<string, ActionImpl<C>>,
) {
  const xGuards = Object.fromEntries(Object.entries(guards).map(([k, g]) => [k, ({ context, event }: any, params: any) => g(context, event, params)]));
  const xActions = Object.fromEntries(Object.entries(actions).map(([k, a]) => [k, assign(({ context, event }: any, params: any) => {
    // Copy the effect arrays so earlier snapshots are never mutated.
    const d = { ...context, outbox: [...context.outbox], armed: [...context.armed] };
    a(d, event, params);
    return d;
  })]));
  return (setup as any)({ guards: xGuards, actions: xActions }).createMachine({
    ...config,
    context: ({ input }: { input: { cfg: ActorConfig; now: number } }) => ({ ...makeContext(input.cfg, input.now), outbox: [], armed: [] }),
  });
}

/**
 * A copier for one role's contexts: the same fields, empty `outbox` and `armed`.
 * Generated from the field names of a context (a role's contexts all have the
 * fields its `makeContext` gives them) because a spread `{ ...ctx }` at a call
 * site shared by all roles goes megamorphic in V8 and costs about a microsecond
 * on states spread over the heap (bench/models.ts: the whole step ~1.7x faster).
 * `init` copies the context `makeContext` returns with it too, so that every
 * context a role's steps see comes from this one literal (one V8 map per role).
 */
function compileClone<C extends object>(sample: C): (c: C) => C {
  const keys = Object.keys(sample).filter((k) => k !== 'outbox' && k !== 'armed');
  const bad = keys.find((k) => !/^[A-Za-z_$][\w$]*$/.test(k));
  if (bad !== undefined) throw new Error(`defineRole: context field ${JSON.stringify(bad)} is not an identifier`);
  // eslint-disable-next-line no-new-func
  // `outbox` and `armed` start as the shared frozen EMPTY: `emit` and `arm` allocate on first use.
  return new Function('E', `return (c) => ({ ${keys.map((k) => `${k}: c.${k}`).join(', ')}, outbox: E, armed: E });`)(EMPTY) as (c: C) => C;
}
