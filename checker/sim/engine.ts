// The discrete-event simulator: drives the same System (checker/system) and
// fast local steps as the explorer and the checker, on a millisecond clock.
// Events wait in a queue keyed by (time, order, seq) (heap.ts): message deliveries after a
// seeded latency, timers after timerDuration (a generation per (actor, timer)
// makes a re-armed or cancelled timer's old firing a no-op), user behaviour
// (logins, logouts, retries after a failure, lookups), host restarts after
// restartDelay, and the scenario's scheduled faults and operator actions.
// Every applied event's observations go to the metrics, the property
// monitors (inside System) and an optional trace sink.
//
// Keepalive acceleration (on unless `accelerate: false`, CLI --exact): an
// online client whose upstream is serving, has it registered and is far from
// its overload threshold runs its keepalive rounds (timer, Keepalive,
// KeepaliveAck: three events a minute, most of a day's events at scale)
// without scheduling them, from a keepalive timer on: accelerated at the
// timer's pop, or ahead of it, after any event at the client while the timer
// waits (accelerateAhead: a client that has just registered, or been put
// back, is idle until then). Their delivery times come from a counter-based
// stream (checker/sim/rng.ts hash32), the same in exact runs, and keepalive
// rounds sort first within a millisecond (heap.ts), so leaving a round out
// and putting it back later changes nothing. What the rounds do is accounted
// lazily, per supernode, before anything else touches it (a message to it
// may be stepped first when what the rounds change cannot sway it, mayWait;
// a client is accelerated under it without a flush, accelerateFrom):
// the message load (and the metrics' load per window), and the reset of the
// attachment's silence, kept as a count of the supernode's sweeps (see Quiet
// sweeps). A round's delivery time is drawn only when it can matter:
// deliveries between two loadWindow firings commute, and the latency is
// bounded (rng.ts maxLatency, ~1.1 s for the bundled scenarios against a
// minute's interval), so a round whose whole latency range falls before the
// flush's cutoff, before the next firing and inside one metrics
// window is accounted undrawn (see flush: at least 3 rounds in 4), and so
// is one whose draw's first uniform alone proves its latency short enough
// (rng.ts latencyBounds, lognormal latencies: 11 of 12 of the others). A
// supernode's rounds wait in its KeyedRing (heap.ts), whose entries carry
// the round itself (kaX): accounting one reads no per-client memory, and
// flush adds its loads, events and per-window metrics up and writes them
// once. As soon as anything could differ — any other event at the client,
// the upstream leaving `serving`, a sweep dropping the client, load that the
// pending keepalives could push past the threshold, a round slower than
// keepaliveInterval − loadWindow — the client's round in progress is put
// back as real events and it runs exactly again (until the end of its event,
// when it may be accelerated ahead again). A round that slow is found when
// the round before it is accounted, so that must happen before its Keepalive
// arrives: while a supernode has a client whose rounds can be that slow
// (mayBeLate: not alwaysFits), its loadWindow timer stays a real event, which
// flushes it once a loadWindow. Otherwise a serving supernode's loadWindow
// timer (load back to 0 every loadWindow) runs virtually the same way until
// it stops serving (a firing is taken to precede the other events at that
// supernode in its millisecond, as in an exact run unless a message took
// longer than a loadWindow to arrive or a timer longer than loadWindow other
// than the sweep, which commutes with it, fires in that very millisecond).
//
// Quiet sweeps (with acceleration). A serving supernode sweeps its list every
// keepaliveInterval: every attachment's silence + 1, a client silent too long
// or with an expired credential dropped. When every attachment in the list is
// an accelerated client's (or there is none), the sweep can drop nobody (none of their credentials
// has expired, and a round is heard at least every keepaliveInterval + the
// latency bound: see sweepSafe), so all it does is the + 1 and its re-arm. Its
// timer still pops (so it keeps the seq an exact run gives it, and the events
// after it theirs), but the step is not applied: the supernode counts it
// (swCount), and an accelerated client's silence is that count minus the count
// when it was last heard (in its entry in the supernode's ring, set when flush
// accounts its round: see kaY), written into its attachment when something will read it: before a
// sweep that is stepped, and when the client is put back (and so at the end of
// a run). Those sweeps were a quarter of a quiet hour at 100k clients: each
// read and wrote ~40 attachments spread over the heap (the resets, then the
// sweep), and fed its observation to the monitors. A monitor sees no quiet
// sweep (it changes nothing a monitor reads).
//
// Deferred timers (with acceleration; off with it): re-arming a timer leaves
// its earlier firing in the queue, where it pops as a no-op (its generation
// is old). In a reattach storm a client re-arms its connect timer at every
// ConnectReject, tens of times before the first firing would be due, and
// those no-op pops were a third of the events applied. Now an actor's timer
// has at most one entry queued: re-armed while that entry waits, it only
// remembers the new deadline, with the `seq` a push would have given it
// (EventQueue.takeSeq); when the waiting entry pops (the no-op pop of the
// exact run) the latest deadline is queued with that seq (pushAs), so it
// sorts exactly where the exact run has it. The no-op pops of the arms in
// between are counted as virtual events, when a run() gets to their time
// (one due after its end counts in a later run() call that gets there).
//
// test/sim.test.ts checks that series, events, summaries, final states and
// property verdicts (how often each property broke, and for whom first) are
// the same with and without acceleration. A time-bounded obligation is judged
// at the first event applied after its deadline, which may come later (in the
// tests, by less than a keepaliveInterval: a serving supernode with a client
// that is not accelerated applies its sweep, and at scale something somewhere
// always does), and after that event's own update (checker/props/response.ts:
// discharges first, then the expired). So an accelerated run could still
// excuse or discharge what the exact run found violated, if that event were
// the client's own reattach; no such case is known: 80 runs (the four
// scenarios at 150 clients for 3 h, bundled parameters and four variants,
// seeds 1, 2, 3 and 11: a test) give the same counts both ways. The one
// difference a review had found (reattach-within 5 exact, 2 accelerated,
// login-flood-2007, keepaliveInterval 25000, seed 11) was obligations falling
// due together, counted once per judging event: each is counted now
// (Verdict.count). Which of several due together is reported first can
// differ, though: a judging event that comes later may find another one due
// too, reported before it in actor order (login-flood-2007, 400 clients, 6 h,
// missedKeepalives 2, seed 4: reattach-within 86 both ways, first c102,s6 at
// 12,373,459 ms exact and c9,s6 at 12,376,533 accelerated; 8e2999e already).
import { ROLES, type ClientContext, type Local, type SupernodeContext } from '../../models/index.js';
import { attachmentIndex, registrationAt, type Attachment } from '../../models/supernode.js';
import { setInPlace } from '../../models/in-place.js';
import { timerDuration } from '../../models/timers.js';
import { TIMER_NAMES, timerIndex } from '../../models/effects.js';
import type { CrashEvent, SendEvent, TimerName } from '../../schemas/generated/trace.js';
import { System, emptied, type Applied, type Observation } from '../system/system.js';
import type { InFlight, SysState } from '../system/state.js';
import { CLIENT, SUPERNODE, actorIndex, topology, type Topology } from '../system/topology.js';
import { weight, type PropertyInstance, type Verdict } from '../props/types.js';
import { EventQueue, KeyedRing, Kind, LATE, kaOrder, type Queued } from './heap.js';
import { Rng, drawLatency, hash32, latencyBounds, maxLatency } from './rng.js';
import { Metrics } from './metrics.js';
import { AUTH_ID, IM_ID, buildPopulation, type Population } from './population.js';
import type { SimScenario } from './scenario.js';

// Per-timer arrays are indexed by the models' own timer order (models/effects.ts: TIMER_NAMES,
// timerIndex, a switch: a lookup table `TABLE[name]` at absorb's one site would see every timer
// name, a megamorphic keyed load in V8).
const TIMERS: readonly TimerName[] = TIMER_NAMES;
const NT = TIMERS.length;
/**
 * Timers a client arms: the first CNT of TIMER_NAMES (connect … im; the constructor checks the models' order).
 * A client's tm records are these only (see slotOf): clients are nearly every actor.
 */
