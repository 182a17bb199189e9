// The system semantics shared by the explorer, the trace checker and the
// simulator: how one system event (a delivery, a timer, an input, a host
// crash or restart, a join, a drop) changes the global state, through the
// fast local steps of the models. Every applied event is reported as an
// Observation in the trace format's terms, and fed to the property monitors
// (which are part of the state). Outgoing messages either go on the network
// at once (`autoSend`, explorer and simulator) or are returned so that a
// recorded trace's `send` lines can be matched against them (checker).
import { ROLES, type Local, type ModelEvent } from '../../models/index.js';
import type { Outgoing } from '../../models/types.js';
import { inputType, timeoutType } from '../../models/event-types.js';
import type { Event, Input, Message, TimerName } from '../../schemas/generated/trace.js';
import { SysState, type BudgetLeft, type InFlight, type Mid } from './state.js';
import { ROLE_NAMES, actorIndex, type Topology } from './topology.js';
import type { PropertyInstance, Verdict } from '../props/types.js';
import type { LocalMemo } from './memo.js';
import { MidMap } from './mid-map.js';

/** An actor whose local state an event changed (or tried to). */
export interface Touch {
  readonly idx: number;
  readonly before: Local | null;
  readonly after: Local | null;
}

/**
 * One applied event, as monitors and trace writers see it. Made by `observation` only, every field present in one
 * order: one object shape for all, so a monitor's loads from it stay monomorphic.
 */
export interface Observation {
  readonly ev: Event;
  /**
   * `ev.type`, read here: events of each type have a shape of their own, and `ev.type` read by every monitor was
   * a megamorphic load each time (a stub-cache probe; such loads were 2% of the simulator's 100k-client day, and
   * this took a sixth of them away).
   */
  readonly type: Event['type'];
  /** The message of a send, deliver or drop. */
  readonly msg?: Message;
  readonly from?: number;
  readonly to?: number;
  readonly touched: readonly Touch[];
  /** False when the receiving machine had no enabled transition (the event was ignored). */
  readonly taken: boolean;
}

/** Effects of one applied event: observations in order, unsent outboxes (checker mode), verdicts. */
export interface Applied {
  readonly observations: Observation[];
  /** Per actor index, messages its machine emitted that are not yet on the network (autoSend off). */
  readonly outboxes: { idx: number; out: readonly Outgoing[] }[];
  readonly armed: { idx: number; timers: readonly TimerName[] }[];
  /** Verdicts in order; `at` is the index in `observations` of the event that produced each. */
  readonly verdicts: (Verdict & { readonly at: number })[];
}

/**
 * Empties `acc` for the next event and returns it: a caller that applies
 * millions of events reuses one accumulator (explorer, simulator) rather than
 * allocating five objects per event. Emptied by pop(), which compiles inline
 * and keeps the arrays' storage; `length = 0` is a runtime call that frees it
 * (measured in the simulator: 4% of the run).
 */
export function emptied(acc: Applied): Applied {
  const { observations, outboxes, armed, verdicts } = acc;
  while (observations.length) observations.pop();
  while (outboxes.length) outboxes.pop();
  while (armed.length) armed.pop();
  while (verdicts.length) verdicts.pop();
  return acc;
}

export interface SystemOptions {
  /** Put emitted messages on the network at once (explorer, simulator). */
  readonly autoSend: boolean;
  /** `ms`: model time is the clock; `step`: model time stays 0. */
  readonly clock: 'ms' | 'step';
  /** Actor ids absent at the start (they join later). */
  readonly standby?: readonly string[];
  readonly network?: 'unordered' | 'fifo';
  /** Memoise local steps on interned local states (explorer: step clock only). */
  readonly memo?: LocalMemo;
  /**
   * The caller never clones a state (the simulator): the set of down hosts is
   * updated in place instead of replaced. Replacing it costs O(hosts down) per
   * crash and restart, quadratic in a crash storm (a quarter of a 100k-client
   * replay's time went there). It also keeps a count of the messages in
   * flight to each actor (`inbound`), so that a crash scans the network only
   * when something is in flight to its host. And its network is a MidMap (mid-map.ts).
   */
  readonly inPlace?: boolean;
}

/** The touched list of an observation that touched no actor (shared: never written). */
const NO_TOUCH: readonly Touch[] = Object.freeze([]);

