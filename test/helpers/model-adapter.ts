// An adapter (checker/runner/adapter.ts) whose "implementation" is the model
// itself, running free in real time: the System of checker/system with
// messages delivered after a seeded 1–3 ms latency and timers that fire after
// their (already scaled) durations. It records what happens as a
// supernode-trace, so `snc run-tests` can be tested without a real overlay,
// and it doubles as a worked example of an adapter (README, "Testing your own
// implementation").
//
// Events run on a virtual ms clock that follows the real one: an event is
// processed once its time has come, in time order, and recorded with its
// scheduled time, so a slow machine delays the run but never reorders it
// against the deadlines the checker computes. Inputs and faults happen at the
// current real time, after every event already due.
//
// Bug switches map onto the models' seeded defects (params.bugs), applied to
// the running system but not to the recording's header: the checker judges
// the run against the correct model. A client that crashes by itself (a late
// OfflineImBatch) is recorded as a `note`, not a `crash` (that event is an
// injected fault), and its host restarts after restartDelay, as the protocol
// says and as the reference overlay does.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Adapter, Input, RunningSystem, StartOptions } from '../../checker/runner/adapter.js';
import { System, type Applied } from '../../checker/system/system.js';
import type { SysState } from '../../checker/system/state.js';
import { topology } from '../../checker/system/topology.js';
import { Rng } from '../../checker/sim/rng.js';
import { sign } from '../../models/effects.js';
import { timerDuration } from '../../models/timers.js';
import type { Params } from '../../models/params.js';
import type { Header, TimerName } from '../../schemas/generated/trace.js';

/**
 * The switches and the model defect each turns on; four share their names with the
 * reference overlay's (the models have no expiry-only credential defect).
 */
const BUGS: Record<string, { note: string; params: (p: Params, versions: string[]) => Params }> = {
  'skip-capacity-check': { note: 'supernodes accept Connects beyond capacity', params: (p) => ({ ...p, bugs: [...(p.bugs ?? []), 'no-capacity-check'] }) },
  'skip-credential-check': { note: 'supernodes accept any credential, forged or expired', params: (p) => ({ ...p, bugs: [...(p.bugs ?? []), 'skip-credential-check'] }) },
  'never-reattach': { note: 'clients never reattach after losing their upstream', params: (p) => ({ ...p, bugs: [...(p.bugs ?? []), 'never-reattach'] }) },
  'keep-dead-client': { note: 'supernodes never drop silent clients', params: (p) => ({ ...p, bugs: [...(p.bugs ?? []), 'keep-dead-clients'] }) },
  'crash-on-late-im': { note: 'every client version crashes on a late OfflineImBatch', params: (p, versions) => ({ ...p, buggyVersions: [...versions] }) },
};

interface Pending { at: number; seq: number; run: () => void }

class ModelRun implements RunningSystem {
  private readonly sys: System;
  private readonly st: SysState;
  private readonly out: WriteStream;
  private readonly rng: Rng;
  private readonly t0 = performance.now();
  private readonly queue: Pending[] = [];
  private seq = 0;
  private wake: NodeJS.Timeout | undefined;
  private lastActivity = performance.now();
  private readonly timerGen = new Map<string, number>();
  private readonly drops: { from: string; to: string; kind: string }[] = [];
  private stopped = false;

  constructor(opts: StartOptions) {
    const config = opts.config;
    const clients = config.actors.flatMap((a) => (a.role === 'client' ? [a.version ?? '5.0.0.156'] : []));
    let params: Params = { ...config.params };
    for (const b of opts.bugs) params = BUGS[b].params(params, clients);
    this.sys = new System(topology(config.actors, params), [], { autoSend: true, clock: 'ms', standby: config.standby });
    this.rng = new Rng(opts.seed);
    this.out = createWriteStream(opts.record);
    const header: Header = {
      type: 'header', format: 'supernode-trace', version: 1, clock: 'ms',
      actors: config.actors.filter((a) => !config.standby?.includes(a.id)) as Header['actors'],
      ...(config.params ? { params: config.params } : {}),
      source: `test/helpers/model-adapter.ts, seed ${opts.seed}${opts.bugs.length ? `, bugs ${opts.bugs.join(',')}` : ''}`,
    };
    this.out.write(JSON.stringify(header) + '\n');
    const { state, applied } = this.sys.initial(undefined, 0);
    this.st = state;
    this.absorb(applied);
  }

  private realNow(): number { return Math.round((performance.now() - this.t0) * 1000) / 1000; }

  /** Runs every event due by now, in time order, then sleeps until the next one. */
  private pump(): void {
    clearTimeout(this.wake);
    this.wake = undefined;
    for (;;) {
      const head = this.queue[0];
      if (!head || head.at > this.realNow() || this.stopped) break;
      this.queue.shift();
      this.st.time = Math.max(this.st.time, head.at);
      head.run();
    }
    const head = this.queue[0];
    if (head && !this.stopped) this.wake = setTimeout(() => this.pump(), Math.max(0, head.at - this.realNow()));
  }

