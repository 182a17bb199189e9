// The explorer's enabled actions and how each is applied.
//
// ORDER (deterministic; the BFS, random walks and replays rely on it):
//   1. deliveries: in-flight messages in send order (fifo: only the oldest of each sender→receiver pair);
//   2. timers: actors in topology order, each actor's armed timers in name order;
//   3. inputs within budget: actors in topology order; client Login, Logout, Lookup(user of each
//      other client, in topology order); supernode Promote; auth SetMode overloaded, down, up;
//      im SetMode slow, down, up;
//   4. faults within budget: crash each live host (in order of first appearance), restart each
//      crashed host, drop each in-flight message (send order), partition / heal the supernode mesh,
//      join each standby actor, forge a Register from each client to each supernode.
// Only actions whose event some transition accepts are listed (a guard-blocked event is not an action).
//
// TIMING ASSUMPTIONS: a timer of an actor fires only while no message to or from that actor is
// in flight (message delays are shorter than every timeout; a lost message must be dropped
// first); `timers: 'free'` lifts it (fully asynchronous semantics). And an exploration covers a
// `horizon` of model time (default 1 h): a timer longer than that (credential renewal) never fires.
import { ROLES, type Local } from '../../models/index.js';
import type { Input, TimerName } from '../../schemas/generated/trace.js';
import { spend, type BudgetLeft, type Mid, type SysState } from '../system/state.js';
import { observation, type Applied, type System } from '../system/system.js';
import { sign } from '../../models/effects.js';
import { timerDuration } from '../../models/timers.js';
import { inputType, timeoutType } from '../../models/event-types.js';

export type Action =
  | { readonly kind: 'deliver'; readonly mid: Mid }
  | { readonly kind: 'timeout'; readonly actor: number; readonly timer: TimerName }
  | { readonly kind: 'input'; readonly actor: number; readonly input: Input; readonly cost: keyof BudgetLeft }
  | { readonly kind: 'crash'; readonly host: string }
  | { readonly kind: 'restart'; readonly host: string }
  | { readonly kind: 'drop'; readonly mid: Mid }
  | { readonly kind: 'partition' }
  | { readonly kind: 'heal' }
  | { readonly kind: 'join'; readonly actor: number }
  | { readonly kind: 'forge'; readonly from: number; readonly to: number };

export interface ActionOptions {
  readonly timers: 'after-network' | 'free';
  /** Model time an exploration covers, in ms: timers that run longer never fire (default 1 h). */
  readonly horizon?: number;
}

/** One hour of model time: keepalives, retries, warmup and cooldown fire; credential renewal (23 h) does not. */
export const DEFAULT_HORIZON = 3_600_000;

const AUTH_MODES = ['overloaded', 'down', 'up'] as const;
const IM_MODES = ['slow', 'down', 'up'] as const;

/** Bit of each budget kind in a budget's "what is left" mask (see `leftMask`). */
const BUDGET_BIT: Readonly<Record<keyof BudgetLeft, number>> = {
  logins: 1, logouts: 2, lookups: 4, promotes: 8, crashes: 16, drops: 32, partitions: 64, authFaults: 128, imFaults: 256, joins: 512, forgeries: 1024,
};
/** The last budget whose mask was computed: budgets are replaced, never mutated (checker/system/state.ts), and shared by clones. */
let maskOf: BudgetLeft | undefined;
let mask = 0;
/** Which budget kinds have something left, as bits (cached for the last budget object). */
function leftMask(b: BudgetLeft): number {
  if (b === maskOf) return mask;
  let m = 0;
  for (const k in BUDGET_BIT) if (b[k as keyof BudgetLeft] > 0) m |= BUDGET_BIT[k as keyof BudgetLeft];
  maskOf = b;
  mask = m;
  return m;
}

/** The actions an actor's own local state enables, ignoring the budget: cached per (interned, immutable) local state. */
interface LocalActions {
  readonly topo: System['topo'];
  readonly idx: number;
  readonly horizon: number;
  /** Enabled timer actions, in name order. */
  readonly timers: readonly Action[];
  /** Enabled input actions (budget not checked), in the documented order. */
  readonly inputs: readonly (Action & { kind: 'input' })[];
  /** The BUDGET_BIT of each input's cost. */
  readonly inputBits: readonly number[];
}
const localActions = new WeakMap<Local, LocalActions>();
/** Per-actor LocalActions of the state being listed (reused: enabledActions is not reentrant). */
let scratch: (LocalActions | undefined)[] = [];
/** Deliver actions by numeric message id, shared by every state (actions are immutable). */
const deliverActions: Action[] = [];
function deliverAction(mid: Mid): Action {
  if (typeof mid !== 'number' || mid < 0 || mid > 1e7 || !Number.isInteger(mid)) return { kind: 'deliver', mid };
  return deliverActions[mid] ??= { kind: 'deliver', mid };
}
/** Per actor index, the local state last listed there and its LocalActions. */
const lastLocal: (Local | null | undefined)[] = [];
const lastLA: (LocalActions | undefined)[] = [];
/** Busy flags per actor (reused likewise). */
let busyScratch = new Uint8Array(16);

