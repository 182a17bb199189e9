// Local steps per second of the role machines, three ways, on one workload:
//  - XState's pure `transition(machine, snapshot, event)` (creates an inert actor
//    scope per call),
//  - `machine.transition(snapshot, event, scope)` with one scope reused for
//    every call (a scope around `createEmptyActor()`),
//  - the compiled fast step `role.step(local, event)` (models/role.ts).
// The workload (default 1M events) comes from a small seeded simulation of many
// distinct actors (1000 clients, 50 supernodes, auth, im): logins, connects and
// acks, registrations, keepalives, lookups with mesh queries, timeouts, a few
// crashes. Events and the local state each applies to are generated before
// timing, so the timed loops only step. Each figure is the median of 3 runs.
//
//   npx tsx bench/models.ts [--events 1000000] [--xstate 20000] [--scope 100000]
//   npm run bench -- models
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { transition, createEmptyActor } from 'xstate';
import { ROLES, actorConfigs, type Local, type ModelEvent } from '../models/index.js';
import type { Role as RoleDef } from '../models/role.js';
import type { Actor, Message, Outgoing, TimerName } from '../models/types.js';
import { timeoutType } from '../models/event-types.js';
import { mulberry32 } from '../checker/sim/rng.js';

interface Workload {
  readonly roles: RoleDef<any>[];
  /** The local state event `i` applies to. */
  readonly locals: Local<any>[];
  readonly events: ModelEvent[];
  /** The actor (index into `initial`) event `i` goes to. */
  readonly actorOf: Int32Array;
  /** Every actor's initial local state. */
  readonly initial: Local<any>[];
  readonly actors: number;
  readonly mix: Map<string, number>;
}


/** A pending happening of the simulation: a message, a timer, a user input or a host crash/restart. */
interface Pending { t: number; seq: number; actor: number; ev?: ModelEvent; timer?: TimerName; gen?: number; user?: true }

/** Binary min-heap on (t, seq): deterministic order for equal times. */
class Agenda {
  private h: Pending[] = [];
  private seq = 0;
  get size() { return this.h.length; }
  push(p: Omit<Pending, 'seq'>): void {
    const h = this.h; const x = { ...p, seq: this.seq++ } as Pending;
    let i = h.push(x) - 1;
    while (i > 0) { const j = (i - 1) >> 1; if (!less(x, h[j])) break; h[i] = h[j]; i = j; }
    h[i] = x;
  }
  pop(): Pending {
    const h = this.h; const top = h[0]; const last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1; const r = l + 1;
        let m = l < h.length && less(h[l], last) ? l : -1;
        if (r < h.length && less(h[r], m < 0 ? last : h[l])) m = r;
        if (m < 0) break;
        h[i] = h[m]; i = m;
      }
      h[i] = last;
    }
    return top;
  }
}
const less = (a: Pending, b: Pending) => a.t < b.t || (a.t === b.t && a.seq < b.seq);

/**
 * Simulates `clients` clients and `supernodes` supernodes in model time with the
 * fast step until `n` events have happened, and records for each event the role,
 * the local state before it, and the event. Messages take 5–55 ms; timers fire
 * after their parameter's duration unless disarmed or re-armed; each user logs
 * in during the first 10 minutes and then acts every ~20 minutes (mostly a
 * lookup, which floods the mesh with Query/QueryResult; now and then a logout); a host crashes now and then and restarts after restartDelay.
 */