const CNT = 6;
const KA = timerIndex('keepalive');
const LW = timerIndex('loadWindow');
const KA_MSG = Object.freeze({ kind: 'Keepalive' as const });
const ACK_MSG = Object.freeze({ kind: 'KeepaliveAck' as const });
const LOGIN = Object.freeze({ kind: 'Login' as const });
const LOGOUT = Object.freeze({ kind: 'Logout' as const });
/**
 * An actor's record (Simulator.ka), read at nearly every event at a client: for the keepalive acceleration, its
 * upstream (-1: not accelerated), its keepaliveInterval, and whether it counts in the upstream's `unsafe` (1) or not
 * (0); and the supernode on its host (a client's crash takes it down), or -1. 32 bytes, so that it never straddles a
 * cache line: apart, each field was a cache miss of its own at 100k clients. The round in progress lives in the
 * upstream's ring entry (see kaX, kaY): flush accounts a round without reading or writing this record.
 */
const UP = 0, IV = 1, UNSAFE = 2, HOST_SN = 3, ACC = 4;
/**
 * An accelerated client's entry in its supernode's ring (KeyedRing): the key is the Keepalive's delivery time of
 * its round in progress, k, if drawn, else a lower bound, the round's start + 1 (see flush); x the round's start T
 * (-T - 1 for round 0: no ack of an earlier round is pending); y see kaY.
 */
const kaX = (T: number, k0: boolean): number => (k0 ? -T - 1 : T);
const roundStart = (x: number): number => (x >= 0 ? x : -x - 1);
/**
 * y of an entry (kaX): the client's keepaliveInterval iv plus `heard` × 2^32, negated once the key is drawn.
 * `heard` is the upstream's sweep count when the client was last heard: its silence is the count now minus this
 * (see Quiet sweeps). In the entry, where flush writes it with the round's new key: in the client's record it was
 * a write to scattered memory per round. Exact in a double (< 2^52) for a whole iv < 2^32 ms and a count ≤ 2^20
 * (~2 years of sweeps a minute): a client of another iv is not accelerated, and a supernode whose count reaches
 * HEARD_LIMIT puts its clients back and accelerates none after (accelerateFrom, countSweep).
 */
const HEARD_UNIT = 2 ** 32;
const HEARD_LIMIT = 2 ** 20;
const kaY = (iv: number, heard: number, drawn: boolean): number => (drawn ? -(iv + heard * HEARD_UNIT) : iv + heard * HEARD_UNIT);
const heardOf = (y: number): number => Math.floor((y > 0 ? y : -y) / HEARD_UNIT);
const intervalOf = (y: number): number => (y > 0 ? y : -y) - heardOf(y) * HEARD_UNIT;
/**
 * The record of an (actor, timer) slot (Simulator.tm): its generation (an arm or cancel makes older entries no-ops);
 * for deferred timers, the generation of its entry in the queue (0: none) and that entry's time, whether a later arm
 * waits for it to pop (1) with that arm's deadline, order and seq; and the timer's duration for this actor (NaN: not
 * computed yet; an actor's parameters never change). Eight doubles: one cache line.
 */
const GEN = 0, QGEN = 1, QAT = 2, DEF = 3, DUE_AT = 4, DUE_ORDER = 5, DUE_SEQ = 6, DUR = 7, TM = 8;
/** snRing of an actor that is not a supernode. */
const NO_RING = new KeyedRing();
/** Entries of the table of latency bounds (kaBound): k up to ~65 s. */
const BOUND_TABLE = 1 << 16;
/** Just after every event of a millisecond. */
const END = LATE + 1;

/**
 * The attachments of `before` that are not in `after`, when `after` is `before` with some entries removed
 * (compared by identity, order kept); null when it is not (something was added or replaced too).
 */
export function removedFrom(before: readonly Attachment[], after: readonly Attachment[]): Attachment[] | null {
  const gone: Attachment[] = [];
  let i = 0;
  for (let j = 0; j < before.length; j++) {
    if (i < after.length && after[i] === before[j]) i++;
    else gone.push(before[j]);
  }
  return i === after.length ? gone : null;
}

/**
 * A mega-supernode runs on a dedicated host: it tolerates load in proportion to
 * its capacity (overloadThreshold × megaCapacity / capacity), set in its own
 * actor configuration. Without this the global threshold makes every mega evict
 * itself under the first wave of clients it was added to absorb.
 */
function scaleMegaThreshold(topo: Topology, megaCapacity: number): Topology {
  const cfgs = topo.cfgs.map((c) => {
    if (!c.mega || c.params.overloadThreshold <= 0) return c;
    const overloadThreshold = Math.round((c.params.overloadThreshold * megaCapacity) / Math.max(1, c.params.capacity));
    return { ...c, params: { ...c.params, overloadThreshold } };
  });
  return { ...topo, cfgs };
}

/** First and count of the findings of one property during a run. */
export interface PropertyTally {
  count: number;
  first: (Verdict & { readonly t: number }) | null;
}

/** Receives every applied observation (the trace writer). */
export interface ObservationSink {
  observe(o: Observation): void;
}

export interface Progress { readonly t: number; readonly duration: number; readonly events: number; readonly seconds: number }

export interface SimOptions {
  /** Keepalive acceleration and deferred timers (default true; ignored, i.e. off, when the scenario loses messages). */
  readonly accelerate?: boolean;
}

export class Simulator {
  readonly sys: System;
  readonly st: SysState;
  readonly pop: Population;
  readonly metrics: Metrics;
  readonly tallies = new Map<string, PropertyTally>();
  /** Events applied from the queue. */
  events = 0;
  /** Events accounted without being applied: accelerated keepalive rounds (timers, Keepalive and KeepaliveAck deliveries), loadWindow timers of serving supernodes, and the no-op pops of re-armed timers that deferral leaves out. */
  virtualEvents = 0;
  /** Whether keepalive acceleration (and timer deferral) is on. */
  readonly accelerate: boolean;

  private readonly q = new EventQueue();
  private readonly net: Rng;
  private readonly users: Rng;
  private readonly faults: Rng;
  /**
   * Per (actor, timer) slot x, one record of TM fields at x * TM (GEN … DUR
   * above): read together at every arm and firing, and a cache miss each
   * when they were separate arrays.
   */
  private readonly tm: Float64Array;
  /**
   * The first actor of the trailing run of clients (whose records in tm are CNT, not NT: slotOf); the actor count when
   * none. Every actor from c0 on is a client, never busy: touch and settle ask busy only below it.
   */
  private readonly c0: number;
  /** The end of the current run (deferred timers' skipped no-op pops count up to it). */
  private until: number;
  /** When the skipped no-op pops due after `until` are due: each counts once a later run() reaches it. */
  private readonly laterNoOps: number[] = [];
  private readonly userGen: Int32Array;
  private readonly hostGen = new Map<string, number>();
  private readonly clientIdx: number[];
  private readonly regularIdx: number[];
  private readonly megaQueue: number[];
  private noRestart = false;
  private readonly restartDelay: number;

  // Keepalive acceleration, per client: its record (ka; UP … IV above); per supernode: its accelerated
  // clients as a ring sorted by (next delivery, client), its sweeps so far, virtual deliveries
  // in its current load window and when it began, the clients list last checked. `exact`: clients never
  // accelerated (traced).
  private readonly kaRng = new Rng(0);
  private readonly kaSeed: number;
  /** No latency the scenario's distribution draws exceeds this (ms): see maxLatency. */
  private readonly kaMaxLatency: number;
  /** What a draw's first uniform says of its latency (latencyBounds; null: nothing, the distribution is not lognormal). */
  private readonly kaBound: Float64Array | null;
  private readonly exact: Uint8Array;
  /** Per actor: its role (Topology.roleCode). */
  private readonly roleCode: Uint8Array;
  /** Per actor, one record of ACC fields (UP … HOST_SN above). */
  private readonly ka: Float64Array;
  private readonly snRing: KeyedRing[];
  /** Per supernode: its sweeps so far, stepped or quiet (the clock of its accelerated clients' silences: kaY). */
  private readonly swCount: Float64Array;
  /**
   * Per supernode: its accelerated clients whose rounds can turn out late (not alwaysFits). While there is one, its
   * loadWindow timer is not run virtually: each firing is an event at it, which flushes it (see roundFits).
   */
  private readonly mayBeLate: Int32Array;
  /** Per supernode: no credential of an accelerated client expires before this (a lower bound; Infinity: none). */
  private readonly minExp: Float64Array;
  /** Per supernode: its accelerated clients that are not sweepSafe (a quiet sweep needs none). */
  private readonly unsafe: Int32Array;
  /** Per actor: missedKeepalives, from its static configuration. */
  private readonly maxSilent: Float64Array;
  /** Sweeps that were quiet (counted in `events`: their timers popped); of them, sweeps of an empty list. */
  quietSweeps = 0;
  quietEmptySweeps = 0;
  /**
   * Per accelerated client: its attachment in its upstream's list, found once by accelerateFrom. The same object
   * while the client runs accelerated: the in-place sweep writes into it, and every other change to it (the
   * client's own Register, Unregister or real Keepalive, a sweep dropping it, the supernode leaving `serving`)
   * comes with an event that puts the client back first (touch, check; a message it sent before it was
   * accelerated ahead: apply).
   */
  private readonly att: (Attachment | null)[];
  private readonly nAcc: Int32Array;
  private readonly winDelivered: Int32Array;
  private readonly winStart: Float64Array;
  private readonly clientsRef: (readonly Attachment[] | null)[];
  /** Per client: where its attachment was last found in a supernode's list (a hint, checked: see attachmentAt). */
  private readonly hint: Int32Array;
  private readonly snIdx: number[];
  /** Per actor: overloadThreshold (supernodes; megas' scaled), from its static configuration (a context's cfg is its topology's). */
  private readonly thr: Float64Array;
  /** Per client: the upstream id it was last accelerated under and that supernode's index (accelerateFrom; saves hashing the id). */
  private readonly tgtId: (string | null)[];
  private readonly tgtIdx: Int32Array;
  /** Per actor: loadWindow (supernodes), from its static configuration. */
  private readonly loadWin: Float64Array;
  /** Per serving supernode whose loadWindow timer runs virtually: its next firing (-1: the timer is a real event). */
  private readonly lwNext: Float64Array;