/** An Observation, its fields in one order (see Observation); `type` is `ev.type` (the compiler holds the two together). */
export function observation<E extends Event>(ev: E, type: E['type'], msg: Message | undefined, from: number | undefined, to: number | undefined, touched: readonly Touch[], taken: boolean): Observation {
  return { ev, type, msg, from, to, touched, taken };
}

const NO_BUDGET: BudgetLeft = { logins: 0, logouts: 0, lookups: 0, promotes: 0, crashes: 0, drops: 0, partitions: 0, authFaults: 0, imFaults: 0, joins: 0, forgeries: 0 };

export class System {
  readonly standby: ReadonlySet<number>;
  /** Messages lost at once because their receiver is a standby actor that has not joined (a count: the explorer's transition cache reads it). */
  lostToStandby = 0;
  /** Supernode indices in the first half of the mesh (a partition cuts the mesh in two). */
  private readonly meshHalf: ReadonlySet<number>;
  /**
   * With `inPlace` (one state, never cloned: the simulator), the messages in flight to each
   * actor, counted at every `put` on and removal from the network. A crash of a host with none
   * skips the scan of the network: in outage-2010's storms at 100k clients, hundreds of
   * thousands of crashes each scanned thousands of messages for the one in a hundred that
   * had any (7% of the cascade's hours). Null otherwise.
   */
  private readonly inbound: Int32Array | null;

  constructor(
    readonly topo: Topology,
    readonly props: readonly PropertyInstance[],
    readonly opts: SystemOptions,
  ) {
    this.standby = new Set((opts.standby ?? []).map((id) => topo.index.get(id)!).filter((i) => i !== undefined));
    this.inbound = opts.inPlace ? new Int32Array(topo.ids.length) : null;
    const sns = topo.cfgs.map((c, i) => (c.role === 'supernode' ? i : -1)).filter((i) => i >= 0);
    this.meshHalf = new Set(sns.slice(0, Math.ceil(sns.length / 2)));
    this.feeders();
    this.roleOf = ROLE_NAMES.map((r) => ROLES[r]);
  }

  /** Monitors no longer fed (`mute`), by index in `props`. */
  private readonly muted = new Set<number>();

  /**
   * Stops feeding monitor `i` (an index in `props`) any observation: for a caller to which
   * neither its verdicts nor its state matter any more (the state stays as it was). The checker
   * keeps only the first verdict of each property (Conformer.decided), and a `sometimes`
   * property witnessed in the first minutes of a trace (client-online) was otherwise judged
   * at every observation to the end, its witnesses built and dropped (issue #5).
   */
  mute(i: number): void {
    if (this.muted.has(i)) return;
    this.muted.add(i);
    this.feeders();
  }

  /** Which monitors, never muted ones, each observation is fed to (`feed`, `feedOne`). */
  private feeders(): void {
    const { props } = this;
    // Which monitors an observation can concern, by (touched an actor?, is a send?): see PropertyInstance.reads.
    const pick = (touched: boolean, send: boolean) => props.flatMap((p, i) => ((p.reads === 'touched' && !touched) || (p.reads === 'send' && !send) || this.muted.has(i) ? [] : [i]));
    this.feed = [pick(false, false), pick(false, true), pick(true, false), pick(true, true)].map((f) => feeder(props, f));
    // An observation that touched one actor: also by that actor's role (PropertyInstance.roles), by role code.
    this.feedOne = ROLE_NAMES.flatMap((role) => {
      // The hint holds only with reads 'touched' (PropertyInstance.roles): any other monitor is fed.
      const keep = (i: number) => props[i].reads !== 'touched' || props[i].roles === undefined || props[i].roles!.includes(role);
      return [feeder(props, pick(true, false).filter(keep)), feeder(props, pick(true, true).filter(keep))];
    });
  }

  /**
   * Each role, by role code (Topology.roleCode): `ROLES[name]` with a different name per role was a
   * megamorphic keyed load once a local step (issue #5: KeyedLoadIC_Megamorphic -63
   * instructions a line on the login-flood bench, -42 in all); a per-actor array of them was a
   * cache miss per step at 100k actors.
   */
  private readonly roleOf: readonly (typeof ROLES)[keyof typeof ROLES][];

  /** Feeds an observation to its monitors, by `(touched ? 2 : 0) + (send ? 1 : 0)`. */
  private feed: readonly Feeder[] = [];
  /** The same for an observation that touched one actor, by `2 * its role code + (send ? 1 : 0)`: the monitors for its role only. */
  private feedOne: readonly Feeder[] = [];

  /** Model time for the events applied at this state. */
  now(st: SysState): number {
    return this.opts.clock === 'ms' ? st.time : 0;
  }