export function workload(n: number, clients = 1000, supernodes = 50, seed = 2010): Workload {
  const rnd = mulberry32(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const sn = Array.from({ length: supernodes }, (_, i) => `s${i + 1}`);
  const header: Actor[] = [
    { id: 'auth', role: 'auth' },
    { id: 'im', role: 'im' },
    ...sn.map((id, i): Actor => ({ id, role: 'supernode', host: `hs${i + 1}`, mega: i < 2, peers: [sn[(i + 1) % supernodes], sn[(i + 7) % supernodes]] })),
    ...Array.from({ length: clients }, (_, i): Actor => ({
      id: `c${i + 1}`, role: 'client', host: `hc${i + 1}`, user: `u${i + 1}`, version: i % 2 ? '5.0.0.152' : '5.0.0.156',
      hostCache: Array.from({ length: 4 + int(6) }, () => sn[int(supernodes)]).filter((x, j, a) => a.indexOf(x) === j),
    })),
  ];
  const cfgs = actorConfigs(header, { hostCacheMax: 20, capacity: 100 });
  const P = cfgs[0].params;
  const duration: Record<TimerName, number> = {
    connect: P.connectTimeout, retry: P.retryWait, login: P.loginTimeout, keepalive: P.keepaliveInterval,
    renew: P.credentialLifetime - P.renewBefore, im: P.imTimeout, query: P.queryTimeout, warmup: P.warmup,
    cooldown: P.cooldown, loadWindow: P.loadWindow, join: 5_000, reply: 20_000,
  };
  const index = new Map(cfgs.map((c, i) => [c.id, i]));
  const roleOf = cfgs.map((c) => ROLES[c.role]);
  const state: Local<any>[] = [];
  const gen = cfgs.map(() => new Map<TimerName, number>());
  const agenda = new Agenda();
  const effects = (i: number, now: number, outbox: readonly Outgoing[], armed: readonly TimerName[]) => {
    for (const o of outbox) {
      const to = index.get(o.to);
      if (to !== undefined) agenda.push({ t: now + 5 + int(50), actor: to, ev: { type: o.msg.kind, from: cfgs[i].id, msg: o.msg as Message, now: 0 } as ModelEvent });
    }
    for (const timer of armed) {
      const g = (gen[i].get(timer) ?? 0) + 1;
      gen[i].set(timer, g);
      agenda.push({ t: now + duration[timer], actor: i, timer, gen: g });
    }
  };
  cfgs.forEach((cfg, i) => { const r = roleOf[i].init(cfg, 0); state.push(r.next); effects(i, 0, r.outbox, r.armed); });
  const initial = [...state];
  const actorOf = new Int32Array(n);
  const firstClient = 2 + supernodes;
  for (let i = firstClient; i < cfgs.length; i++) agenda.push({ t: int(600_000), actor: i, user: true });

  const roles: RoleDef<any>[] = [];
  const locals: Local<any>[] = [];
  const events: ModelEvent[] = [];
  const mix = new Map<string, number>();
  const apply = (i: number, ev: ModelEvent) => {
    actorOf[events.length] = i;
    roles.push(roleOf[i]); locals.push(state[i]); events.push(ev);
    mix.set(ev.type, (mix.get(ev.type) ?? 0) + 1);
    const r = roleOf[i].step(state[i], ev);
    state[i] = r.next;
    effects(i, ev.now, r.outbox, r.armed);
  };
  while (events.length < n && agenda.size > 0) {
    const p = agenda.pop();
    const i = p.actor; const now = p.t;
    if (p.ev) { apply(i, { ...p.ev, now }); continue; }
    if (p.timer) {
      if (gen[i].get(p.timer) === p.gen && state[i].ctx.timers.includes(p.timer)) apply(i, { type: timeoutType(p.timer), now } as ModelEvent);
      continue;
    }
    if (p.user) {
      agenda.push({ t: now + 1 + int(2_400_000), actor: i, user: true });
      const v = state[i].value; const u = rnd();
      if (v === 'offline' || v === 'failed') apply(i, { type: 'input.Login', input: { kind: 'Login' }, now });
      else if (v === 'online' && u < 0.97) apply(i, { type: 'input.Lookup', input: { kind: 'Lookup', user: `u${1 + int(clients)}` }, now });
      else if (v === 'online') apply(i, { type: 'input.Logout', input: { kind: 'Logout' }, now });
      // A host crashes now and then (about one user action in 2000) and restarts after restartDelay.
      if (u < 0.0005) {
        const h = 2 + int(supernodes + clients);
        if (state[h].value !== 'crashed') { apply(h, { type: 'crash', now }); agenda.push({ t: now + P.restartDelay, actor: h, ev: { type: 'restart', now: 0 } }); }
      }
    }
  }
  return { roles, locals, events, actorOf: actorOf.subarray(0, events.length), initial, actors: cfgs.length, mix };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Rate { wall: number; cpu: number }
/**
 * Median steps per wall-clock second and per CPU second of this process over
 * `repeats` runs of `body` on `count` events. The CPU figure holds up better
 * when other processes share the machine (it includes V8's GC helper threads).
 */
function rate(count: number, repeats: number, body: () => number): Rate {
  const wall: number[] = [];
  const cpu: number[] = [];
  let sink = 0;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    sink += body();
    const c = process.cpuUsage(c0);
    wall.push(count / ((performance.now() - t0) / 1000));
    cpu.push(count / ((c.user + c.system) / 1e6));
  }
  if (sink < 0) console.log(sink); // keep the loops observable
  return { wall: median(wall), cpu: median(cpu) };
}

const flag = (args: string[], name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

/** Runs the benchmark and prints steps/s for each way to step, with the ratios. */
export async function run(args: string[] = []): Promise<void> {
  const n = flag(args, 'events', 1_000_000);
  const nx = Math.min(n, flag(args, 'xstate', 20_000));
  const ns = Math.min(n, flag(args, 'scope', 100_000));
  const repeats = flag(args, 'repeats', 3);
  const t0 = performance.now();
  // The generator keeps every state it makes, so V8 would learn to allocate the models'
  // objects straight in the old generation (allocation-site pretenuring); the timed loops
  // drop every result, and would then pay for that lesson in slow scavenges (~3x).
  // Building the workload with pretenuring off leaves the timed loops V8's default behaviour.
  setFlagsFromString('--no-allocation-site-pretenuring');
  const w = workload(n);
  setFlagsFromString('--allocation-site-pretenuring');
  const top = [...w.mix.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${((100 * v) / n).toFixed(1)}%`).join(', ');
  console.log(`models: workload of ${fmt(n)} events over ${w.actors} actors built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  mix: ${top}, … (${w.mix.size} event types)`);

  // XState snapshots of the same local states, resolved before timing.
  const snaps = (k: number) => w.locals.slice(0, k).map((l, i) => w.roles[i].machine.resolveState({ value: l.value, context: l.ctx }));
  const xSnaps = snaps(Math.max(nx, ns));
  const self = createEmptyActor();
  const scope = {
    self, id: '', sessionId: '', system: self.system,
    logger: () => {}, defer: () => {}, stopChild: () => {}, emit: () => {}, actionExecutor: () => {},
  };
  // The three ways must agree on the subset (a cheap guard against timing a wrong path).
  for (let i = 0; i < Math.min(1000, nx); i++) {
    const a = transition(w.roles[i].machine, xSnaps[i], w.events[i] as any)[0].value;
    const b = w.roles[i].machine.transition(xSnaps[i], w.events[i], scope).value;
    const c = w.roles[i].step(w.locals[i], w.events[i]).next.value;
    if (a !== b || a !== c) throw new Error(`bench/models: the three steps disagree at event #${i} (${w.events[i].type}): ${a} / ${b} / ${c}`);
  }

  const { roles, locals, events } = w;
  const xstate = rate(nx, repeats, () => {
    let s = 0;
    for (let i = 0; i < nx; i++) s += (transition(roles[i].machine, xSnaps[i], events[i] as any)[0] as any).context.outbox.length;
    return s;
  });
  const scoped = rate(ns, repeats, () => {
    let s = 0;
    for (let i = 0; i < ns; i++) s += roles[i].machine.transition(xSnaps[i], events[i], scope).context.outbox.length;
    return s;
  });
  const fast = rate(n, repeats, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += roles[i].step(locals[i], events[i]).outbox.length;
    return s;
  });
  // The simulator's and trace checker's pattern: each actor's current state, replaced by
  // every step (the working set is ~1000 small states, not a million stored ones).
  const { actorOf, initial } = w;
  const live = rate(n, repeats, () => {
    const st = initial.slice();
    let s = 0;
    for (let i = 0; i < n; i++) { const r = roles[i].step(st[actorOf[i]], events[i]); st[actorOf[i]] = r.next; s += r.outbox.length; }
    return s;
  });
  const line = (name: string, r: Rate, note: string) =>
    console.log(`  ${name.padEnd(38)} ${fmt(r.wall).padStart(7)} steps/s  ${fmt(r.cpu).padStart(7)} per CPU-s  ${note}`);
  line('XState transition()', xstate, `(${fmt(nx)} events)`);
  line('machine.transition(s, e, reused scope)', scoped, `(${fmt(ns)} events)`);
  line('fast step (models/role.ts)', fast, `(${fmt(n)} events; goal ≥ 3M)`);
  line('fast step, replayed live (simulator)', live, `(${fmt(n)} events on each actor's current state)`);
  const ratio = (a: Rate, b: Rate) => `${(a.wall / b.wall).toFixed(1)}x (CPU ${(a.cpu / b.cpu).toFixed(1)}x)`;
  console.log(`  fast / transition() ${ratio(fast, xstate)}, fast / reused scope ${ratio(fast, scoped)}, reused scope / transition() ${ratio(scoped, xstate)}; medians of ${repeats}`);
  const perRole = Object.keys(ROLES).map((name) => {
    const idx = events.flatMap((_, i) => (roles[i].name === name ? [i] : []));
    if (idx.length === 0) return `${name} -`;
    const r = rate(idx.length, repeats, () => { let s = 0; for (const i of idx) s += roles[i].step(locals[i], events[i]).outbox.length; return s; });
    return `${name} ${fmt(r.wall)}/s (${fmt(r.cpu)} per CPU-s) on ${((100 * idx.length) / n).toFixed(0)}% of events`;
  });
  console.log(`  fast step by role: ${perRole.join(', ')}`);
  console.log(`  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on this machine (other processes slow every figure alike)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run(process.argv.slice(2));