  /** See fresh(). */
  private readonly scratch: Applied;

  /** What happened at time 0, before any sink could be attached (the supernodes' first PeerHellos). */
  initialObservations: readonly Observation[] = [];

  constructor(readonly sc: SimScenario, props: readonly PropertyInstance[], readonly seed: number, private readonly sink?: ObservationSink, opts: SimOptions = {}) {
    this.accelerate = (opts.accelerate ?? true) && sc.loss === 0;
    this.kaSeed = hash32(seed, 0x6b61, 0x6c69, 0x7665);
    this.kaMaxLatency = maxLatency(sc.latency);
    // Only as far as a round that always fits can need it (alwaysFits: below half a keepaliveInterval); capped, as
    // a wide lognormal's bound runs to years.
    this.kaBound = this.accelerate ? latencyBounds(sc.latency, Math.min(this.kaMaxLatency, BOUND_TABLE)) : null;
    const root = new Rng(seed);
    this.pop = buildPopulation(sc, root.fork(1));
    this.net = root.fork(2);
    this.users = root.fork(3);
    this.faults = root.fork(4);
    const topo = scaleMegaThreshold(topology(this.pop.actors, sc.params), sc.megaCapacity);
    this.sys = new System(topo, props, { autoSend: true, clock: 'ms', standby: this.pop.mega, inPlace: true });
    this.scratch = this.sys.acc();
    // Clients come last in a population (buildPopulation): from c0 on, every actor is a client.
    let c0 = topo.ids.length;
    while (c0 > 0 && topo.roles[c0 - 1] === 'client') c0--;
    this.c0 = c0;
    for (let i = 0; i < CNT; i++) if (timerIndex(['connect', 'retry', 'login', 'keepalive', 'renew', 'im'][i]) !== i) throw new Error('engine: the client timers are not the first of TIMER_NAMES');
    const records = c0 * NT + (topo.ids.length - c0) * CNT;
    this.tm = new Float64Array(records * TM);
    for (let x = 0; x < records; x++) this.tm[x * TM + DUR] = NaN;
    this.until = sc.duration;
    this.userGen = new Int32Array(topo.ids.length);
    this.clientIdx = this.pop.clientIds.map((id) => topo.index.get(id)!);
    this.regularIdx = this.pop.supernodeIds.map((id) => topo.index.get(id)!);
    this.megaQueue = this.pop.mega.map((id) => topo.index.get(id)!);
    this.metrics = new Metrics(topo, sc.resolved.loadWindow, new Set(this.megaQueue));
    this.restartDelay = sc.resolved.restartDelay;
    const n = topo.ids.length;
    this.exact = new Uint8Array(n);
    this.roleCode = topo.roleCode;
    this.ka = new Float64Array(n * ACC);
    for (let i = 0; i < n; i++) {
      this.ka[i * ACC + UP] = -1;
      this.ka[i * ACC + IV] = topo.cfgs[i].params.keepaliveInterval;
      this.ka[i * ACC + HOST_SN] = -1;
    }
    this.snRing = topo.roles.map((r) => (r === 'supernode' ? new KeyedRing() : NO_RING));
    this.swCount = new Float64Array(n);
    this.minExp = new Float64Array(n).fill(Infinity);
    this.unsafe = new Int32Array(n);
    this.mayBeLate = new Int32Array(n);
    this.maxSilent = Float64Array.from(topo.cfgs, (c) => c.params.missedKeepalives);
    this.att = new Array<Attachment | null>(n).fill(null);
    this.nAcc = new Int32Array(n);
    this.winDelivered = new Int32Array(n);
    this.winStart = new Float64Array(n).fill(-1);
    this.clientsRef = new Array(n).fill(null);
    this.hint = new Int32Array(n);
    this.loadWin = Float64Array.from(topo.cfgs, (c) => c.params.loadWindow);
    this.thr = Float64Array.from(topo.cfgs, (c) => c.params.overloadThreshold);
    this.tgtId = new Array<string | null>(n).fill(null);
    this.tgtIdx = new Int32Array(n);
    this.lwNext = new Float64Array(n).fill(-1);
    this.snIdx = [];
    topo.roles.forEach((r, i) => {
      if (r !== 'supernode') return;
      this.snIdx.push(i);
      for (const j of topo.hosts.get(topo.cfgs[i].host) ?? []) if (topo.roles[j] === 'client') this.ka[j * ACC + HOST_SN] = i;
    });
    for (const p of props) this.tallies.set(p.def.id, { count: 0, first: null });
    const { state, applied } = this.sys.initial(undefined, 0);
    this.st = state;
    this.initialObservations = applied.observations;
    this.absorb(applied, 0);
    for (const i of this.clientIdx) this.q.push(Math.floor(this.users.next() * sc.users.loginSpread), Kind.Login, i, 0, 0);
    sc.schedule.forEach((a, k) => this.q.push(a.at, Kind.Action, k));
    this.q.push(sc.sample, Kind.Sample);
    if (sc.users.lookupsPerHour > 0) this.q.push(this.nextLookupGap(), Kind.Lookup);
  }

  /** Runs to the end of the scenario (or to `until`); `onProgress` is called every ~65k events. */
  run(until = this.sc.duration, onProgress?: (p: Progress) => void): void {
    const started = Date.now();
    this.until = until;
    // The no-op pops an earlier run() left for later, due by this one's end.
    const later = this.laterNoOps;
    let kept = 0;
    for (let k = 0; k < later.length; k++) if (later[k] <= until) this.virtualEvents++; else later[kept++] = later[k];
    later.length = kept;
    // Steps write in place while the run applies events (models/in-place.ts): no earlier state is kept.
    const was = setInPlace(true);
    try {
      while (this.q.peekTime() <= until) {
        const e = this.q.pop()!;
        this.st.time = e.t;
        this.apply(e);
        this.events++;
        if (onProgress && (this.events & 0xffff) === 0) onProgress({ t: e.t, duration: this.sc.duration, events: this.events + this.virtualEvents, seconds: (Date.now() - started) / 1000 });
      }
    } finally {
      setInPlace(was);
    }
    this.st.time = until;
    // Put every accelerated round back: the state and the event count are then those of an exact run.
    for (const s of this.snIdx) {
      if (!this.busy(s)) continue;
      this.materialiseAll(s, until, END);
      this.realLoadWindow(s);
    }
  }

  /**
   * Before supernode `m.to` steps on `m`: a Keepalive or Register that an accelerated client sent it before it was
   * accelerated (ahead, right after its RegisterAck or a renewal's LoginOk, or at a keepalive timer during a
   * renewal) would change its attachment behind the acceleration (a silence reset, a replaced entry), so the
   * client is put back first. An Unregister's removal is found by check; no other message changes an attachment.
   */
  private fromAccelerated(m: InFlight, t: number, order: number): void {
    const kind = m.msg.kind;
    if ((kind === 'Keepalive' || kind === 'Register') && this.ka[m.from * ACC + UP] === m.to) this.materialise(m.from, t, order);
  }

