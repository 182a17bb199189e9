// The discrete-event simulator: drives the same System (checker/system) and
// fast local steps as the explorer and the checker, on a millisecond clock.
// Events wait in a heap keyed by (time, seq): message deliveries after a
// seeded latency, timers after timerDuration (a generation per (actor, timer)
// makes a re-armed or cancelled timer's old firing a no-op), user behaviour
// (logins, logouts, retries after a failure, lookups), host restarts after
// restartDelay, and the scenario's scheduled faults and operator actions.
// Every applied event's observations go to the metrics, the property
// monitors (inside System) and an optional trace sink.
import type { ClientContext, Local } from '../../models/index.js';
import { timerDuration } from '../../models/timers.js';
import type { TimerName } from '../../schemas/generated/trace.js';
import { System, type Applied, type Observation } from '../system/system.js';
import type { InFlight, SysState } from '../system/state.js';
import { topology, type Topology } from '../system/topology.js';
import type { PropertyInstance, Verdict } from '../props/types.js';
import { EventQueue, Kind, type Queued } from './heap.js';
import { Rng, drawLatency } from './rng.js';
import { Metrics } from './metrics.js';
import { AUTH_ID, IM_ID, buildPopulation, type Population } from './population.js';
import type { SimScenario } from './scenario.js';

const TIMERS: readonly TimerName[] = ['connect', 'retry', 'login', 'keepalive', 'renew', 'im', 'query', 'warmup', 'cooldown', 'loadWindow', 'join', 'reply'];
const NT = TIMERS.length;
const TIMER_INDEX = new Map(TIMERS.map((t, i) => [t, i]));

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

export class Simulator {
  readonly sys: System;
  readonly st: SysState;
  readonly pop: Population;
  readonly metrics: Metrics;
  readonly tallies = new Map<string, PropertyTally>();
  events = 0;

  private readonly q = new EventQueue();
  private readonly net: Rng;
  private readonly users: Rng;
  private readonly faults: Rng;
  private readonly timerGen: Int32Array;
  private readonly userGen: Int32Array;
  private readonly hostGen = new Map<string, number>();
  private readonly clientIdx: number[];
  private readonly regularIdx: number[];
  private readonly megaQueue: number[];
  private noRestart = false;
  private readonly restartDelay: number;

  /** What happened at time 0, before any sink could be attached (the supernodes' first PeerHellos). */
  initialObservations: readonly Observation[] = [];

  constructor(readonly sc: SimScenario, props: readonly PropertyInstance[], readonly seed: number, private readonly sink?: ObservationSink) {
    const root = new Rng(seed);
    this.pop = buildPopulation(sc, root.fork(1));
    this.net = root.fork(2);
    this.users = root.fork(3);
    this.faults = root.fork(4);
    const topo = scaleMegaThreshold(topology(this.pop.actors, sc.params), sc.megaCapacity);
    this.sys = new System(topo, props, { autoSend: true, clock: 'ms', standby: this.pop.mega });
    this.timerGen = new Int32Array(topo.ids.length * NT);
    this.userGen = new Int32Array(topo.ids.length);
    this.clientIdx = this.pop.clientIds.map((id) => topo.index.get(id)!);
    this.regularIdx = this.pop.supernodeIds.map((id) => topo.index.get(id)!);
    this.megaQueue = this.pop.mega.map((id) => topo.index.get(id)!);
    this.metrics = new Metrics(topo, sc.resolved.loadWindow, new Set(this.megaQueue));
    this.restartDelay = sc.resolved.restartDelay;
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
    while (this.q.peekTime() <= until) {
      const e = this.q.pop()!;
      this.st.time = e.t;
      this.apply(e);
      this.events++;
      if (onProgress && (this.events & 0xffff) === 0) onProgress({ t: e.t, duration: this.sc.duration, events: this.events, seconds: (Date.now() - started) / 1000 });
    }
    this.st.time = until;
  }