/** Every input an actor of `role` may receive, in the documented order (the budget and guards decide). */
function candidateInputs(sys: System, i: number): { input: Input; cost: keyof BudgetLeft }[] {
  const { topo } = sys;
  const out: { input: Input; cost: keyof BudgetLeft }[] = [];
  const role = topo.roles[i];
  if (role === 'client') {
    out.push({ input: { kind: 'Login' }, cost: 'logins' }, { input: { kind: 'Logout' }, cost: 'logouts' });
    for (let j = 0; j < topo.cfgs.length; j++) if (topo.cfgs[j].role === 'client' && j !== i) out.push({ input: { kind: 'Lookup', user: topo.cfgs[j].user }, cost: 'lookups' });
  } else if (role === 'supernode') {
    out.push({ input: { kind: 'Promote' }, cost: 'promotes' });
  } else if (role === 'auth') {
    for (const mode of AUTH_MODES) out.push({ input: { kind: 'SetMode', mode }, cost: 'authFaults' });
  } else if (role === 'im') {
    for (const mode of IM_MODES) out.push({ input: { kind: 'SetMode', mode }, cost: 'imFaults' });
  }
  return out;
}

function actionsOf(sys: System, l: Local, i: number, horizon: number): LocalActions {
  const hit = localActions.get(l);
  if (hit && hit.topo === sys.topo && hit.idx === i && hit.horizon === horizon) return hit;
  const role = ROLES[sys.topo.roles[i]];
  const timers: Action[] = [];
  for (const timer of l.ctx.timers) {
    if (timerDuration(timer, l.ctx.cfg.params) > horizon) continue;
    if (role.enabled(l, { type: timeoutType(timer), now: 0 } as never)) timers.push({ kind: 'timeout', actor: i, timer });
  }
  const inputs: (Action & { kind: 'input' })[] = [];
  const inputBits: number[] = [];
  for (const { input, cost } of candidateInputs(sys, i)) {
    if (input.kind === 'SetMode' && l.value === input.mode) continue;
    if (!role.enabled(l, { type: inputType(input.kind), input, now: 0 } as never)) continue;
    inputs.push({ kind: 'input', actor: i, input, cost });
    inputBits.push(BUDGET_BIT[cost]);
  }
  const entry: LocalActions = { topo: sys.topo, idx: i, horizon, timers, inputs, inputBits };
  localActions.set(l, entry);
  return entry;
}

/** Every enabled action at `st`, in the documented order. */
export function enabledActions(sys: System, st: SysState, opts: ActionOptions): Action[] {
  const out: Action[] = [];
  const { topo } = sys;
  const n = st.locals.length;
  const fifo = sys.opts.network === 'fifo';
  // Deliveries, and the actors with a message to or from them in flight (one pass over the network).
  let busy: Uint8Array | undefined;
  if (st.net.size) {
    if (opts.timers !== 'free') {
      busy = busyScratch.length >= n ? busyScratch : (busyScratch = new Uint8Array(n));
      for (let i = 0; i < n; i++) busy[i] = 0; // a loop: fill() is a call into the runtime, dear at n ≈ 8
    }
    for (const m of st.net.values()) {
      if (!fifo || sys.deliverable(st, m)) out.push(deliverAction(m.mid));
      if (busy) { busy[m.from] = 1; busy[m.to] = 1; }
    }
  }
  const horizon = opts.horizon ?? DEFAULT_HORIZON;
  const b = st.budget;
  const left = leftMask(b);
  // Inputs are listed after every timer: the actors' LocalActions are kept for the second pass only when some input budget is left.
  const anyInput = (left & (BUDGET_BIT.logins | BUDGET_BIT.logouts | BUDGET_BIT.lookups | BUDGET_BIT.promotes | BUDGET_BIT.authFaults | BUDGET_BIT.imFaults)) !== 0;
  const own: (LocalActions | undefined)[] = scratch.length >= n ? scratch : (scratch = new Array<LocalActions | undefined>(n));
  for (let i = 0; i < n; i++) {
    const l = st.locals[i];
    if (!l || l.value === 'crashed') { if (anyInput) own[i] = undefined; continue; }
    // The same local state as at this index in the last state listed (siblings in the BFS share most): no WeakMap lookup.
    let la = lastLA[i];
    if (lastLocal[i] !== l || la === undefined || la.topo !== topo || la.horizon !== horizon) {
      la = actionsOf(sys, l, i, horizon);
      lastLocal[i] = l;
      lastLA[i] = la;
    }
    if (anyInput) own[i] = la;
    if (busy && busy[i]) continue;
    const ts = la.timers;
    for (let k = 0; k < ts.length; k++) out.push(ts[k]);
  }

  if (anyInput) {
    for (let i = 0; i < n; i++) {
      const la = own[i];
      if (!la) continue;
      const ins = la.inputs;
      const bits = la.inputBits;
      for (let k = 0; k < ins.length; k++) if (left & bits[k]) out.push(ins[k]);
    }
    own.fill(undefined, 0, n);
  }

  if (b.crashes > 0) {
    for (const host of topo.hostNames) {
      if (st.down.has(host)) continue;
      const members = topo.hosts.get(host)!;
      for (const i of members) {
        const l = st.locals[i];
        if ((topo.roles[i] === 'client' || topo.roles[i] === 'supernode') && l && l.value !== 'crashed') { out.push({ kind: 'crash', host }); break; }
      }
    }
  }
  if (st.down.size) for (const host of topo.hostNames) if (st.down.has(host)) out.push({ kind: 'restart', host });
  if (b.drops > 0) for (const m of st.net.values()) out.push({ kind: 'drop', mid: m.mid });
  if (st.partitioned) out.push({ kind: 'heal' });
  else if (b.partitions > 0) out.push({ kind: 'partition' });
  if (b.joins > 0) for (const i of sys.standby) if (!st.locals[i]) out.push({ kind: 'join', actor: i });
  if (b.forgeries > 0) {
    for (let i = 0; i < n; i++) {
      if (topo.roles[i] !== 'client' || !st.locals[i] || st.locals[i]!.value === 'crashed') continue;
      for (let j = 0; j < n; j++) if (topo.roles[j] === 'supernode' && st.locals[j]) out.push({ kind: 'forge', from: i, to: j });
    }
  }
  return out;
}