  /** Events of the run so far, accelerated keepalive rounds included. */
  get totalEvents(): number {
    return this.events + this.virtualEvents;
  }

  /** Clients whose every event must be applied (a trace sample): never accelerated. Call before run(). */
  keepExact(clients: readonly number[]): void {
    for (const c of clients) this.exact[c] = 1;
  }

  private apply(e: Queued): void {
    const { sys, st } = this;
    const t = e.t;
    switch (e.kind) {
      case Kind.Deliver: {
        const m = e.m as InFlight;
        if (!st.net.has(m.mid)) return; // lost when its receiver's host crashed
        const toSn = this.roleCode[m.to] === SUPERNODE;
        if (!toSn || !this.mayWait(m.to, t, e.order)) this.touch(m.to, t, e.order);
        const to = st.locals[m.to];
        if (to && to.value !== 'crashed') {
          if (toSn) {
            this.metrics.supernodeMessage(m.to, t);
            this.fromAccelerated(m, t, e.order);
          } else if (m.msg.kind === 'LoginRequest') this.metrics.loginRequest();
        }
        this.absorb(sys.deliver(st, m, t, this.fresh()), t);
        this.settle(m.to, t, e.order);
        return;
      }
      case Kind.Timer: {
        const { tm } = this;
        const x = this.slotOf(e.a, e.b);
        if (e.c === tm[x + QGEN]) {
          tm[x + QGEN] = 0;
          if (tm[x + DEF]) { this.queueDeferred(x, e.a, e.b); return; } // a no-op pop, as in an exact run
        }
        if (tm[x + GEN] !== e.c) return;
        const l = st.locals[e.a];
        const timer = TIMERS[e.b];
        if (!l || l.value === 'crashed' || !l.ctx.timers.includes(timer)) return;
        const sn = this.roleCode[e.a] === SUPERNODE;
        if (e.b === KA && !sn && this.tryAccelerate(e.a, t)) return;
        if (e.b === LW && sn && this.accelerate && l.value === 'serving' && this.mayBeLate[e.a] === 0) { this.virtualLoadWindow(e.a, t); return; }
        this.touch(e.a, t, e.order);
        if (sn && e.b === KA) {
          if (this.quietSweep(e.a, l, t)) return;
          this.writeSilences(e.a);
        }
        this.absorb(sys.timeout(st, e.a, timer, t, this.fresh()), t);
        if (sn && e.b === LW) { this.winDelivered[e.a] = 0; this.winStart[e.a] = t; }
        if (sn && e.b === KA) this.countSweep(e.a, t, e.order);
        this.settle(e.a, t, e.order);
        return;
      }
      case Kind.Login: {
        if (this.userGen[e.a] !== e.c) return;
        const l = st.locals[e.a];
        if (!l || (l.value !== 'offline' && l.value !== 'failed')) return;
        const sm = this.sc.users.sessionMean;
        if (sm !== null) this.q.push(t + Math.max(1, Math.round(this.users.exp(sm))), Kind.Logout, e.a, 0, this.userGen[e.a]);
        this.absorb(sys.input(st, e.a, LOGIN, t, this.fresh()), t);
        return;
      }
      case Kind.Logout: {
        if (this.userGen[e.a] !== e.c) return;
        const l = st.locals[e.a];
        if (l?.value === 'online') {
          this.touch(e.a, t, e.order);
          this.absorb(sys.input(st, e.a, LOGOUT, t, this.fresh()), t);
          this.settle(e.a, t, e.order);
        } else if (l && l.value !== 'offline' && l.value !== 'failed') this.q.push(t + Math.max(1, Math.round(this.users.exp(this.sc.users.sessionMean ?? 0))), Kind.Logout, e.a, 0, e.c);
        return;
      }
      case Kind.Restart: {
        const host = e.m as string;
        if (this.hostGen.get(host) !== e.c || !st.down.has(host)) return;
        this.absorb(sys.restart(st, host, t, this.fresh()), t);
        return;
      }
      case Kind.Crash: this.crashHost(e.m as string, t, true); return;
      case Kind.Action: this.action(e.a, t); return;
      case Kind.Sample:
        for (const s of this.snIdx) if (this.busy(s)) this.flush(s, t, e.order);
        this.metrics.sample(st, t);
        if (t + this.sc.sample <= this.sc.duration) this.q.push(t + this.sc.sample, Kind.Sample);
        return;
      case Kind.Lookup: {
        const i = this.clientIdx[this.users.int(this.clientIdx.length)];
        const other = this.pop.clientIds[this.users.int(this.clientIdx.length)];
        if (st.locals[i]?.value === 'online') {
          this.touch(i, t, e.order);
          this.absorb(sys.input(st, i, { kind: 'Lookup', user: `u${other.slice(1)}` }, t, this.fresh()), t);
          this.settle(i, t, e.order);
        }
        this.q.push(t + this.nextLookupGap(), Kind.Lookup);
        return;
      }
    }
  }

  private nextLookupGap(): number {
    const perMs = (this.clientIdx.length * this.sc.users.lookupsPerHour) / 3_600_000;
    return Math.max(1, Math.round(this.users.exp(1 / perMs)));
  }

  /** A scheduled fault or operator action. */
  private action(k: number, t: number): void {
    const a = this.sc.schedule[k];
    const { sys, st } = this;
    switch (a.action) {
      case 'crash': {
        const pool = (a.target === 'supernode-hosts' ? this.regularIdx : this.clientIdx).map((i) => sys.topo.cfgs[i].host).filter((h) => !st.down.has(h));
        for (const h of this.faults.sample(pool, a.count)) this.crashHost(h, t, a.restart);
        return;
      }
      case 'mass-restart': {
        const hosts = this.clientIdx.map((i) => sys.topo.cfgs[i].host);
        for (const h of this.faults.sample(hosts, Math.round(a.share * hosts.length))) this.q.push(t + Math.floor(this.faults.next() * a.window), Kind.Crash, 0, 0, 0, h);
        return;
      }
      case 'set-mode': {
        const idx = sys.topo.index.get(a.server === 'im' ? IM_ID : AUTH_ID)!;
        this.absorb(sys.input(st, idx, { kind: 'SetMode', mode: a.mode }, t, this.fresh()), t);
        return;
      }
      case 'add-mega': {
        for (let n = 0; n < a.count && this.megaQueue.length; n++) this.absorb(sys.join(st, this.megaQueue.shift()!, t, this.fresh()), t);
        return;
      }
    }
  }

  private crashHost(host: string, t: number, restart: boolean): void {
    if (this.st.down.has(host)) return;
    for (const i of this.sys.topo.hosts.get(host) ?? []) {
      if (this.ka[i * ACC + UP] >= 0) this.materialise(i, t, LATE);
      if (this.busy(i)) { this.materialiseAll(i, t, LATE); this.realLoadWindow(i); }
    }
    this.noRestart = !restart;
    this.absorb(this.sys.crash(this.st, host, t, this.fresh()), t);
    this.noRestart = false;
  }

  /** The accumulator for the next applied event's effects, emptied: one is reused for every event (absorb() has read the last one before the next). */
  private fresh(): Applied {
    return emptied(this.scratch);
  }

  /** Takes in the effects of one applied event: schedules deliveries, timers, restarts and user reactions. */
  private absorb(acc: Applied, t: number): void {
    const { st } = this;
    const obs = acc.observations;
    for (let k = 0; k < obs.length; k++) {
      const o = obs[k];
      const ev = o.ev;
      // The observation's copy (Observation.type): `ev.type` is a megamorphic load, events of each type having a
      // shape of their own. The event is read only where its type is known (one shape each).
      const type = o.type;
      if (type === 'send') {
        const m = st.net.get((ev as SendEvent).mid);
        if (m) {
          if (this.sc.loss > 0 && this.net.chance(this.sc.loss)) this.sys.drop(st, m, t, acc);
          else {
            const kind = m.msg.kind;
            if (kind === 'Keepalive' && this.roleCode[m.from] === CLIENT) this.q.push(t + this.kaLatency(m.from, m.to, t), Kind.Deliver, 0, 0, 0, m, kaOrder(1, m.from));
            else if (kind === 'KeepaliveAck' && this.roleCode[m.to] === CLIENT) this.q.push(t + this.kaLatency(m.from, m.to, t), Kind.Deliver, 0, 0, 0, m, kaOrder(2, m.to));
            else this.q.push(t + drawLatency(this.net, this.sc.latency), Kind.Deliver, 0, 0, 0, m);
          }
        }
      } else if (type === 'crash' && !this.noRestart) {
        const { host } = ev as CrashEvent;
        const gen = (this.hostGen.get(host) ?? 0) + 1;
        this.hostGen.set(host, gen);
        this.q.push(t + this.restartDelay, Kind.Restart, 0, 0, gen, host);
      }
      const touched = o.touched;
      for (let j = 0; j < touched.length; j++) { const tc = touched[j]; this.touched(tc.idx, tc.before, tc.after, type === 'deliver', t); }
      this.sink?.observe(o);
    }
    for (const v of acc.verdicts) {
      const tally = this.tallies.get(v.property)!;
      tally.count += weight(v);
      tally.first ??= { ...v, t };
    }
    const armed = acc.armed;
    for (let j = 0; j < armed.length; j++) {
      const { idx, timers } = armed[j];
      for (let k = 0; k < timers.length; k++) {
        const ti = timerIndex(timers[k]);
        this.pushTimer(idx, ti, t + this.duration(idx, ti), ti === KA && this.roleCode[idx] === CLIENT ? kaOrder(0, idx) : LATE);
      }
    }
  }