  private apply(e: Queued): void {
    const { sys, st } = this;
    const t = e.t;
    switch (e.kind) {
      case Kind.Deliver: {
        const m = e.m as InFlight;
        if (!st.net.has(m.mid)) return; // lost when its receiver's host crashed
        const to = st.locals[m.to];
        if (to && to.value !== 'crashed') {
          if (sys.topo.roles[m.to] === 'supernode') this.metrics.supernodeMessage(m.to, t);
          else if (m.msg.kind === 'LoginRequest') this.metrics.loginRequest();
        }
        this.absorb(sys.deliver(st, m, t), t);
        return;
      }
      case Kind.Timer: {
        if (this.timerGen[e.a * NT + e.b] !== e.c) return;
        const l = st.locals[e.a];
        const timer = TIMERS[e.b];
        if (!l || l.value === 'crashed' || !l.ctx.timers.includes(timer)) return;
        this.absorb(sys.timeout(st, e.a, timer, t), t);
        return;
      }
      case Kind.Login: {
        if (this.userGen[e.a] !== e.c) return;
        const l = st.locals[e.a];
        if (!l || (l.value !== 'offline' && l.value !== 'failed')) return;
        const sm = this.sc.users.sessionMean;
        if (sm !== null) this.q.push(t + Math.max(1, Math.round(this.users.exp(sm))), Kind.Logout, e.a, 0, this.userGen[e.a]);
        this.absorb(sys.input(st, e.a, { kind: 'Login' }, t), t);
        return;
      }
      case Kind.Logout: {
        if (this.userGen[e.a] !== e.c) return;
        const l = st.locals[e.a];
        if (l?.value === 'online') this.absorb(sys.input(st, e.a, { kind: 'Logout' }, t), t);
        else if (l && l.value !== 'offline' && l.value !== 'failed') this.q.push(t + Math.max(1, Math.round(this.users.exp(this.sc.users.sessionMean ?? 0))), Kind.Logout, e.a, 0, e.c);
        return;
      }
      case Kind.Restart: {
        const host = e.m as string;
        if (this.hostGen.get(host) !== e.c || !st.down.has(host)) return;
        this.absorb(sys.restart(st, host, t), t);
        return;
      }
      case Kind.Crash: this.crashHost(e.m as string, t, true); return;
      case Kind.Action: this.action(e.a, t); return;
      case Kind.Sample:
        this.metrics.sample(st, t);
        if (t + this.sc.sample <= this.sc.duration) this.q.push(t + this.sc.sample, Kind.Sample);
        return;
      case Kind.Lookup: {
        const i = this.clientIdx[this.users.int(this.clientIdx.length)];
        const other = this.pop.clientIds[this.users.int(this.clientIdx.length)];
        if (st.locals[i]?.value === 'online') this.absorb(sys.input(st, i, { kind: 'Lookup', user: `u${other.slice(1)}` }, t), t);
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
        this.absorb(sys.input(st, idx, { kind: 'SetMode', mode: a.mode }, t), t);
        return;
      }
      case 'add-mega': {
        for (let n = 0; n < a.count && this.megaQueue.length; n++) this.absorb(sys.join(st, this.megaQueue.shift()!, t), t);
        return;
      }
    }
  }

  private crashHost(host: string, t: number, restart: boolean): void {
    if (this.st.down.has(host)) return;
    this.noRestart = !restart;
    this.absorb(this.sys.crash(this.st, host, t), t);
    this.noRestart = false;
  }

  /** Takes in the effects of one applied event: schedules deliveries, timers, restarts and user reactions. */
  private absorb(acc: Applied, t: number): void {
    const { st } = this;
    const obs = acc.observations;
    for (let k = 0; k < obs.length; k++) {
      const o = obs[k];
      const ev = o.ev;
      if (ev.type === 'send') {
        const m = st.net.get(ev.mid);
        if (m) {
          if (this.sc.loss > 0 && this.net.chance(this.sc.loss)) this.sys.drop(st, m, t, acc);
          else this.q.push(t + drawLatency(this.net, this.sc.latency), Kind.Deliver, 0, 0, 0, m);
        }
      } else if (ev.type === 'crash' && !this.noRestart) {
        const gen = (this.hostGen.get(ev.host) ?? 0) + 1;
        this.hostGen.set(ev.host, gen);
        this.q.push(t + this.restartDelay, Kind.Restart, 0, 0, gen, ev.host);
      }
      for (const tc of o.touched) this.touched(tc.idx, tc.before, tc.after, ev.type === 'deliver', t);
      this.sink?.observe(o);
    }
    for (const v of acc.verdicts) {
      const tally = this.tallies.get(v.property)!;
      tally.count++;
      tally.first ??= { ...v, t };
    }
    for (const { idx, timers } of acc.armed) {
      const cfg = this.sys.topo.cfgs[idx];
      for (const timer of timers) {
        const slot = idx * NT + TIMER_INDEX.get(timer)!;
        const gen = ++this.timerGen[slot];
        this.q.push(t + timerDuration(timer, cfg.params), Kind.Timer, idx, TIMER_INDEX.get(timer)!, gen);
      }
    }
  }

  private touched(idx: number, before: Local | null, after: Local | null, byMessage: boolean, t: number): void {
    const b = before?.value;
    const a = after?.value;
    if (b === a) return;
    this.metrics.transition(idx, b, a, t);
    if (this.sys.topo.roles[idx] !== 'client') return;
    if (a === 'crashed' && byMessage) this.metrics.crashedClients.add(idx);
    // The user reacts: a failed login is retried, a logout is followed by a later login.
    const u = this.sc.users;
    if (a === 'failed') this.scheduleLogin(idx, t + Math.max(1, Math.round(this.users.exp(u.retryMean))));
    else if (a === 'offline') this.scheduleLogin(idx, t + Math.max(1, Math.round(this.users.exp(u.sessionMean === null ? u.retryMean : u.offlineMean))));
  }

  private scheduleLogin(idx: number, at: number): void {
    this.q.push(at, Kind.Login, idx, 0, ++this.userGen[idx]);
  }

  /** Whether client `idx` runs a buggy version. */
  isBuggy(idx: number): boolean {
    const c = this.st.locals[idx]?.ctx as ClientContext | undefined;
    return !!c && c.cfg.params.buggyVersions.includes(c.cfg.version);
  }
}