  /** The initial state: every non-standby actor initialised at time `t`; their first messages sent (autoSend). */
  initial(budget: BudgetLeft = NO_BUDGET, t = 0): { state: SysState; applied: Applied } {
    // One state never cloned (inPlace): the network is a MidMap, which rebuilds no hash table (mid-map.ts).
    const net = this.opts.inPlace ? (new MidMap<InFlight>() as unknown as Map<Mid, InFlight>) : new Map<Mid, InFlight>();
    const st = new SysState(this.topo.cfgs.map(() => null), net, 1, { ...budget }, this.props.map((p) => p.init()), new Set(), false, 0, t);
    const acc = this.acc();
    this.topo.cfgs.forEach((cfg, i) => {
      if (this.standby.has(i)) return;
      const r = ROLES[cfg.role].init(cfg, this.now(st));
      st.locals[i] = this.opts.memo ? this.opts.memo.intern(r.next) : r.next;
      this.effects(st, i, r.outbox, r.armed, acc);
    });
    return { state: st, applied: acc };
  }

  /** An empty accumulator for the effects of one or more events. */
  acc(): Applied {
    return { observations: [], outboxes: [], armed: [], verdicts: [] };
  }

  // ---- the events -------------------------------------------------------

  /** The network delivers `m` to its receiver (which steps, unless its host is down). */
  deliver(st: SysState, m: InFlight, t: number, acc = this.acc()): Applied {
    this.take(st, m);
    const ev: Event = { type: 'deliver', t, mid: m.mid };
    return this.localStep(st, m.to, { type: m.msg.kind, from: this.topo.ids[m.from], msg: m.msg, now: this.now(st) } as ModelEvent, ev, 'deliver', acc, m);
  }

  /** A timer of actor `idx` fires. */
  timeout(st: SysState, idx: number, timer: TimerName, t: number, acc = this.acc()): Applied {
    return this.localStep(st, idx, { type: timeoutType(timer), now: this.now(st) } as ModelEvent, { type: 'timeout', t, actor: this.topo.ids[idx], timer }, 'timeout', acc);
  }

  /** The user or operator acts on actor `idx`. */
  input(st: SysState, idx: number, input: Input, t: number, acc = this.acc()): Applied {
    return this.localStep(st, idx, { type: inputType(input.kind), input, now: this.now(st) } as ModelEvent, { type: 'input', t, actor: this.topo.ids[idx], input }, 'input', acc);
  }

  /** A host stops: every actor on it crashes; messages in flight to it are lost. Idempotent. */
  crash(st: SysState, host: string, t: number, acc = this.acc()): Applied {
    const members = this.topo.hosts.get(host) ?? [];
    const touched: Touch[] = [];
    for (const i of members) {
      const before = st.locals[i];
      if (!before || before.value === 'crashed') continue;
      const r = this.run(i, before, { type: 'crash', now: this.now(st) });
      st.locals[i] = r.next;
      touched.push({ idx: i, before, after: r.next });
    }
    if (!st.down.has(host)) {
      if (this.opts.inPlace) (st.down as Set<string>).add(host);
      else st.down = new Set([...st.down, host]);
    }
    this.observe(st, observation({ type: 'crash', t, host }, 'crash', undefined, undefined, undefined, touched, touched.length > 0), acc);
    if (this.opts.autoSend) {
      // In the network's order; with `inbound`, only while some of the host's are still to find.
      let left = Infinity;
      if (this.inbound) { left = 0; for (const i of members) left += this.inbound[i]; }
      const lost: InFlight[] = [];
      if (left > 0) for (const m of st.net.values()) if (members.includes(m.to)) { lost.push(m); if (--left === 0) break; }
      for (const m of lost) this.drop(st, m, t, acc);
    }
    return acc;
  }

  /** A crashed host starts again: its actors restart (and may send at once). */
  restart(st: SysState, host: string, t: number, acc = this.acc()): Applied {
    if (st.down.has(host)) {
      if (this.opts.inPlace) (st.down as Set<string>).delete(host);
      else st.down = new Set([...st.down].filter((h) => h !== host));
    }
    const members = this.topo.hosts.get(host) ?? [];
    const touched: Touch[] = [];
    const outs: [number, readonly Outgoing[], readonly TimerName[]][] = [];
    for (const i of members) {
      const before = st.locals[i];
      if (!before) continue;
      const r = this.run(i, before, { type: 'restart', now: this.now(st) });
      st.locals[i] = r.next;
      touched.push({ idx: i, before, after: r.next });
      outs.push([i, r.outbox, r.armed]);
    }
    this.observe(st, observation({ type: 'restart', t, host }, 'restart', undefined, undefined, undefined, touched, touched.length > 0), acc);
    for (const [i, out, armed] of outs) this.effects(st, i, out, armed, acc);
    return acc;
  }

