// One role of the protocol, written once as an XState v5 machine config plus
// named guard and action implementations, and turned into two executables:
//  - `machine`: the XState machine (`setup({guards, actions}).createMachine`),
//    the specification, loadable in Stately's visualiser and driven through
//    XState's pure `initialTransition`/`transition`;
//  - `init`/`step`: a small interpreter compiled from the same config that calls
//    the same guard and action functions, ~50x faster than `transition()`
//    (bench/models.ts), for the explorer, checker and simulator.
// A differential property test (test/models-differential.test.ts) shows the two agree.
//
// The XState subset the interpreter supports (and the models use): flat states,
// root-level `on` (handled after the active state's own handlers, as XState
// bubbles events to the parent), string guards, named actions with optional
// `params`, `entry`/`exit`, `always`, `reenter`. Anything else is rejected at load.
import { setup, assign } from 'xstate';
import { contextEffects } from './effects.js';
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
/** A generated action list; `list` is what it runs, for `handler` to call the same actions inline. */
type Exec = ((d: any, ev: ModelEvent) => void) & { readonly list: readonly Bound[] };
type Test = (ctx: any, ev: ModelEvent) => boolean;
interface Compiled { guard?: Bound; test?: Test; target?: string; reenter: boolean; fromRoot: boolean; actions: Bound[]; exec: Exec }

/**
 * One function that runs a list of bound actions in order, generated so that each
 * list has call sites of its own: a shared loop over `a.fn(...)` calls hundreds of
 * different functions from one site, which V8 cannot inline (megamorphic).
 */
function sequence(list: readonly Bound[]): Exec {
  const F = list.map((b) => b.fn);
  const P = list.map((b) => b.params);
  const head = F.map((_, i) => `const f${i} = F[${i}], p${i} = P[${i}];`).join(' ');
  const body = F.map((_, i) => `f${i}(d, ev, p${i});`).join(' ');
  // eslint-disable-next-line no-new-func
  const run = new Function('F', 'P', `${head} return (d, ev) => { ${body} };`)(F, P);
  return Object.assign(run, { list }) as Exec;
}
/** A guard with its params bound, generated for the same reason as `sequence`. */
function test(b: Bound): Test {
  // eslint-disable-next-line no-new-func
  return new Function('g', 'p', 'return (ctx, ev) => g(ctx, ev, p);')(b.fn, b.params) as Test;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const EMPTY: readonly never[] = Object.freeze([]);

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
  // The built-in `fired` action, this role's own copy (models/effects.ts: one copy per role).
  actions = { fired: contextEffects(config.id).fired, ...actions };
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
      // The state's own name string (an object key: interned), not the one `replace` makes for '.crashed':
      // the step's dispatch compares state values with interned literals, one pointer comparison each.
      const name = tc.target?.replace(/^\./, '');
      const target = name === undefined ? undefined : stateNames.find((s) => s === name);
      if (name !== undefined && target === undefined) throw new Error(`${config.id}: unknown target "${tc.target}" in ${where}`);
      for (const k of Object.keys(tc)) if (!['target', 'guard', 'actions', 'reenter', 'description'].includes(k)) throw new Error(`${config.id}: unsupported key "${k}" in ${where}`);
      const guard = tc.guard ? bind('guard', tc.guard, where) : undefined;
      const actions = asArray(tc.actions).map((a) => bind('action', a, where));
      return { guard, test: guard && test(guard), target, reenter: tc.reenter === true, fromRoot, actions, exec: sequence(actions) };
    });

  // table[state][eventType] = the state's own transitions, then the root's.
  const table: Record<string, Record<string, Compiled[]>> = Object.create(null);
  const entry: Record<string, Exec> = Object.create(null);
  const exit: Record<string, Exec> = Object.create(null);
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
    entry[name] = sequence(asArray(sc.entry).map((a) => bind('action', a, `${name} entry`)));
    exit[name] = sequence(asArray(sc.exit).map((a) => bind('action', a, `${name} exit`)));
    always[name] = compile(sc.always, `${name} always`);
  }
  if (!stateNames.includes(config.initial)) throw new Error(`${config.id}: unknown initial state ${config.initial}`);

  const run = interpreter<C>(config.id, table, always, entry, exit);
  const role: Role<C> = {
    name: config.id,
    config,
    guards,
    actions,
    stateNames,
    eventTypes: [...events].sort(),
    machine: buildMachine(config, makeContext, guards, actions),
    init(cfg, now) {
      const d = { ...makeContext(cfg, now), outbox: [], armed: [] } as C;
      const ev = { type: 'xstate.init', now } as unknown as ModelEvent;
      entry[config.initial](d, ev);
      const value = run.settle(config.initial, d, ev);
      return { next: { value, ctx: d }, outbox: d.outbox, armed: d.armed, taken: true };
    },
    step: run.step,
    enabled: run.enabled,
  };
  return role;
}