  /** How long timer `ti` of actor `idx` runs (timerDuration of its parameters, computed once: they never change). */
  private duration(idx: number, ti: number): number {
    const x = this.slotOf(idx, ti) + DUR;
    let dur = this.tm[x];
    if (dur !== dur) dur = this.tm[x] = timerDuration(TIMERS[ti], this.sys.topo.cfgs[idx].params);
    return dur;
  }

  private touched(idx: number, before: Local | null, after: Local | null, byMessage: boolean, t: number): void {
    const b = before?.value;
    const a = after?.value;
    if (b === a) return;
    this.metrics.transition(idx, b, a, t);
    if (this.roleCode[idx] !== CLIENT) return;
    if (a === 'crashed' && byMessage) { this.metrics.crashedClients.add(idx); this.metrics.clientCrashes++; }
    // The user reacts: a failed login is retried, a logout is followed by a later login.
    const u = this.sc.users;
    if (a === 'failed') this.scheduleLogin(idx, t + Math.max(1, Math.round(this.users.exp(u.retryMean))));
    else if (a === 'offline') this.scheduleLogin(idx, t + Math.max(1, Math.round(this.users.exp(u.sessionMean === null ? u.retryMean : u.offlineMean))));
  }

  private scheduleLogin(idx: number, at: number): void {
    this.q.push(at, Kind.Login, idx, 0, ++this.userGen[idx]);
  }

  // ---- keepalive acceleration ---------------------------------------------

  /** Latency of a Keepalive or KeepaliveAck sent from `from` to `to` at `t`: a counter-based draw, the same whenever it is made. */
  private kaLatency(from: number, to: number, t: number): number {
    return drawLatency(this.kaRng.reset(hash32(this.kaSeed, from, to, t)), this.sc.latency);
  }

  /**
   * Whether the latency kaLatency(from, to, t) would draw is at most k, as far as the draw's first uniform tells
   * (kaBound): true only when it is; false when it is not, or cannot be told so.
   */
  private kaLatencyAtMost(from: number, to: number, t: number, k: number): boolean {
    const bound = this.kaBound;
    if (bound === null || k < 1 || k >= bound.length) return false;
    return 1 - this.kaRng.reset(hash32(this.kaSeed, from, to, t)).next() >= bound[k];
  }

  /** Before an event at actor `x` at (t, order): an accelerated client is put back; its (host's) supernode is brought up to date. */
  private touch(x: number, t: number, order: number): void {
    // An actor of the trailing run of clients (c0) is never busy: its test spares the reads of two per-actor arrays that
    // are not in cache, for the client of most events (hour 0 of outage-2010 at 100k clients: ~9% less CPU).
    if (this.ka[x * ACC + UP] >= 0) this.materialise(x, t, order);
    else if (x < this.c0 && this.busy(x)) this.flush(x, t, order);
    const h = this.ka[x * ACC + HOST_SN];
    if (h >= 0 && this.busy(h)) this.flush(h, t, order);
  }

  /** After an event at actor `x`: the supernodes it may have changed still let their clients run accelerated, or they are put back. */
  private settle(x: number, t: number, order: number): void {
    if (x < this.c0 && this.busy(x)) this.check(x, t, order);
    else if (this.roleCode[x] === CLIENT && this.ka[x * ACC + UP] < 0) this.accelerateAhead(x, t, order);
    const h = this.ka[x * ACC + HOST_SN];
    if (h >= 0 && this.busy(h)) this.check(h, t, order);
  }

  /** Whether the pending keepalives of `s`'s accelerated clients (plus `extra`) cannot push its load past its threshold in this window. */
  private calm(s: number, extra: number): boolean {
    const th = this.thr[s];
    if (th <= 0) return true;
    const ctx = this.st.locals[s]!.ctx as SupernodeContext;
    return ctx.load + this.nAcc[s] + extra - this.winDelivered[s] <= th;
  }

  /**
   * Whether a message delivered to supernode `s` at (t, order) can be stepped before what happened virtually at s
   * by then is accounted, the flush left to the next event that needs it. Of what a flush changes, the step reads
   * the load, against overloadThreshold (countLoad, loadExceeded), and the engine counts the message in the
   * metrics' window: so no loadWindow firing may be due (it would reset the load first), no pending delivery may
   * lie in an earlier metrics window than t's (they count a supernode's windows in order), and the load must stay
   * within the threshold with this message and every keepalive still due in the window (calm: then the step decides
   * the same on the load without the deliveries since the last flush, and they add to it later, as they commute).
   * calm on the state before a flush errs on the safe side: deliveries add as much to the load as to winDelivered,
   * and a firing leaves the load at the deliveries after it. A round that turns out late is put back at the flush
   * that finds it, which a real loadWindow firing brings in time (mayBeLate). In hour 0 of outage-2010 at 100k
   * clients, this leaves out ~40% of the flushes, each its ring's cold reads for one round or two.
   */
  private mayWait(s: number, t: number, order: number): boolean {
    // (Nothing to account: nothing to wait for. A supernode with something to account serves.)
    if (!this.busy(s)) return true;
    const b = this.lwNext[s];
    if (b >= 0 && (b < t || (b === t && order >= LATE))) return false;
    const w = this.metrics.loadWindow;
    if (this.snRing[s].topKey() < Math.floor(t / w) * w) return false;
    return this.calm(s, 1);
  }

  /** Whether supernode `s` has accelerated clients or a virtual loadWindow timer to account for. */
  private busy(s: number): boolean {
    return this.nAcc[s] > 0 || this.lwNext[s] >= 0;
  }

  /**
   * Supernode `s`'s loadWindow timer fires at t while it serves: its step
   * (newLoadWindow: load 0, re-arm) is applied directly, and its later firings
   * run virtually, accounted by flush() before anything else happens at `s`
   * (a firing sorts before the other events of its millisecond that do not
   * belong to a keepalive round, as in an exact run, where they were
   * scheduled less than a loadWindow earlier). It stops when `s` leaves
   * `serving`, which cancels the timer.
   */
  private virtualLoadWindow(s: number, t: number): void {
    this.touch(s, t, LATE);
    (this.st.locals[s]!.ctx as SupernodeContext).load = 0;
    this.winDelivered[s] = 0;
    this.winStart[s] = t;
    this.lwNext[s] = t + this.loadWin[s];
  }

  /**
   * Ends `s`'s virtual loadWindow timer: its next firing becomes a real event
   * again (when `s` has left `serving` it pops as a no-op, as the cancelled
   * timer's firing does in an exact run).
   */
  private realLoadWindow(s: number): void {
    if (this.lwNext[s] < 0) return;
    this.pushTimer(s, LW, this.lwNext[s], LATE);
    this.lwNext[s] = -1;
  }