  /** A standby actor joins (an operator adds a mega-supernode). */
  join(st: SysState, idx: number, t: number, acc = this.acc()): Applied {
    const cfg = this.topo.cfgs[idx];
    const r = ROLES[cfg.role].init(cfg, this.now(st));
    st.locals[idx] = this.opts.memo ? this.opts.memo.intern(r.next) : r.next;
    this.observe(st, observation({ type: 'join', t, actor: this.topo.actors[idx] }, 'join', undefined, undefined, undefined, [{ idx, before: null, after: r.next }], true), acc);
    this.effects(st, idx, r.outbox, r.armed, acc);
    return acc;
  }

  /** Actor `idx` leaves for good. */
  leave(st: SysState, idx: number, t: number, acc = this.acc()): Applied {
    const before = st.locals[idx];
    st.locals[idx] = null;
    this.observe(st, observation({ type: 'leave', t, actor: this.topo.ids[idx] }, 'leave', undefined, undefined, undefined, [{ idx, before, after: null }], true), acc);
    return acc;
  }

  /** Puts a message on the network (autoSend, or a recorded `send`). */
  send(st: SysState, from: number, to: number, msg: Message, t: number, acc = this.acc(), mid: Mid = st.nextMid++): InFlight {
    // All fields present from the start (caches too), so every in-flight message has one object shape.
    const m: InFlight = { mid, from, to, msg, key: undefined, fpa: undefined, fpb: undefined, tid: undefined };
    this.put(st, m);
    this.observe(st, observation({ type: 'send', t, from: this.topo.ids[from], to: this.topo.ids[to], mid, msg }, 'send', msg, from, to, NO_TOUCH, true), acc);
    return m;
  }

  /** Puts `m` on the network without an observation (System.send observes; the simulator puts back keepalive rounds it ran virtually). */
  put(st: SysState, m: InFlight): void {
    st.net.set(m.mid, m);
    if (this.inbound) this.inbound[m.to]++;
  }

  /** Messages in flight to actor `idx`: the `inbound` count with `inPlace`, else counted on the network. */
  inFlightTo(st: SysState, idx: number): number {
    if (this.inbound) return this.inbound[idx];
    let n = 0;
    for (const m of st.net.values()) if (m.to === idx) n++;
    return n;
  }

  /** Takes `m` off the network (delivered or lost). */
  private take(st: SysState, m: InFlight): void {
    if (st.net.delete(m.mid) && this.inbound) this.inbound[m.to]--;
  }

  /** The network loses `m`. */
  drop(st: SysState, m: InFlight, t: number, acc = this.acc()): Applied {
    this.take(st, m);
    this.observe(st, observation({ type: 'drop', t, mid: m.mid }, 'drop', m.msg, m.from, m.to, NO_TOUCH, true), acc);
    return acc;
  }

  /** Whether `m` may be delivered next under the network discipline (fifo: oldest of its pair). */
  deliverable(st: SysState, m: InFlight): boolean {
    if (this.opts.network !== 'fifo') return true;
    for (const o of st.net.values()) {
      if (o.from === m.from && o.to === m.to) return o === m;
    }
    return true;
  }

  /** Whether a message between these actors is cut by the current mesh partition. */
  cut(st: SysState, from: number, to: number): boolean {
    return st.partitioned && this.topo.roles[from] === 'supernode' && this.topo.roles[to] === 'supernode' && this.meshHalf.has(from) !== this.meshHalf.has(to);
  }

  // ---- internals --------------------------------------------------------

  private localStep(st: SysState, idx: number, mev: ModelEvent, ev: Event, type: Event['type'], acc: Applied, m?: InFlight): Applied {
    const before = st.locals[idx];
    if (!before || before.value === 'crashed') {
      // A dead or absent receiver: the event has no effect (a message to it is lost).
      this.observe(st, observation(ev, type, m?.msg, m?.from, m?.to, NO_TOUCH, false), acc);
      return acc;
    }
    const r = this.run(idx, before, mev);
    st.locals[idx] = r.next;
    this.observe(st, observation(ev, type, m?.msg, m?.from, m?.to, [{ idx, before, after: r.next }], r.taken), acc);
    this.effects(st, idx, r.outbox, r.armed, acc, m ? m.from : -1);
    // A client that crashes by itself (the 5.0.0.152 bug) takes its host down with it.
    if (r.next.value === 'crashed' && before.value !== 'crashed' && mev.type !== 'crash') {
      this.crash(st, this.topo.cfgs[idx].host, ev.t, acc);
    }
    return acc;
  }