interface Run<C extends BaseContext> {
  settle(value: string, d: C, ev: ModelEvent): string;
  step(local: Local<C>, ev: ModelEvent): StepResult<C>;
  enabled(local: Local<C>, ev: ModelEvent): boolean;
}
/**
 * The interpreter proper (`step`, `enabled`, and the `always` loop), as source
 * compiled once per role (`interpreter`): closures made from one function literal
 * share their type feedback in V8, so with one copy for all roles every call and
 * property load in it sees four roles' contexts and hundreds of guards and action
 * lists (megamorphic, not inlined); a copy per role sees one role's. `step` goes
 * through a generated switch (`dispatch`) to a generated function per (state, event type), `handler`.
 */
const INTERPRETER = `
  const pick = (cands, ctx, ev) => {
    if (cands !== undefined) for (let i = 0; i < cands.length; i++) { const c = cands[i]; if (c.test === undefined || c.test(ctx, ev)) return c; }
    return undefined;
  };
  // Take transition t from value on the draft; returns the new value.
  const take = (t, value, d, ev) => {
    // XState v5: a state's transition to itself does not exit/enter unless reenter;
    // a root transition to the active child exits and re-enters it (root is the domain).
    if (t.target === undefined || (t.target === value && !t.reenter && !t.fromRoot)) { t.exec(d, ev); return value; }
    exit[value](d, ev);
    t.exec(d, ev);
    entry[t.target](d, ev);
    return t.target;
  };
  const settle = (value, d, ev) => {
    for (let i = 0; i < 16; i++) {
      const t = pick(always[value], d, ev);
      if (t === undefined) return value;
      value = take(t, value, d, ev);
    }
    throw new Error(id + ': more than 16 eventless transitions in a row from ' + value);
  };
  let clone;
  // No transition of the state's own for the event (or none enabled): XState v5's macrostep
  // selects eventless transitions after every event, also one no state handles: an always
  // guard that reads the event (its now) may fire then.
  const idle = (local, ev) => {
    const t = pick(always[local.value], local.ctx, ev);
    if (t === undefined) return { next: local, outbox: EMPTY, armed: EMPTY, taken: false };
    const d = (clone ??= compileClone(local.ctx))(local.ctx);
    const value = settle(take(t, local.value, d, ev), d, ev);
    return { next: { value, ctx: d }, outbox: d.outbox, armed: d.armed, taken: true };
  };
  const handlers = [];
  for (const state in table) for (const type in table[state]) handlers.push({ state, type, h: handler(state, table[state][type], always, entry, exit, settle, idle, compileClone) });
  return {
    settle,
    step: dispatch(id, Object.keys(table), handlers, idle),
    enabled(local, ev) {
      const row = table[local.value];
      if (row === undefined) throw new Error(id + ': no state ' + JSON.stringify(local.value));
      return (pick(row[ev.type], local.ctx, ev) ?? pick(always[local.value], local.ctx, ev)) !== undefined;
    },
  };`;
function interpreter<C extends BaseContext>(
  id: string,
  table: Record<string, Record<string, Compiled[]>>,
  always: Record<string, Compiled[]>,
  entry: Record<string, Exec>,
  exit: Record<string, Exec>,
): Run<C> {
  // eslint-disable-next-line no-new-func
  return new Function('id', 'table', 'always', 'entry', 'exit', 'EMPTY', 'compileClone', 'handler', 'dispatch', INTERPRETER)(id, table, always, entry, exit, EMPTY, compileClone, handler, dispatch) as Run<C>;
}

type Step = (local: Local<any>, ev: ModelEvent) => StepResult<any>;
/**
 * The role's `step`: a generated switch on the state, then on the event type, each case
 * calling its (state, event type) handler from a call site of its own. A lookup table
 * (`handlers[value][type]`) costs two megamorphic keyed loads per step in V8 (the names
 * vary), and its one call site, calling every handler, cannot inline any; a `switch`
 * compares interned strings, and each case's call can be inlined.
 */
function dispatch(role: string, states: readonly string[], handlers: readonly { state: string; type: string; h: Step }[], idle: Step): Step {
  const cases = states.map((state) => {
    const inner = handlers.flatMap((x, k) => (x.state === state ? [`case ${JSON.stringify(x.type)}: return h${k}(local, ev);`] : [])).join(' ');
    return `case ${JSON.stringify(state)}: switch (ev.type) { ${inner} } return idle(local, ev);`;
  }).join(' ');
  const head = handlers.map((_, k) => `const h${k} = H[${k}].h;`).join(' ');
  const unknown = (local: Local<any>) => { throw new Error(`${role}: no state ${JSON.stringify(local.value)}`); };
  // eslint-disable-next-line no-new-func
  return new Function('H', 'idle', 'unknown', `${head} return (local, ev) => { switch (local.value) { ${cases} default: return unknown(local); } };`)(handlers, idle, unknown) as Step;
}

