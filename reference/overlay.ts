// The reference overlay as one running system: builds the actors of a
// SystemConfig (auth, im, supernodes, clients, each a TCP server in this
// process), wires them to the network and the recorder, and offers the
// faults (host crash and restart, drop, delay, partition, forged Register),
// `settle`, and `stop` (one `observe` per actor, then the recording closes).
// Every send is recorded before it is written to the socket; every deliver
// when the receiver handles it; timeouts are not recorded (see runtime.ts).
import type { Actor as HeaderActor, Input, Message, Params } from '../schemas/generated/trace.js';
import type { SystemConfig } from '../schemas/generated/testcases.js';
import { DEFAULT_PARAMS, resolveParams, type ResolvedParams } from '../models/params.js';
import { actorConfigs } from '../models/index.js';
import { Runtime } from './runtime.js';
import { Endpoint, forget, transmit, type Frame } from './net.js';
import { Actor, Auth, BUGS, Client, Im, Supernode, signCredential, type ActorSpec, type BugSwitch, type Services } from './roles.js';

/** A problem with what the overlay was asked to do (unknown actor, host, bug): code REF001. */
export class OverlayError extends Error {
  readonly code = 'REF001';
}

/**
 * The durations the overlay runs with unless told otherwise: the models'
 * defaults scaled down about 100x (and made pairwise distinct, so that no two
 * timers armed by one event share a deadline).
 */
export const REFERENCE_PARAMS: Params = {
  connectTimeout: 50, retryWait: 60, loginTimeout: 110, keepaliveInterval: 120, missedKeepalives: 3,
  queryTimeout: 40, loadWindow: 1000, cooldown: 600, warmup: 300, promotionUptime: 1000,
  credentialLifetime: 600_000, renewBefore: 60_000, imTimeout: 100, imSlowDelay: 300, restartDelay: 400,
};

export interface OverlayOptions {
  readonly config: SystemConfig;
  /** Recording file (NDJSON supernode-trace, clock ms); none: not recorded. */
  readonly record?: string;
  readonly bugs?: readonly string[];
  readonly seed?: number;
  /** Free text for the header's `source`. */
  readonly source?: string;
}

/** The header actors with the trace format's defaults applied: the same rules the checker's models read the header by. */
export function actorSpecs(actors: readonly HeaderActor[], p: ResolvedParams): ActorSpec[] {
  return actorConfigs(actors, p).map(({ params: _p, ...spec }) => spec);
}

interface Rule { from: string; to: string; kind?: string }

export class Overlay {
  readonly rt: Runtime;
  readonly params: ResolvedParams;
  readonly bugs: ReadonlySet<BugSwitch>;
  readonly actors: Actor[] = [];
  private readonly byId = new Map<string, Actor>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly hosts = new Map<string, Actor[]>();
  private readonly down = new Set<string>();
  private readonly drops: Rule[] = [];
  private readonly delays: (Rule & { ms: number })[] = [];
  private readonly pending = new Set<NodeJS.Timeout>();
  private meshHalf = new Set<string>();
  private partitioned = false;
  private mids = 0;
  private stopped = false;
  /** Unexpected errors inside handlers (a bug of the overlay): reported by stop(). */
  readonly errors: unknown[] = [];
  private readonly adversary: Endpoint;
  /** Standby actors that joined, in order (after the header's in every derived configuration). */
  private readonly joined: HeaderActor[] = [];

  private constructor(readonly opts: OverlayOptions, readonly headerActors: readonly HeaderActor[]) {
    const bugs = opts.bugs ?? [];
    for (const b of bugs) if (!(b in BUGS)) throw new OverlayError(`unknown bug switch ${JSON.stringify(b)}; known: ${Object.keys(BUGS).join(', ')}`);
    this.bugs = new Set(bugs as BugSwitch[]);
    // The model variant list (params.bugs) is the checker's business: the overlay's defects are its bug switches.
    const { bugs: _modelBugs, ...given } = opts.config.params ?? {};
    void _modelBugs;
    this.params = resolveParams(DEFAULT_PARAMS, given);
    this.rt = new Runtime(opts.record, (err) => this.errors.push(err));
    this.adversary = new Endpoint('adversary', () => {}, () => {});
  }