/**
 * Applies `a` to `st` in place (clone first to keep the parent) as step number st.step + 1.
 * The effects are added to `acc` (default: a fresh one; the BFS passes one it empties after each step).
 */
export function applyAction(sys: System, st: SysState, a: Action, acc: Applied = sys.acc()): Applied {
  st.step += 1;
  const t = st.step;
  switch (a.kind) {
    case 'deliver': return sys.deliver(st, st.net.get(a.mid)!, t, acc);
    case 'timeout': return sys.timeout(st, a.actor, a.timer, t, acc);
    case 'input': st.budget = spend(st.budget, a.cost); return sys.input(st, a.actor, a.input, t, acc);
    case 'crash': st.budget = spend(st.budget, 'crashes'); return sys.crash(st, a.host, t, acc);
    case 'restart': return sys.restart(st, a.host, t, acc);
    case 'drop': st.budget = spend(st.budget, 'drops'); return sys.drop(st, st.net.get(a.mid)!, t, acc);
    case 'partition': {
      st.budget = spend(st.budget, 'partitions');
      st.partitioned = true;
      sys.observe(st, observation({ type: 'note', t, text: 'the supernode mesh is partitioned' }, 'note', undefined, undefined, undefined, [], true), acc);
      for (const m of [...st.net.values()]) if (sys.cut(st, m.from, m.to)) sys.drop(st, m, t, acc);
      return acc;
    }
    case 'heal':
      st.partitioned = false;
      sys.observe(st, observation({ type: 'note', t, text: 'the supernode mesh partition heals' }, 'note', undefined, undefined, undefined, [], true), acc);
      return acc;
    case 'join': st.budget = spend(st.budget, 'joins'); return sys.join(st, a.actor, t, acc);
    case 'forge': {
      st.budget = spend(st.budget, 'forgeries');
      const user = sys.topo.cfgs[a.from].user;
      const expiresAt = sys.topo.params.credentialLifetime;
      // Signed with a key that is not auth's: verification must fail.
      const credential = { user, issuedAt: 0, expiresAt, sig: sign(user, 0, expiresAt, `forger-of-${sys.topo.params.authKey}`) };
      sys.send(st, a.from, a.to, { kind: 'Register', credential }, t, acc);
      return acc;
    }
  }
}

/** A one-line description of an action, for progress and reports. */
export function describeAction(sys: System, st: SysState, a: Action): string {
  const id = (i: number) => sys.topo.ids[i];
  switch (a.kind) {
    case 'deliver': case 'drop': {
      const m = st.net.get(a.mid);
      return m ? `${a.kind} ${m.msg.kind} ${id(m.from)}→${id(m.to)}` : `${a.kind} #${a.mid}`;
    }
    case 'timeout': return `timeout ${id(a.actor)}.${a.timer}`;
    case 'input': return `input ${id(a.actor)} ${a.input.kind}${a.input.kind === 'Lookup' ? `(${a.input.user})` : a.input.kind === 'SetMode' ? `(${a.input.mode})` : ''}`;
    case 'crash': case 'restart': return `${a.kind} ${a.host}`;
    case 'partition': case 'heal': return a.kind;
    case 'join': return `join ${id(a.actor)}`;
    case 'forge': return `forge Register ${id(a.from)}→${id(a.to)}`;
  }
}
