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
import { ROLES } from '../../models/index.js';
import type { Input, TimerName } from '../../schemas/generated/trace.js';
import type { BudgetLeft, Mid, SysState } from '../system/state.js';
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

/** Actor indices with a message to or from them in flight. */
function busyActors(st: SysState): Set<number> {
  const busy = new Set<number>();
  for (const m of st.net.values()) { busy.add(m.from); busy.add(m.to); }
  return busy;
}

/** Every enabled action at `st`, in the documented order. */
export function enabledActions(sys: System, st: SysState, opts: ActionOptions): Action[] {
  const out: Action[] = [];
  const { topo } = sys;
  for (const m of st.net.values()) if (sys.deliverable(st, m)) out.push({ kind: 'deliver', mid: m.mid });

  const busy = opts.timers === 'free' ? undefined : busyActors(st);
  const horizon = opts.horizon ?? DEFAULT_HORIZON;
  st.locals.forEach((l, i) => {
    if (!l || l.value === 'crashed' || busy?.has(i)) return;
    const role = ROLES[topo.roles[i]];
    for (const timer of l.ctx.timers) {
      if (timerDuration(timer, l.ctx.cfg.params) > horizon) continue;
      if (role.enabled(l, { type: `timeout.${timer}`, now: 0 } as never)) out.push({ kind: 'timeout', actor: i, timer });
    }
  });

  const b = st.budget;
  const tryInput = (i: number, input: Input, cost: keyof BudgetLeft) => {
    const l = st.locals[i];
    if (!l || b[cost] <= 0) return;
    if (ROLES[topo.roles[i]].enabled(l, { type: `input.${input.kind}`, input, now: 0 } as never)) out.push({ kind: 'input', actor: i, input, cost });
  };
  topo.roles.forEach((role, i) => {
    const l = st.locals[i];
    if (!l || l.value === 'crashed') return;
    if (role === 'client') {
      tryInput(i, { kind: 'Login' }, 'logins');
      tryInput(i, { kind: 'Logout' }, 'logouts');
      topo.cfgs.forEach((c, j) => { if (c.role === 'client' && j !== i) tryInput(i, { kind: 'Lookup', user: c.user }, 'lookups'); });
    } else if (role === 'supernode') {
      tryInput(i, { kind: 'Promote' }, 'promotes');
    } else if (role === 'auth') {
      for (const mode of AUTH_MODES) if (l.value !== mode) tryInput(i, { kind: 'SetMode', mode }, 'authFaults');
    } else if (role === 'im') {
      for (const mode of IM_MODES) if (l.value !== mode) tryInput(i, { kind: 'SetMode', mode }, 'imFaults');
    }
  });

  if (b.crashes > 0) {
    for (const host of topo.hostNames) {
      if (st.down.has(host)) continue;
      const members = topo.hosts.get(host)!;
      if (members.some((i) => (topo.roles[i] === 'client' || topo.roles[i] === 'supernode') && st.locals[i] && st.locals[i]!.value !== 'crashed')) out.push({ kind: 'crash', host });
    }
  }
  for (const host of topo.hostNames) if (st.down.has(host)) out.push({ kind: 'restart', host });
  if (b.drops > 0) for (const m of st.net.values()) out.push({ kind: 'drop', mid: m.mid });
  if (st.partitioned) out.push({ kind: 'heal' });
  else if (b.partitions > 0) out.push({ kind: 'partition' });
  if (b.joins > 0) for (const i of sys.standby) if (!st.locals[i]) out.push({ kind: 'join', actor: i });
  if (b.forgeries > 0) {
    topo.roles.forEach((r, i) => {
      if (r !== 'client' || !st.locals[i] || st.locals[i]!.value === 'crashed') return;
      topo.roles.forEach((r2, j) => { if (r2 === 'supernode' && st.locals[j]) out.push({ kind: 'forge', from: i, to: j }); });
    });
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
    case 'input': st.budget[a.cost] -= 1; return sys.input(st, a.actor, a.input, t, acc);
    case 'crash': st.budget.crashes -= 1; return sys.crash(st, a.host, t, acc);
    case 'restart': return sys.restart(st, a.host, t, acc);
    case 'drop': st.budget.drops -= 1; return sys.drop(st, st.net.get(a.mid)!, t, acc);
    case 'partition': {
      st.budget.partitions -= 1;
      st.partitioned = true;
      sys.observe(st, { ev: { type: 'note', t, text: 'the supernode mesh is partitioned' }, touched: [], taken: true }, acc);
      for (const m of [...st.net.values()]) if (sys.cut(st, m.from, m.to)) sys.drop(st, m, t, acc);
      return acc;
    }
    case 'heal':
      st.partitioned = false;
      sys.observe(st, { ev: { type: 'note', t, text: 'the supernode mesh partition heals' }, touched: [], taken: true }, acc);
      return acc;
    case 'join': st.budget.joins -= 1; return sys.join(st, a.actor, t, acc);
    case 'forge': {
      st.budget.forgeries -= 1;
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