  /** Starts every actor of `opts.config` (standby actors are left out) and records the header. */
  static async start(opts: OverlayOptions): Promise<Overlay> {
    const standby = new Set(opts.config.standby ?? []);
    const headerActors = opts.config.actors.filter((a) => !standby.has(a.id)) as HeaderActor[];
    const ov = new Overlay(opts, headerActors);
    await ov.build();
    return ov;
  }

  /** What every actor gets from the overlay (made on first use: the constructor sets rt, params and bugs). */
  private get svc(): Services {
    return this.services ??= {
      rt: this.rt, params: this.params, bugs: this.bugs,
      send: (from, to, msg) => this.send(from.id, to, msg),
      selfCrash: (actor, why) => this.selfCrash(actor, why),
    };
  }
  private services: Services | undefined;

  /** Creates the actor of `s` with its endpoint (not listening yet). */
  private add(s: ActorSpec): Actor {
    const svc = this.svc;
    const a = s.role === 'client' ? new Client(s, svc) : s.role === 'supernode' ? new Supernode(s, svc) : s.role === 'auth' ? new Auth(s, svc) : new Im(s, svc);
    this.actors.push(a);
    this.byId.set(s.id, a);
    const on = this.hosts.get(s.host) ?? [];
    on.push(a);
    this.hosts.set(s.host, on);
    const ep = new Endpoint(s.id, (f) => this.onFrame(a, f), (why) => this.errors.push(new Error(`${s.id}: bad frame: ${why}`)));
    this.endpoints.set(s.id, ep);
    return a;
  }

  private async build(): Promise<void> {
    const specs = actorSpecs(this.headerActors, this.params);
    const ids = new Set<string>();
    for (const s of specs) {
      if (ids.has(s.id)) throw new OverlayError(`duplicate actor id ${JSON.stringify(s.id)}`);
      ids.add(s.id);
      this.add(s);
    }
    for (const s of specs) {
      if (s.role !== 'client') continue;
      // A standby supernode may be named before it joins (the model cannot judge it either until then).
      for (const h of s.hostCache) if (!ids.has(h) && !(this.opts.config.standby ?? []).includes(h)) throw new OverlayError(`client ${s.id}: host cache names unknown actor ${JSON.stringify(h)}`);
    }
    const sns = specs.filter((s) => s.role === 'supernode').map((s) => s.id);
    this.meshHalf = new Set(sns.slice(0, Math.ceil(sns.length / 2)));
    await Promise.all([...this.endpoints.values()].map((e) => e.listen()));
    const { bugs: _b, ...params } = this.params;
    void _b;
    this.rt.header({
      type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: this.headerActors, params,
      source: this.opts.source ?? `reference overlay (reference/), seed ${this.opts.seed ?? 0}, bug switches: ${[...this.bugs].join(', ') || 'none'}`,
    });
    // Everyone starts at time 0, in header order, as the model does.
    this.rt.stamp = 0;
    for (const a of this.actors) this.guard(() => a.start(0));
  }

  // ─── the network ─────────────────────────────────────────────────────────

  private send(from: string, to: string, msg: Message): void {
    if (this.stopped) return;
    const mid = `m${++this.mids}`;
    this.rt.record({ type: 'send', from, to, mid, msg });
    const k = this.drops.findIndex((r) => r.from === from && r.to === to && (r.kind === undefined || r.kind === msg.kind));
    const cut = this.partitioned && this.byId.get(from)?.spec.role === 'supernode' && this.byId.get(to)?.spec.role === 'supernode' && this.meshHalf.has(from) !== this.meshHalf.has(to);
    if (k >= 0 || cut) {
      if (k >= 0) this.drops.splice(k, 1);
      this.rt.record({ type: 'drop', mid });
      return;
    }
    const frame: Frame = { from, mid, msg };
    const delay = this.delays.find((r) => r.from === from && r.to === to && (r.kind === undefined || r.kind === msg.kind));
    if (delay) this.later(delay.ms, () => this.wire(from, to, frame));
    else this.wire(from, to, frame);
  }

  private wire(from: string, to: string, frame: Frame): void {
    const ep = this.endpoints.get(from) ?? this.adversary;
    transmit(ep, to, this.endpoints.get(to)?.port ?? 0, frame);
  }

  private onFrame(a: Actor, f: Frame): void {
    if (this.stopped || a.crashed) return;
    this.guard(() => {
      const t = this.rt.gate();
      if (a.crashed) return;
      this.rt.record({ type: 'deliver', mid: f.mid }, t);
      a.deliver(f.from, f.msg, t);
    });
  }