  private check(s: number, t: number, order: number): void {
    const l = this.st.locals[s];
    // Leaving `serving` cancels the loadWindow timer: its virtual run ends.
    if (!l || l.value !== 'serving') { this.materialiseAll(s, t, order); this.realLoadWindow(s); return; }
    if (!this.calm(s, 0)) { this.materialiseAll(s, t, order); return; }
    const clients = (l.ctx as SupernodeContext).clients;
    const ref = this.clientsRef[s];
    if (clients === ref) return;
    this.clientsRef[s] = clients;
    // An accelerated client's attachment goes only when the list shrinks: a sweep (silence, expired credential) removes,
    // registerClient replaces its own user's entry and adds, acceptConnect adds, Unregister comes from the client itself.
    // No earlier list: no accelerated client (accelerateFrom sets it at the first).
    if (ref === null || clients.length >= ref.length) return;
    // Usually the list only lost entries (a sweep, an Unregister): the attachments that went are found by walking
    // both lists by identity, without reading an attachment (at 100k clients each read is a cache miss: testing
    // every accelerated client's registration was 7% of a quiet hour). This relies on every accelerated client's
    // attachment being in `ref`: check runs after every event at s while s has accelerated clients (settle), ref is
    // set when the first one is accelerated (accelerateFrom), and an attachment's user never changes in place.
    const lost = removedFrom(ref, clients);
    if (lost !== null) {
      for (let k = 0; k < lost.length; k++) {
        const c = this.sys.topo.index.get(lost[k].client);
        if (c !== undefined && this.ka[c * ACC + UP] === s) this.materialise(c, t, order);
      }
      return;
    }
    // Otherwise (the list did more than lose entries): each accelerated client's registration.
    const ctx = l.ctx as SupernodeContext;
    const h = this.snRing[s];
    let gone: number[] | null = null;
    for (let i = 0; i < h.size; i++) { const c = h.clientAt(i); if (this.registration(ctx, c) === null) (gone ??= []).push(c); }
    if (gone) for (const c of gone) this.materialise(c, t, order);
  }

  /**
   * The position of client `c`'s attachment in the list of a supernode of context `ctx`, or -1. The list is sorted
   * by client id, one attachment per client, with the ids beside it in `clientIds` (models/supernode.ts): c's last
   * position (hint) is checked first — lists keep their order from one sweep to the next, and change by a login or
   * a logout now and then — then a binary search over the dense ids. No scan of the attachments, no hashing of ids.
   */
  private attachmentAt(ctx: SupernodeContext, c: number): number {
    const ids = ctx.clientIds;
    const id = this.sys.topo.ids[c];
    const p = this.hint[c];
    if (p < ids.length && ids[p] === id) return p;
    const k = attachmentIndex(ctx, id);
    if (k >= 0) this.hint[c] = k;
    return k;
  }

  /** Client `c`'s registration at a supernode of context `ctx` (its attachment, with a user), or null. */
  private registration(ctx: SupernodeContext, c: number): Attachment | null {
    return registrationAt(ctx, this.attachmentAt(ctx, c));
  }

  /** At client `c`'s keepalive timer (t): runs this and the following rounds virtually if nothing they do can matter. */
  private tryAccelerate(c: number, t: number): boolean {
    // Accelerated ahead (settle): this is the pop of its round 0's timer, which stays a real event.
    if (this.ka[c * ACC + UP] >= 0) return true;
    if (!this.accelerate || this.exact[c]) return false;
    return this.accelerateFrom(c, t, kaOrder(0, c), t);
  }

  /**
   * After an event at client `c` (t, order): a client that waits for its keepalive timer (queued, the latest arm)
   * runs from that timer on accelerated, as it would from the timer's pop (tryAccelerate), if nothing its rounds do
   * can matter. Until then it is idle, and the sweeps of its upstream can be quiet: a client that has just
   * registered (about one in six of the sweeps in a quiet hour waited for one) or been put back.
   */
  private accelerateAhead(c: number, t: number, order: number): void {
    if (!this.accelerate || this.exact[c]) return;
    const { tm } = this;
    const x = this.slotOf(c, KA);
    const gen = tm[x + QGEN];
    if (gen === 0 || gen !== tm[x + GEN] || tm[x + DEF]) return;
    const l = this.st.locals[c];
    if (!l || l.value !== 'online' || !l.ctx.timers.includes('keepalive')) return;
    this.accelerateFrom(c, t, order, tm[x + QAT]);
  }

  /**
   * Runs client `c`'s keepalive rounds from the one its timer starts at T0 (≥ t) virtually, at (t, order), if
   * nothing they do can matter. The callers have checked that acceleration is on and `c` is not kept exact.
   */
  private accelerateFrom(c: number, t: number, order: number, T0: number): boolean {
    const { st } = this;
    const l = st.locals[c]!;
    if (l.value !== 'online') return false;
    const ctx = l.ctx as ClientContext;
    if (ctx.missed !== 0 || ctx.target === null) return false;
    let s: number | undefined;
    if (ctx.target === this.tgtId[c]) s = this.tgtIdx[c];
    else {
      s = actorIndex(this.sys.topo, ctx.target);
      if (s === undefined) return false;
      this.tgtId[c] = ctx.target;
      this.tgtIdx[c] = s;
    }
    if (this.roleCode[s] !== SUPERNODE) return false;
    const sl = st.locals[s];
    if (!sl || sl.value !== 'serving') return false;
    // No flush first: the ring takes the new round wherever the others are, and calm on s's state as it is, before
    // its pending deliveries, errs on the safe side (see mayWait).
    const sctx = sl.ctx as SupernodeContext;
    const a = this.registration(sctx, c);
    if (a === null) return false;
    if (!this.calm(s, 1)) return false;
    const r = c * ACC;
    const { ka } = this;
    const iv = ka[r + IV];
    // What kaY packs exactly (a fractional keepaliveInterval made the accelerated rounds drift from the exact ones).
    if (!(Number.isInteger(iv) && iv < HEARD_UNIT && this.swCount[s] < HEARD_LIMIT)) return false;
    let d = T0 + 1;
    let drawn = false;
    if (!this.alwaysFits(iv, s)) {
      d = T0 + this.kaLatency(c, s, T0);
      drawn = true;
      if (!this.roundFits(iv, s, T0, d, c)) return false;
      // Its rounds can turn out late: s's loadWindow timer runs as real events from now on, so that s is flushed at
      // least once a loadWindow (see roundFits).
      if (this.mayBeLate[s]++ === 0 && this.lwNext[s] >= 0) { this.flush(s, t, order); this.realLoadWindow(s); }
    }
    ka[r + UP] = s;
    this.att[c] = a;
    // Its silence so far: a.silent sweeps (a sweep adds 1 to the silence of every attachment it keeps, so heard ≥ 0).
    const heard = this.swCount[s] - a.silent;
    const unsafe = this.sweepSafe(s, iv, a.silent, T0 - t) ? 0 : 1;
    ka[r + UNSAFE] = unsafe;
    this.unsafe[s] += unsafe;
    if (a.expiresAt < this.minExp[s]) this.minExp[s] = a.expiresAt;
    if (this.nAcc[s] === 0) this.clientsRef[s] = sctx.clients;
    this.nAcc[s]++;
    this.snRing[s].push(d, c, kaX(T0, true), kaY(iv, heard, drawn));
    return true;
  }

  /**
   * A round that starts at T and whose Keepalive arrives at `d` can run
   * virtually: its ack arrives before the next round starts, and the supernode
   * (flushed at least once per loadWindow while it has a client whose rounds
   * can turn out late: see mayBeLate) sees its delivery before then. The
   * ack's latency is drawn only when the bound on every latency the scenario's
   * distribution can give (kaMaxLatency) does not settle it: with the bundled
   * scenarios (at most ~1.1 s against a minute's interval) it never is, and
   * half of the draws of the keepalive rounds go.
   */
  private roundFits(iv: number, s: number, T: number, d: number, c: number): boolean {
    // (alwaysFits: the first test holds whatever d is.)
    const room = iv - this.loadWin[s];
    return d - T + this.kaMaxLatency < room || this.ackAfter(s, c, d) - T < room;
  }

  /** Whether every round of a client of keepaliveInterval `iv` under `s` fits (roundFits), whatever its latencies: then no round needs its draw to decide it. */
  private alwaysFits(iv: number, s: number): boolean {
    return iv > this.fitsAbove(s);
  }

  /** The keepaliveInterval above which a client of `s` always fits (alwaysFits): twice the latency bound plus a loadWindow. */
  private fitsAbove(s: number): number {
    return 2 * this.kaMaxLatency + this.loadWin[s];
  }

  /** When the KeepaliveAck that `s` sends `c` on a Keepalive delivered at `d` arrives (the same draw an exact run makes). */
  private ackAfter(s: number, c: number, d: number): number {
    return d + this.kaLatency(s, c, d);
  }