/**
 * The step of one state on one event type, generated: its candidate transitions in
 * order, each guard, action list, exit and entry called from a call site of its own
 * (so V8 can inline them), what `take` decides known when generating, and the
 * `always` guards of the state reached tested inline (the common case: none fires).
 * When no candidate is enabled, `idle` (the eventless transitions of the state).
 * The same semantics as `pick`/`take`/`settle` in INTERPRETER.
 */
function handler(
  state: string, cands: readonly Compiled[], always: Record<string, Compiled[]>, entry: Record<string, Exec>, exit: Record<string, Exec>,
  settle: (value: string, d: any, ev: ModelEvent) => string, idle: Step, mk: (c: object) => (c: object) => object,
): Step {
  const refs: unknown[] = [];
  const ref = (x: unknown) => { let k = refs.indexOf(x); if (k < 0) k = refs.push(x) - 1; return `r${k}`; };
  // Guards and actions are called right here, each from a call site of its own, not through the
  // `test` and `exec` wrappers: one call level less on every step (~6% fewer instructions per step: bench/step-instructions.sh).
  const guard = (b: Bound, ctx: string) => `${ref(b.fn)}(${ctx}, ev, ${ref(b.params)})`;
  const calls = (list: readonly Bound[]) => list.map((b) => `${ref(b.fn)}(d, ev, ${ref(b.params)});`).join(' ');
  const done = (value: string) => {
    const result = (v: string) => `return { next: { value: ${v}, ctx: d }, outbox: d.outbox, armed: d.armed, taken: true };`;
    const eventless = always[value];
    if (eventless.length === 0) return result(ref(value));
    const settled = `const v = ${ref(settle)}(${ref(value)}, d, ev); ${result('v')}`;
    if (eventless.some((c) => c.guard === undefined)) return settled;
    return `if (!(${eventless.map((c) => guard(c.guard!, 'd')).join(' || ')})) ${result(ref(value))} ${settled}`;
  };
  let body = 'const ctx = local.ctx;';
  let total = false;
  for (const c of cands) {
    const stay = c.target === undefined || (c.target === state && !c.reenter && !c.fromRoot);
    const run = stay
      ? `${calls(c.actions)} ${done(state)}`
      : `${calls(exit[state].list)} ${calls(c.actions)} ${calls(entry[c.target!].list)} ${done(c.target!)}`;
    const take = `{ const d = (clone ??= ${ref(mk)}(ctx))(ctx); ${run} }`;
    if (c.guard === undefined) { body += ` ${take}`; total = true; break; }
    body += ` if (${guard(c.guard!, 'ctx')}) ${take}`;
  }
  if (!total) body += ` return ${ref(idle)}(local, ev);`;
  const head = refs.map((_, k) => `const r${k} = R[${k}];`).join(' ');
  // eslint-disable-next-line no-new-func
  return new Function('R', `${head} let clone; return (local, ev) => { ${body} };`)(refs) as Step;
}

/**
 * A timer that fires is no longer armed: every transition on `timeout.T` runs the
 * built-in `fired` action first. Applied to the config both executables are built from.
 */
function withFiredTimers(config: RoleConfig): RoleConfig {
  const fix = (on: Record<string, TransitionsConfig> | undefined) => on && Object.fromEntries(Object.entries(on).map(([ev, t]) => {
    if (!ev.startsWith('timeout.')) return [ev, t];
    const list = asArray(typeof t === 'string' ? { target: t } : t);
    const fired = { type: 'fired', params: { timer: interned(ev.slice(8)) } };
    const isFired = (a: ActionRef) => (typeof a === 'string' ? a : a.type) === 'fired';
    return [ev, list.map((tc) => ({ ...tc, actions: [fired, ...asArray(tc.actions).filter((a) => !isFired(a))] }))];
  }));
  return {
    ...config,
    ...(config.on ? { on: fix(config.on) } : {}),
    states: Object.fromEntries(Object.entries(config.states).map(([k, sc]) => [k, sc.on ? { ...sc, on: fix(sc.on) } : sc])),
  };
}

/**
 * `s` as an interned string (a property key is one): `slice` makes a new string, and a
 * timer name that is not interned makes every comparison with the names in `arm` and
 * `cancel` (models/effects.ts) a character-by-character one, at every step that sees it.
 */
const interned = (s: string): string => Object.keys({ [s]: 0 })[0];

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
 */
function compileClone<C extends object>(sample: C): (c: C) => C {
  const keys = Object.keys(sample).filter((k) => k !== 'outbox' && k !== 'armed');
  const bad = keys.find((k) => !/^[A-Za-z_$][\w$]*$/.test(k));
  if (bad !== undefined) throw new Error(`defineRole: context field ${JSON.stringify(bad)} is not an identifier`);
  // eslint-disable-next-line no-new-func
  // `outbox` and `armed` start as the shared frozen EMPTY: `emit` and `arm` allocate on first use.
  return new Function('E', `return (c) => ({ ${keys.map((k) => `${k}: c.${k}`).join(', ')}, outbox: E, armed: E });`)(EMPTY) as (c: C) => C;
}