  private run(idx: number, local: Local, ev: ModelEvent) {
    return this.opts.memo ? this.opts.memo.step(this.topo.roles[idx], local, ev) : this.roleOf[this.topo.roleCode[idx]].step(local, ev);
  }

  /**
   * Arms `armed` and sends `out` (autoSend) or hands it to the caller. `replyTo` is the sender of the
   * message being delivered (-1: none): a message back to it, most of what servers send (acks,
   * rejects, replies), is addressed without hashing its id. At 100k clients the id index is a
   * table of megabytes, and its lookup (the id string, the bucket, the entry: a cache miss each)
   * was 6% of a profile of the simulator's login-storm hour (that hour: -2.3% CPU with this).
   * Other messages (a client's Connect, LoginRequest, OfflineImFetch) are addressed through
   * actorIndex: servers first, from their small table.
   */
  private effects(st: SysState, idx: number, out: readonly Outgoing[], armed: readonly TimerName[], acc: Applied, replyTo = -1): void {
    if (armed.length) acc.armed.push({ idx, timers: armed });
    if (!out.length) return;
    if (!this.opts.autoSend) { acc.outboxes.push({ idx, out }); return; }
    const t = this.opts.clock === 'ms' ? st.time : st.step;
    const { ids } = this.topo;
    const back = replyTo >= 0 ? ids[replyTo] : null;
    for (let k = 0; k < out.length; k++) {
      const o = out[k];
      const to = o.to === back ? replyTo : actorIndex(this.topo, o.to);
      // Addressed to nobody on the network — an id we do not know, or a standby actor that is not
      // there (not joined yet: a mega-supernode the operator has not added, which host caches and
      // peers may name before; or joined and left): lost at once, as a packet to an address nobody
      // holds. Nothing is sent, so every send a run records names actors present.
      if (to === undefined) continue;
      if (st.locals[to] === null && this.standby.has(to)) { this.lostToStandby++; continue; }
      const m = this.send(st, idx, to, o.msg, t, acc);
      if (this.cut(st, idx, to)) this.drop(st, m, t, acc);
    }
  }

  /** Feeds one observation to every monitor that can act on it (PropertyInstance.reads and roles). */
  observe(st: SysState, o: Observation, acc: Applied): void {
    acc.observations.push(o);
    const touched = o.touched;
    const send = o.type === 'send' ? 1 : 0;
    const one = touched.length === 1 ? touched[0].idx : -1;
    (one >= 0 && one < this.topo.roleCode.length ? this.feedOne[2 * this.topo.roleCode[one] + send] : this.feed[(touched.length ? 2 : 0) + send])(st, o, acc, this);
  }
}

type Feeder = (st: SysState, o: Observation, acc: Applied, sys: System) => void;

/**
 * A function that feeds an observation to the monitors `idxs` of `props`, in
 * order, and collects their verdicts: generated, with one call site per
 * monitor. A loop over the monitors has a single call site that sees every
 * monitor's `observe` (megamorphic: no inlining, a slow call each time); it
 * took ~4% of `snc simulate` outage-2010 (4k clients) on the call alone.
 */
function feeder(props: readonly PropertyInstance[], idxs: readonly number[]): Feeder {
  const key = idxs.join(',');
  let make = feederMakers.get(key);
  if (!make) {
    const body = idxs.map((i) => `v = p${i}.observe(st.monitors[${i}], o, st, sys); if (v) acc.verdicts.push({ ...v, at: acc.observations.length - 1 });`).join('\n    ');
    // eslint-disable-next-line no-new-func
    make = new Function(...idxs.map((i) => `p${i}`), `return function feed(st, o, acc, sys) {\n    let v;\n    ${body}\n  };`) as FeederMaker;
    feederMakers.set(key, make);
  }
  return make(...idxs.map((i) => props[i]));
}
type FeederMaker = (...ps: PropertyInstance[]) => Feeder;
/** Generated makers by monitor indices: a System made per trace (the checker) compiles none again. */
const feederMakers = new Map<string, FeederMaker>();