  /**
   * Accounts for what happened virtually at `s` before (t, order): Keepalive
   * deliveries (load, metrics, event counts; the next rounds scheduled) and
   * loadWindow firings (load back to 0), in time order.
   *
   * A round's latency is drawn only when it can matter. Its key in the ring is
   * then its drawn delivery time; before, the round's start + 1 (y > 0: see
   * kaX), a lower bound: its delivery lies in [T + 1, T + kaMaxLatency). The
   * ring's first entry is then either the earliest delivery (drawn) or a bound no
   * delivery comes before. Rounds are accounted in the order of their keys;
   * between two loadWindow firings, deliveries commute (counts, and the
   * metrics' per-window counts, whose windows come in the same order as the
   * keys'). An undrawn round is accounted as it is when its whole range falls
   * before (t, order), not after the next loadWindow firing, and in one window
   * of the metrics, or when its first uniform shows that its latency does
   * (kaLatencyAtMost); otherwise its latency is drawn and it is re-keyed. A firing
   * is applied when it comes before the top's key, so a round accounted after
   * it was delivered after it, one accounted before it was delivered by then
   * (putBack relies on it). Nothing here reads the client's record: the round
   * lives in its ring entry (kaX).
   */
  private flush(s: number, t: number, order: number): void {
    const h = this.snRing[s];
    let b = this.lwNext[s];
    // Nothing due before (t, order): most calls (every event at s or at its clients' hosts), done without reading s's state.
    if (!(b >= 0 && (b < t || (b === t && order >= LATE)))) {
      if (!h.size) return;
      const d0 = h.topKey();
      if (!(d0 < t || (d0 === t && kaOrder(1, h.topClient()) < order))) return;
    }
    // The supernode's entries are cold (read last at its previous flush, tens of thousands of events ago), and the
    // ring's walk below reads them one after the other, each read waiting for the one before. Reading one number
    // of each cache line first, in order, lets those misses overlap. In situ, hour 12–13 at 100k clients:
    // 478–515 → 405–417 ms inside flush (docs/benchmarks.md, simulate). Never -1 (keys are times ≥ 0): the test
    // keeps the reads from being dropped.
    if (h.warm() === -1) return;
    const { metrics } = this;
    // The metrics' load window (ms): a delivery at d counts in their window floor(d / mWin).
    const mWin = metrics.loadWindow;
    const maxLat = this.kaMaxLatency;
    const ctx = this.st.locals[s]!.ctx as SupernodeContext;
    // countLoad, as the supernode's Keepalive transition does it (overloadThreshold 0: no load count).
    const counts = this.thr[s] > 0;
    // A client whose keepaliveInterval exceeds this fits whatever its latencies (alwaysFits).
    const fitsAbove = this.fitsAbove(s);
    let late: number[] | null = null;
    // The sweeps so far: a round accounted now was delivered after every one of them (each sweep flushes first);
    // as kaY puts them in an entry.
    const heardNow = this.swCount[s] * HEARD_UNIT;
    // Accumulated, written back at a firing and at the end: deliveries since the last firing (n), virtual
    // events (ve); the deliveries in the metrics' window w (nw; keys come in order, so its end wEnd only grows).
    let n = 0;
    let ve = 0;
    let w = -1;
    let wEnd = -Infinity;
    let nw = 0;
    for (;;) {
      const bDue = b >= 0 && (b < t || (b === t && order >= LATE));
      let c = -1;
      let d = Infinity;
      if (h.size) {
        c = h.topClient();
        d = h.topKey();
        if (!(d < t || (d === t && kaOrder(1, c) < order))) { c = -1; d = Infinity; }
      }
      if (c < 0 && !bDue) break;
      if (bDue && b < d) {
        // A loadWindow firing (a Keepalive of the same ms comes first).
        ctx.load = 0;
        this.winDelivered[s] = 0;
        n = 0;
        this.winStart[s] = b;
        b = this.lwNext[s] = b + this.loadWin[s];
        ve++;
        continue;
      }
      if (d >= wEnd) {
        if (nw) metrics.supernodeMessages(s, w, nw);
        nw = 0;
        w = Math.floor(d / mWin);
        wEnd = (w + 1) * mWin;
      }
      const x = h.topX();
      const y = h.topY();
      const T = roundStart(x);
      const iv = intervalOf(y);
      if (y > 0) {
        // d is a lower bound: the delivery is in [d, T + maxLat]. k: the largest latency with which it comes before
        // (t, order), not after the next firing and inside d's metrics window. Every latency passes when k ≥ maxLat
        // (at least 3 rounds in 4); most others' first uniform proves theirs is at most k (maxLat is ~28 medians
        // for the bundled scenarios): either way the round is accounted undrawn.
        let k = kaOrder(1, c) < order ? Math.floor(t - T) : Math.ceil(t - T) - 1;
        if (b >= 0) k = Math.min(k, Math.floor(b - T));
        k = Math.min(k, Math.ceil(wEnd - T) - 1);
        if (k < maxLat && !this.kaLatencyAtMost(c, s, T, k)) {
          h.rekeyTop(T + this.kaLatency(c, s, T), x, -y);
          continue;
        }
      }
      // Round k of c: its timer (round 0's was a real event), its Keepalive delivered at d (or in d's window, see above); the ack of round k-1.
      ve += x >= 0 ? 3 : 1;
      nw++;
      n++;
      // answerKeepalive: its silence back to 0 (heard now: see kaY, Quiet sweeps).
      const y2 = iv + heardNow;
      const T2 = T + iv;
      if (iv > fitsAbove) {
        h.rekeyTop(T2 + 1, T2, y2);
        continue;
      }
      const d2 = T2 + this.kaLatency(c, s, T2);
      if (this.roundFits(iv, s, T2, d2, c)) h.rekeyTop(d2, T2, -y2);
      else {
        h.removeAt(0);
        (late ??= []).push(c, d2, T2, -y2);
      }
    }
    if (nw) metrics.supernodeMessages(s, w, nw);
    if (counts) ctx.load += n;
    this.winDelivered[s] += n;
    this.virtualEvents += ve;
    if (late) for (let j = 0; j < late.length; j += 4) this.putBack(late[j], s, late[j + 1], late[j + 2], late[j + 3], t, order);
  }

  /**
   * Supernode `s`'s sweep timer fired at t (after flush): applies the sweep as quiet (see Quiet sweeps) when it
   * can drop nobody — `s` serves, every attachment in its list (if any) is an accelerated client's (each of them
   * is in the list: check), none of them can be silent too long (unsafe) or has a credential expired by t
   * (minExp), and the load is not past the threshold (the step's eventless overload check) — and says whether it
   * did. The step would add 1 to every silence and re-arm the timer: the count and the arm are done here, as
   * absorb arms it.
   */
  private quietSweep(s: number, l: Local, t: number): boolean {
    if (!this.accelerate || l.value !== 'serving' || this.unsafe[s] !== 0 || !(this.minExp[s] > t)) return false;
    // (An empty list too: a supernode left without clients, hundreds of them after outage-2010's cascade.)
    const ctx = l.ctx as SupernodeContext;
    if (ctx.clients.length !== this.nAcc[s]) return false;
    const th = this.thr[s];
    if (th > 0 && ctx.load > th) return false;
    this.countSweep(s, t, LATE);
    this.quietSweeps++;
    if (ctx.clients.length === 0) this.quietEmptySweeps++;
    this.pushTimer(s, KA, t + this.duration(s, KA), LATE);
    return true;
  }

  /** Counts a sweep of `s` (stepped or quiet) at (t, order); at HEARD_LIMIT sweeps its clients are put back (see kaY). */
  private countSweep(s: number, t: number, order: number): void {
    if (++this.swCount[s] === HEARD_LIMIT && this.nAcc[s] > 0) this.materialiseAll(s, t, order);
  }

  /**
   * Whether a client of keepaliveInterval `iv` whose attachment at `s` is `silent` now, and whose first round
   * starts `wait` ms from now, can never be dropped by a sweep for silence while it runs accelerated: its first
   * Keepalive arrives within wait + the latency bound, so at most floor((wait + bound) / period) + 1 sweeps come
   * before it (one when it starts now), and then it is heard at least every iv + that bound, so at most
   * floor((iv + bound) / period) + 1 sweeps come between two of its Keepalives.
   */
  private sweepSafe(s: number, iv: number, silent: number, wait: number): boolean {
    const max = this.maxSilent[s];
    const P = this.duration(s, KA);
    const bound = this.kaMaxLatency;
    return bound < P && silent + Math.floor((wait + bound) / P) + 1 <= max && Math.floor((iv + bound) / P) + 1 <= max;
  }