  private guard(fn: () => void): void {
    try { fn(); } catch (err) { this.errors.push(err); }
  }

  private later(ms: number, fn: () => void): void {
    const h = setTimeout(() => { this.pending.delete(h); if (!this.stopped) this.guard(fn); }, ms);
    this.pending.add(h);
  }

  // ─── inputs and faults ───────────────────────────────────────────────────

  actor(id: string): Actor {
    const a = this.byId.get(id);
    if (!a) throw new OverlayError(`unknown actor ${JSON.stringify(id)}; actors: ${[...this.byId.keys()].join(', ')}`);
    return a;
  }

  client(id: string): Client {
    const a = this.actor(id);
    if (!(a instanceof Client)) throw new OverlayError(`${id} is not a client`);
    return a;
  }

  supernode(id: string): Supernode {
    const a = this.actor(id);
    if (!(a instanceof Supernode)) throw new OverlayError(`${id} is not a supernode`);
    return a;
  }

  get clients(): Client[] { return this.actors.filter((a): a is Client => a instanceof Client); }
  get supernodes(): Supernode[] { return this.actors.filter((a): a is Supernode => a instanceof Supernode); }

  /** A user or operator input. An input to a crashed actor is not possible: it is noted, not applied. */
  input(actor: string, input: Input): void {
    const a = this.actor(actor);
    this.guard(() => {
      const t = this.rt.gate();
      if (a.crashed) { this.rt.record({ type: 'note', text: `input ${input.kind} to ${actor} ignored: its host is down` }, t); return; }
      this.rt.record({ type: 'input', actor, input }, t);
      a.input(input, t);
    });
  }

  private members(host: string): Actor[] {
    const on = this.hosts.get(host);
    if (!on) throw new OverlayError(`unknown host ${JSON.stringify(host)}; hosts: ${[...this.hosts.keys()].join(', ')}`);
    if (on.some((a) => a.spec.role === 'auth' || a.spec.role === 'im')) throw new OverlayError(`host ${host} runs ${on.map((a) => a.id).join(', ')}: only client and supernode hosts crash (use SetMode for auth and im)`);
    return on;
  }

  /** Stops `host` abruptly: its sockets are destroyed, its actors lose their memory. */
  crash(host: string): void {
    const on = this.members(host);
    if (this.down.has(host)) return;
    this.guard(() => {
      const t = this.rt.gate();
      this.rt.record({ type: 'crash', host }, t);
      this.kill(host, on);
    });
  }

  private kill(host: string, on: Actor[]): void {
    this.down.add(host);
    for (const a of on) {
      this.endpoints.get(a.id)!.kill();
      for (const ep of this.endpoints.values()) forget(ep, a.id);
      forget(this.adversary, a.id);
      a.crash(this.rt.stamp);
    }
  }

  /**
   * The program crashed by itself (a client bug). The recorder notes it but
   * writes no `crash`: that event is an injected fault, and whether the program
   * may crash here is the model's call. The host restarts after restartDelay.
   */
  private selfCrash(a: Actor, why: string): void {
    const host = a.spec.host;
    this.rt.record({ type: 'note', text: `${why}; host ${host} went down by itself` });
    this.kill(host, this.hosts.get(host)!);
    this.later(this.params.restartDelay, () => { void this.restart(host).catch((err) => this.errors.push(err)); });
  }

  /** Starts a crashed host again (fresh ports); its client logs in again by itself. */
  async restart(host: string): Promise<void> {
    const on = this.members(host);
    if (!this.down.has(host) || this.stopped) return;
    this.down.delete(host);
    await Promise.all(on.map((a) => this.endpoints.get(a.id)!.listen()));
    if (this.stopped) return;
    this.guard(() => {
      const t = this.rt.gate();
      this.rt.record({ type: 'restart', host }, t);
      for (const a of on) a.restart(t);
    });
  }

