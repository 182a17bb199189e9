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
import type { Applied, System } from '../system/system.js';
import { sign } from '../../models/effects.js';
import { timerDuration } from '../../models/timers.js';

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

/** The actions an actor's own local state enables, ignoring the budget: cached per (interned, immutable) local state. */
interface LocalActions {
  readonly topo: System['topo'];
  readonly idx: number;
  readonly horizon: number;
  /** Enabled timer actions, in name order. */
  readonly timers: readonly Action[];
  /** Enabled input actions (budget not checked), in the documented order. */
  readonly inputs: readonly (Action & { kind: 'input' })[];
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
    if (role.enabled(l, { type: `timeout.${timer}`, now: 0 } as never)) timers.push({ kind: 'timeout', actor: i, timer });
  }
  const inputs: (Action & { kind: 'input' })[] = [];
  for (const { input, cost } of candidateInputs(sys, i)) {
    if (input.kind === 'SetMode' && l.value === input.mode) continue;
    if (role.enabled(l, { type: `input.${input.kind}`, input, now: 0 } as never)) inputs.push({ kind: 'input', actor: i, input, cost });
  }
  const entry: LocalActions = { topo: sys.topo, idx: i, horizon, timers, inputs };
  localActions.set(l, entry);
  return entry;
}

/** Every enabled action at `st`, in the documented order. */
export function enabledActions(sys: System, st: SysState, opts: ActionOptions): Action[] {
  const out: Action[] = [];
  const { topo } = sys;
  const n = st.locals.length;
  const fifo = sys.opts.network === 'fifo';
  for (const m of st.net.values()) if (!fifo || sys.deliverable(st, m)) out.push(deliverAction(m.mid));

  // Actors with a message to or from them in flight.
  let busy: Uint8Array | undefined;
  if (opts.timers !== 'free' && st.net.size) {
    busy = busyScratch.length >= n ? busyScratch : (busyScratch = new Uint8Array(n));
    busy.fill(0, 0, n);
    for (const m of st.net.values()) { busy[m.from] = 1; busy[m.to] = 1; }
  }
  const horizon = opts.horizon ?? DEFAULT_HORIZON;
  const own: (LocalActions | undefined)[] = scratch.length >= n ? scratch : (scratch = new Array<LocalActions | undefined>(n));
  for (let i = 0; i < n; i++) {
    const l = st.locals[i];
    if (!l || l.value === 'crashed') { own[i] = undefined; continue; }
    const la: LocalActions = actionsOf(sys, l, i, horizon);
    own[i] = la;
    if (busy && busy[i]) continue;
    const ts = la.timers;
    for (let k = 0; k < ts.length; k++) out.push(ts[k]);
  }

  const b = st.budget;
  for (let i = 0; i < n; i++) {
    const la = own[i];
    if (!la) continue;
    const ins = la.inputs;
    for (let k = 0; k < ins.length; k++) if (b[ins[k].cost] > 0) out.push(ins[k]);
  }
  own.fill(undefined, 0, n);

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

/** Applies `a` to `st` in place (clone first to keep the parent) as step number st.step + 1. */
export function applyAction(sys: System, st: SysState, a: Action): Applied {
  st.step += 1;
  const t = st.step;
  const acc = sys.acc();
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
      sys.observe(st, { ev: { type: 'note', t, text: 'the supernode mesh is partitioned' }, touched: [], taken: true }, acc);
      for (const m of [...st.net.values()]) if (sys.cut(st, m.from, m.to)) sys.drop(st, m, t, acc);
      return acc;
    }
    case 'heal':
      st.partitioned = false;
      sys.observe(st, { ev: { type: 'note', t, text: 'the supernode mesh partition heals' }, touched: [], taken: true }, acc);
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