  private schedule(at: number, run: () => void): void {
    const p = { at, seq: this.seq++, run };
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > at)) i--;
    this.queue.splice(i, 0, p);
    if (i === 0) { clearTimeout(this.wake); this.wake = setTimeout(() => this.pump(), Math.max(0, at - this.realNow())); }
  }

  /** Catches up with real time, then applies `f` at the current time. */
  private now(f: (t: number) => Applied): void {
    this.pump();
    this.st.time = Math.max(this.st.time, this.realNow());
    this.absorb(f(this.st.time));
    this.pump();
  }

  /** Writes the observations and turns sends and armed timers into scheduled events. */
  private absorb(acc: Applied): void {
    const { st, sys } = this;
    for (let k = 0; k < acc.observations.length; k++) {
      const o = acc.observations[k];
      const ev = o.ev;
      if (ev.type === 'crash' && acc.observations[0].ev.type === 'deliver') {
        // The program crashed by itself: not an injected fault.
        this.out.write(JSON.stringify({ type: 'note', t: ev.t, text: `host ${ev.host} went down by itself` }) + '\n');
        const host = ev.host;
        this.schedule(ev.t + sys.topo.params.restartDelay, () => { if (st.down.has(host)) this.absorb(sys.restart(st, host, st.time)); });
        continue;
      }
      if (ev.type !== 'note') this.out.write(JSON.stringify(ev) + '\n');
      if (ev.type === 'send' || ev.type === 'deliver') this.lastActivity = performance.now();
      if (ev.type !== 'send') continue;
      const m = st.net.get(ev.mid);
      if (!m) continue; // already dropped (a partition cut it)
      const d = this.drops.findIndex((x) => x.from === ev.from && x.to === ev.to && x.kind === ev.msg.kind);
      if (d >= 0) { this.drops.splice(d, 1); sys.drop(st, m, ev.t, acc); continue; }
      this.schedule(ev.t + 1 + this.rng.int(3), () => {
        if (st.net.has(m.mid)) this.absorb(sys.deliver(st, m, st.time));
      });
    }
    for (const { idx, timers } of acc.armed) {
      const cfg = sys.topo.cfgs[idx];
      for (const timer of timers) this.arm(idx, timer, st.time + timerDuration(timer, cfg.params));
    }
  }

  private arm(idx: number, timer: TimerName, at: number): void {
    const key = `${idx}:${timer}`;
    const gen = (this.timerGen.get(key) ?? 0) + 1;
    this.timerGen.set(key, gen);
    this.schedule(at, () => {
      const l = this.st.locals[idx];
      if (this.timerGen.get(key) !== gen || !l || l.value === 'crashed' || !l.ctx.timers.includes(timer)) return;
      this.absorb(this.sys.timeout(this.st, idx, timer, this.st.time));
    });
  }

  private idx(actor: string): number {
    const i = this.sys.topo.index.get(actor);
    if (i === undefined) throw new Error(`unknown actor ${actor}`);
    return i;
  }

  async input(actor: string, input: Input): Promise<void> { this.now((t) => this.sys.input(this.st, this.idx(actor), input, t)); }
  async crash(host: string): Promise<void> { this.now((t) => this.sys.crash(this.st, host, t)); }
  async restart(host: string): Promise<void> { if (this.st.down.has(host)) this.now((t) => this.sys.restart(this.st, host, t)); }
  async drop(from: string, to: string, kind: string): Promise<void> { this.drops.push({ from, to, kind }); }

  async forge(from: string, to: string): Promise<void> {
    this.now((t) => {
      const user = this.sys.topo.cfgs[this.idx(from)].user;
      const expiresAt = this.sys.topo.params.credentialLifetime;
      // Signed with a key that is not auth's, as the explorer's adversary does.
      const credential = { user, issuedAt: 0, expiresAt, sig: sign(user, 0, expiresAt, `forger-of-${this.sys.topo.params.authKey}`) };
      const acc = this.sys.acc();
      this.sys.send(this.st, this.idx(from), this.idx(to), { kind: 'Register', credential }, t, acc);
      return acc;
    });
  }

  async partition(): Promise<void> {
    this.now((t) => {
      this.st.partitioned = true;
      const acc = this.sys.acc();
      for (const m of [...this.st.net.values()]) if (this.sys.cut(this.st, m.from, m.to)) this.sys.drop(this.st, m, t, acc);
      return acc;
    });
  }

  async heal(): Promise<void> { this.st.partitioned = false; }

  async settle(quietMs: number, maxMs: number): Promise<void> {
    const started = performance.now();
    for (;;) {
      const idle = performance.now() - this.lastActivity;
      const left = maxMs - (performance.now() - started);
      if (idle >= quietMs || left <= 0) return;
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(quietMs - idle, left))));
    }
  }

  async stop(): Promise<void> {
    this.pump();
    this.stopped = true;
    clearTimeout(this.wake);
    const t = Math.max(this.st.time, this.realNow());
    this.st.locals.forEach((l, i) => {
      if (!l) return;
      const upstream = this.sys.topo.roles[i] === 'client' ? { upstream: l.value === 'online' ? (l.ctx as unknown as { target: string | null }).target : null } : {};
      this.out.write(JSON.stringify({ type: 'observe', t, actor: this.sys.topo.ids[i], state: l.value, ...upstream }) + '\n');
    });
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

/** The model as an implementation. */
const modelAdapter: Adapter = {
  name: 'model',
  bugs: Object.fromEntries(Object.entries(BUGS).map(([k, v]) => [k, v.note])),
  async start(opts: StartOptions): Promise<RunningSystem> {
    for (const b of opts.bugs) if (!BUGS[b]) throw new Error(`unknown bug switch ${b}`);
    return new ModelRun(opts);
  },
};

export default modelAdapter;