  /** Writes the silence of every accelerated client of `s` into its attachment (before a sweep is stepped: see Quiet sweeps). */
  private writeSilences(s: number): void {
    const h = this.snRing[s];
    for (let i = 0; i < h.size; i++) this.writeSilence(h.clientAt(i), s, heardOf(h.yAt(i)));
  }

  /**
   * Writes accelerated client `c`'s silence at its upstream `s` into its attachment: the sweeps since it was last
   * heard (when the sweep count was `heard`: its entry's, see kaY). In place: the simulator keeps no state but the
   * current one (no memo, no earlier snapshots; monitors and the trace sink read an observation while it is
   * applied), and its sweeps write silences in place too (models/in-place.ts).
   */
  private writeSilence(c: number, s: number, heard: number): void {
    (this.att[c] as { silent: number }).silent = this.swCount[s] - heard;
  }

  /** Puts every accelerated client of `s` back as real events. */
  private materialiseAll(s: number, t: number, order: number): void {
    this.flush(s, t, order);
    const h = this.snRing[s];
    while (h.size) {
      const i = h.size - 1;
      const c = h.clientAt(i), key = h.keyAt(i), x = h.xAt(i), y = h.yAt(i);
      h.removeAt(i);
      this.putBack(c, s, key, x, y, t, order);
    }
  }

  /** Puts client `c`'s keepalive round in progress back at (t, order) (see putBack). */
  private materialise(c: number, t: number, order: number): void {
    const s = this.ka[c * ACC + UP];
    this.flush(s, t, order);
    if (this.ka[c * ACC + UP] < 0) return; // put back by the flush (a late round)
    const h = this.snRing[s];
    const i = h.indexOf(c);
    const key = h.keyAt(i), x = h.xAt(i), y = h.yAt(i);
    h.removeAt(i);
    this.putBack(c, s, key, x, y, t, order);
  }

  /**
   * Puts client `c`'s keepalive round in progress, taken out of `s`'s ring
   * with its entry (key, x, y: see kaX), back at (t, order): what happened
   * before is accounted, the rest (its Keepalive or KeepaliveAck in flight,
   * its next timer) is scheduled as real events, and its state is the one an
   * exact run has (the round's timer step replayed through the model).
   */
  private putBack(c: number, s: number, key: number, x: number, y: number, t: number, order: number): void {
    const { ka } = this;
    const r = c * ACC;
    // Its silence, which nothing wrote while it ran accelerated (see Quiet sweeps), into its attachment (if it has
    // left s's list since, dropped by a sweep, the write changes nothing that is read).
    this.writeSilence(c, s, heardOf(y));
    this.unsafe[s] -= ka[r + UNSAFE];
    this.nAcc[s]--;
    if (this.nAcc[s] === 0) { this.clientsRef[s] = null; this.minExp[s] = Infinity; }
    ka[r + UP] = -1;
    const { st } = this;
    const l = st.locals[c]!;
    const interval = intervalOf(y);
    if (!this.alwaysFits(interval, s)) this.mayBeLate[s]--;
    const T = roundStart(x);
    const before = (x: number, rank: 0 | 1 | 2) => x < t || (x === t && kaOrder(rank, c) < order);
    let replayAt = -1;
    if (x >= 0) {
      // Round k-1 (k > 0): its Keepalive's delivery drawn again (counter-based: the same draw). It counts in the
      // current load window if it came after the window's start (flush: exactly when the key it was accounted at did).
      const Tp = T - interval;
      const dp = Tp + this.kaLatency(c, s, Tp);
      if (dp > this.winStart[s]) this.winDelivered[s]--;
      const ackAt = this.ackAfter(s, c, dp);
      if (before(ackAt, 2)) this.virtualEvents++;
      else { this.sendKa(s, c, ackAt); replayAt = Tp; }
    }
    if (before(T, 0)) {
      if (x >= 0) this.virtualEvents++;
      this.sendKa(c, s, y < 0 ? key : T + this.kaLatency(c, s, T));
      replayAt = T;
      this.pushKaTimer(c, T + interval);
    } else if (x >= 0) this.pushKaTimer(c, T);
    // (Round 0 not started: its timer is still queued, accelerated ahead. Round 0 accelerated at its timer's pop has started.)
    if (replayAt >= 0) {
      // Mid-round: the client has sent its Keepalive and awaits the ack (missed 1), as after its timer step.
      const r = ROLES.client.step(l, { type: 'timeout.keepalive', now: replayAt });
      if (r.next.value !== 'online' || r.outbox.length !== 1 || r.outbox[0].msg.kind !== 'Keepalive') {
        throw new Error(`keepalive acceleration: ${this.sys.topo.ids[c]}'s keepalive step is not a plain Keepalive (${r.next.value}, ${r.outbox.length} messages)`);
      }
      st.locals[c] = r.next;
    }
  }

  /** A Keepalive (client → supernode) or KeepaliveAck put on the network to arrive at `at`; lost if the receiver is down. */
  private sendKa(from: number, to: number, at: number): void {
    const { st } = this;
    const ka = this.roleCode[from] === CLIENT;
    // The fields System.send gives every in-flight message, in its order: one object shape for all (monomorphic loads at delivery).
    const m: InFlight = { mid: st.nextMid++, from, to, msg: ka ? KA_MSG : ACK_MSG, key: undefined, fpa: undefined, fpb: undefined, tid: undefined };
    // A message to a host that crashed meanwhile was dropped by the crash: it stays off the network (its delivery is a no-op).
    if (st.locals[to]?.value !== 'crashed') this.sys.put(st, m);
    this.q.push(at, Kind.Deliver, 0, 0, 0, m, ka ? kaOrder(1, from) : kaOrder(2, to));
  }

  private pushKaTimer(c: number, at: number): void {
    this.pushTimer(c, KA, at, kaOrder(0, c));
  }

  /** Arms timer `ti` of actor `idx` to fire at (at, order): queued, or deferred while its earlier entry waits (see the top of this file). */
  private pushTimer(idx: number, ti: number, at: number, order: number): void {
    const { tm } = this;
    const x = this.slotOf(idx, ti);
    // Generations are 32-bit, as the queue's payload that carries them.
    const gen = (tm[x + GEN] = (tm[x + GEN] + 1) | 0);
    if (tm[x + DEF]) {
      // The arm deferred before is superseded: in an exact run its entry pops as a no-op, if the run gets there.
      if (tm[x + DUE_AT] <= this.until) this.virtualEvents++;
      else this.laterNoOps.push(tm[x + DUE_AT]);
      tm[x + DEF] = 0;
    }
    if (this.accelerate && tm[x + QGEN] !== 0 && tm[x + QAT] <= at) {
      tm[x + DEF] = 1;
      tm[x + DUE_AT] = at;
      tm[x + DUE_ORDER] = order;
      tm[x + DUE_SEQ] = this.q.takeSeq();
      return;
    }
    this.q.push(at, Kind.Timer, idx, ti, gen, null, order);
    tm[x + QGEN] = gen;
    tm[x + QAT] = at;
  }

  /** The queued entry of the slot whose record is at x has popped while a later arm waits: that arm is queued now, sorted where an exact run has it. */
  private queueDeferred(x: number, idx: number, ti: number): void {
    const { tm } = this;
    tm[x + DEF] = 0;
    const gen = tm[x + GEN];
    this.q.pushAs(tm[x + DUE_SEQ], tm[x + DUE_AT], Kind.Timer, idx, ti, gen, null, tm[x + DUE_ORDER]);
    tm[x + QGEN] = gen;
    tm[x + QAT] = tm[x + DUE_AT];
  }

  /**
   * Where the record of timer `ti` of actor `idx` starts in tm: NT records per actor before c0, CNT from c0 on
   * (clients: half the memory of NT each, 39 MB instead of 78 at 100k clients, fewer pages touched at random).
   */
  private slotOf(idx: number, ti: number): number {
    const c0 = this.c0;
    if (idx < c0) return (idx * NT + ti) * TM;
    if (ti >= CNT) throw new Error(`engine: client ${this.sys.topo.ids[idx]} has no record for timer ${TIMERS[ti]}`);
    return (c0 * NT + (idx - c0) * CNT + ti) * TM;
  }

  /** Whether client `idx` runs a buggy version. */
  isBuggy(idx: number): boolean {
    const c = this.st.locals[idx]?.ctx as ClientContext | undefined;
    return !!c && c.cfg.params.buggyVersions.includes(c.cfg.version);
  }
}