  /**
   * Operator action: standby actor `id` (a mega-supernode) joins now. It is
   * recorded as a `join` carrying its entry of the system config, and runs
   * with the configuration the checker derives from the header actors plus it
   * (the trace format's defaults), as every later joiner does.
   */
  async join(id: string): Promise<void> {
    const standby = this.opts.config.standby ?? [];
    const entry = this.opts.config.actors.find((a) => a.id === id);
    if (!entry || !standby.includes(id)) throw new OverlayError(`${JSON.stringify(id)} is not a standby actor of this system; standby: ${standby.join(', ') || 'none'}`);
    if (this.byId.has(id)) throw new OverlayError(`${id} has joined already`);
    if (this.stopped) return;
    this.joined.push(entry as HeaderActor);
    const spec = actorSpecs([...this.headerActors, ...this.joined], this.params).at(-1)!;
    const a = this.add(spec);
    await this.endpoints.get(id)!.listen();
    if (this.stopped) return;
    this.guard(() => {
      const t = this.rt.gate();
      this.rt.record({ type: 'join', actor: entry as HeaderActor }, t);
      a.start(t);
    });
  }

  isDown(host: string): boolean { return this.down.has(host); }

  /** Loses the next message from `from` to `to` (of `kind`, if given). */
  drop(from: string, to: string, kind?: string): void {
    this.actor(from); this.actor(to);
    this.drops.push({ from, to, kind });
  }

  /** Delays messages from `from` to `to` (of `kind`, if given) by `ms` from now on; 0 removes the delay. */
  delay(from: string, to: string, ms: number, kind?: string): void {
    this.actor(from); this.actor(to);
    for (let i = this.delays.length - 1; i >= 0; i--) { const d = this.delays[i]; if (d.from === from && d.to === to && d.kind === kind) this.delays.splice(i, 1); }
    if (ms > 0) this.delays.push({ from, to, kind, ms });
  }

  /** Cuts the supernode mesh in two halves (header order) / heals it. */
  partition(): void { this.partitioned = true; this.guard(() => this.rt.record({ type: 'note', text: 'the supernode mesh is partitioned' }, this.rt.gate())); }
  heal(): void { this.partitioned = false; this.guard(() => this.rt.record({ type: 'note', text: 'the supernode mesh partition heals' }, this.rt.gate())); }

  /** An adversary at `from`'s address sends supernode `to` a Register whose credential auth never signed. */
  forge(from: string, to: string): void {
    const a = this.actor(from);
    if (!(this.actor(to) instanceof Supernode)) throw new OverlayError(`forge: ${to} is not a supernode`);
    this.guard(() => {
      const t = this.rt.gate();
      const user = a.spec.user || 'mallory';
      const expiresAt = t + this.params.credentialLifetime;
      const credential = { user, issuedAt: t, expiresAt, sig: signCredential(user, t, expiresAt, `forger-of-${this.params.authKey}`) };
      const mid = `m${++this.mids}`;
      const msg: Message = { kind: 'Register', credential };
      this.rt.record({ type: 'send', from, to, mid, msg }, t);
      transmit(this.adversary, to, this.endpoints.get(to)?.port ?? 0, { from, mid, msg });
    });
  }

  // ─── waiting and stopping ────────────────────────────────────────────────

  /** Resolves once nothing was sent or delivered for `quietMs` (or after `maxMs`). */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const t0 = performance.now();
    const step = Math.max(2, Math.min(20, quietMs / 4));
    while (!this.stopped) {
      const now = performance.now();
      if (now - this.rt.lastActivity >= quietMs || now - t0 >= maxMs) return;
      await sleep(step);
    }
  }

  /** Resolves true once `cond` holds (polled), false after `maxMs`. */
  async waitFor(cond: () => boolean, maxMs: number): Promise<boolean> {
    const t0 = performance.now();
    for (;;) {
      if (this.guarded(cond)) return true;
      if (performance.now() - t0 >= maxMs || this.stopped) return false;
      await sleep(5);
    }
  }

  private guarded(cond: () => boolean): boolean {
    // Timers due by now take effect first, as they would for any event.
    this.guard(() => { this.rt.gate(); });
    return cond();
  }

  /** Records each actor's state (`observe`), closes every socket and the recording. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.guard(() => {
      const t = this.rt.gate();
      for (const a of this.actors) {
        const o = a.observe();
        this.rt.record({ type: 'observe', actor: a.id, state: o.state, ...(a instanceof Client ? { upstream: o.upstream ?? null } : {}) }, t);
      }
    });
    this.stopped = true;
    for (const h of this.pending) clearTimeout(h);
    this.pending.clear();
    for (const ep of this.endpoints.values()) ep.kill();
    this.adversary.kill();
    this.rt.close();
  }

  get eventsRecorded(): number { return this.rt.events; }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
