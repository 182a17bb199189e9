// The four programs of the reference overlay — client, supernode, auth, im —
// written directly from PROTOCOL.md and the behaviour the models pin down
// (host-cache order, reattach, renewals, mesh queries, overload, warmup). They
// are ordinary event handlers: a message, a timer or an input comes in, the
// program updates its fields and sends messages through the overlay. They do
// not call the models; `snc check` compares the two. Bug switches (see
// BUGS) plant realistic defects.
import { createHmac } from 'node:crypto';
import type { Credential, Input, Message, TimerName } from '../schemas/generated/trace.js';
import type { ResolvedParams } from '../models/params.js';
import type { ActorConfig } from '../models/types.js';
import { timerDuration } from '../models/timers.js';
import type { Runtime, TimerOwner } from './runtime.js';

/** The bug switches, with what each does. */
export const BUGS = {
  'accept-expired-credential': 'supernodes check a credential\'s signature but not its expiry: an expired Register is accepted and expired registrations are kept',
  'skip-capacity-check': 'supernodes admit Connect and Register beyond their capacity',
  'never-reattach': 'a client never reattaches after losing its supernode (missed keepalives or Closing): it stays online at a dead upstream',
  'keep-dead-client': 'supernodes never drop a silent client from their directory',
  'crash-on-late-im': 'every client version (not only 5.0.0.152) crashes its host on a late OfflineImBatch',
} as const;
export type BugSwitch = keyof typeof BUGS;

/** An actor as the overlay runs it: the header's actor with the trace format's defaults applied (models/index.ts actorConfigs). */
export type ActorSpec = Omit<ActorConfig, 'params'>;

/** What an actor needs from the overlay around it. */
export interface Services {
  readonly rt: Runtime;
  readonly params: ResolvedParams;
  readonly bugs: ReadonlySet<BugSwitch>;
  send(from: Actor, to: string, msg: Message): void;
  /** The actor's program crashed by itself: its host goes down. */
  selfCrash(actor: Actor, why: string): void;
}

/** The state an actor reports on `observe`. */
export interface Observed { readonly state: string; readonly upstream?: string | null }

/** How long each timer runs: the durations the models arm their timers with (the params are the contract). */
export const duration = timerDuration;

/** HMAC-SHA256 of the credential's fields under auth's key (supernodes share the key to verify offline). */
export function signCredential(user: string, issuedAt: number, expiresAt: number, key: string): string {
  return createHmac('sha256', key).update(`${user}|${issuedAt}|${expiresAt}`).digest('hex').slice(0, 32);
}

export abstract class Actor implements TimerOwner {
  abstract state: string;
  readonly armed = new Map<TimerName, number>();
  /** Logical time of the event being handled. */
  protected now = 0;

  constructor(readonly spec: ActorSpec, protected readonly svc: Services) {}

  get id(): string { return this.spec.id; }
  protected get p(): ResolvedParams { return this.svc.params; }
  protected bug(name: BugSwitch): boolean { return this.svc.bugs.has(name); }
  protected arm(timer: TimerName): void { this.svc.rt.arm(this, timer, this.now, duration(timer, this.p)); }
  protected cancel(timer: TimerName): void { this.armed.delete(timer); }
  protected cancelAll(): void { this.armed.clear(); }
  protected isArmed(timer: TimerName): boolean { return this.armed.has(timer); }
  protected emit(to: string, msg: Message): void { this.svc.send(this, to, msg); }

  /** Starts the program (time 0 or a join). */
  start(now: number): void { this.now = now; this.boot(); }
  fire(timer: TimerName, now: number): boolean { this.now = now; const handled = this.onTimer(timer); this.afterEvent(); return handled; }
  deliver(from: string, msg: Message, now: number): void { this.now = now; this.onMessage(from, msg); this.afterEvent(); }
  input(input: Input, now: number): void { this.now = now; this.onInput(input); this.afterEvent(); }
  /** Checks made after every event the actor handles (a client's credential expiry). */
  protected afterEvent(): void {}
  /** The host stopped: memory and timers are gone. */
  crash(now: number): void { this.now = now; this.cancelAll(); this.onCrash(); }
  restart(now: number): void { this.now = now; this.onRestart(); }

  get crashed(): boolean { return this.state === 'crashed'; }
  abstract observe(): Observed;
  protected boot(): void {}
  protected abstract onTimer(timer: TimerName): boolean;
  protected abstract onMessage(from: string, msg: Message): void;
  protected onInput(_input: Input): void {}
  protected abstract onCrash(): void;
  protected onRestart(): void {}
}

// ─── client ────────────────────────────────────────────────────────────────

type ImFetch = 'idle' | 'waiting' | 'late' | 'done';

export class Client extends Actor {
  state = 'offline';
  /** Supernodes to try, in order; kept on disk (survives crashes). */
  hostCache: string[];
  private cursor = 0;
  target: string | null = null;
  private attempts = 0;
  private loginTries = 0;
  credential: Credential | null = null;
  private missed = 0;
  private im: ImFetch = 'idle';
  private upSince = 0;

  constructor(spec: ActorSpec, svc: Services) {
    super(spec, svc);
    this.hostCache = spec.hostCache.slice(0, svc.params.hostCacheMax);
  }

  observe(): Observed { return { state: this.state, upstream: this.state === 'online' ? this.target : null }; }

  private credentialUsable(): boolean { return !!this.credential && this.credential.expiresAt > this.now; }

  // Online with a credential that expired before a renewal came back (auth down or busy
  // for longer than renewBefore): log in again. Checked after every event, not on a timer
  // of its own: the trace format has no expiry timer, so a checker could not see one fire.
  protected afterEvent(): void {
    if (this.state !== 'online' || !this.credential || this.credential.expiresAt > this.now) return;
    this.leave();
    this.credential = null; this.loginTries = 0; this.cancel('renew');
    this.enter('authenticating');
  }

  // Leaving a state disarms the timer that state waits on.
  private leave(): void {
    const waitsOn: Record<string, TimerName | undefined> = { connecting: 'connect', retrying: 'retry', authenticating: 'login', authWaiting: 'retry', registering: 'connect', online: 'keepalive' };
    const t = waitsOn[this.state];
    if (t) this.cancel(t);
    if (this.state === 'online') this.cancel('retry'); // a renewal retry ends with the session at this upstream
  }

  private go(state: string): void {
    this.leave();
    this.enter(state);
  }

  private enter(state: string): void {
    this.state = state;
    switch (state) {
      case 'connecting':
        if (this.hostCache.length === 0) { this.go('failed'); return; }
        this.target = this.hostCache[this.cursor];
        this.emit(this.target, { kind: 'Connect' });
        this.arm('connect');
        return;
      case 'retrying': this.attempts += 1; this.target = null; this.arm('retry'); return;
      case 'authenticating': this.requestLogin(); return;
      case 'authWaiting': this.loginTries += 1; this.arm('retry'); return;
      case 'registering': this.emit(this.target!, { kind: 'Register', credential: this.credential! }); this.arm('connect'); return;
      case 'online':
        this.missed = 0;
        this.arm('keepalive');
        if (this.im === 'idle') { this.emit(this.spec.im, { kind: 'OfflineImFetch' }); this.im = 'waiting'; this.arm('im'); }
        // a renewal that fell due while reattaching is done now
        if (this.credential && !this.isArmed('renew') && !this.isArmed('login')) this.requestLogin();
        return;
      case 'failed': this.endSession(); return;
    }
  }

  private requestLogin(): void {
    this.emit(this.spec.auth, { kind: 'LoginRequest', user: this.spec.user, password: this.spec.password });
    this.arm('login');
  }

  private endSession(): void {
    this.target = null; this.credential = null; this.missed = 0; this.im = 'idle'; this.cursor = 0;
    this.cancelAll();
  }

  private startLogin(): void { this.attempts = 0; this.loginTries = 0; this.cursor = 0; this.target = null; }

  /** No answer or a refusal from the current candidate: the next one, a new round, or give up. */
  private nextOrGiveUp(): void {
    if (this.cursor + 1 < this.hostCache.length) { this.leave(); this.cursor += 1; this.enter('connecting'); }
    else if (this.attempts + 1 < this.p.maxAttempts) this.go('retrying');
    else this.go('failed');
  }

  private reattach(): void {
    this.leave();
    const lost = this.target!;
    this.hostCache = [...this.hostCache.filter((x) => x !== lost), lost];
    this.cursor = 0; this.attempts = 0; this.loginTries = 0; this.target = null; this.missed = 0;
    this.enter('connecting');
  }

  private keepCredential(c: Credential): void {
    this.credential = c;
    this.cancel('login');
    this.arm('renew');
  }

  protected onInput(input: Input): void {
    switch (input.kind) {
      case 'Login':
        if (this.state === 'offline' || this.state === 'failed') { this.startLogin(); this.go('connecting'); }
        return;
      case 'Logout':
        if (this.state === 'online') { this.leave(); this.emit(this.target!, { kind: 'Unregister' }); this.endSession(); this.state = 'offline'; }
        return;
      case 'Lookup':
        if (this.state === 'online') this.emit(this.target!, { kind: 'Lookup', user: input.user });
        return;
      default:
        return;
    }
  }

  protected onMessage(from: string, msg: Message): void {
    if (this.crashed) return;
    const fromTarget = from === this.target;
    switch (msg.kind) {
      case 'OfflineImBatch':
        if (this.im === 'waiting' && this.isArmed('im')) { this.im = 'done'; this.cancel('im'); }
        else if (this.im === 'late' && (this.p.buggyVersions.includes(this.spec.version) || this.bug('crash-on-late-im'))) {
          this.svc.selfCrash(this, `${this.id} (version ${this.spec.version}) crashed on a late OfflineImBatch`);
        } else if (this.im === 'late') this.im = 'done';
        return;
      case 'ConnectAck':
        if (this.state !== 'connecting' || !fromTarget) return;
        for (const id of msg.supernodes) if (this.hostCache.length < this.p.hostCacheMax && !this.hostCache.includes(id)) this.hostCache.push(id);
        this.go(this.credentialUsable() ? 'registering' : 'authenticating');
        return;
      case 'ConnectReject':
        if (this.state === 'connecting' && fromTarget) this.nextOrGiveUp();
        return;
      case 'LoginOk':
        if (this.state === 'authenticating') { this.leave(); this.keepCredential(msg.credential); this.enter('registering'); }
        else if (this.state === 'online') this.keepCredential(msg.credential);
        return;
      case 'LoginDenied':
        if (this.state === 'authenticating') { this.leave(); this.endSession(); this.state = 'offline'; }
        return;
      case 'LoginBusy':
        if (this.state === 'authenticating') this.go(this.loginTries + 1 < this.p.maxAttempts ? 'authWaiting' : 'failed');
        else if (this.state === 'online') this.arm('retry'); // renewal refused: ask again after retryWait
        return;
      case 'RegisterAck':
        if (this.state === 'registering' && fromTarget) this.go('online');
        return;
      case 'RegisterReject':
        if (this.state !== 'registering' || !fromTarget) return;
        if (msg.reason === 'bad-credential') {
          // forget the rejected credential (after leaving: the exit only disarms `connect`)
          const next = this.cursor + 1 < this.hostCache.length ? 'next' : this.attempts + 1 < this.p.maxAttempts ? 'retry' : 'fail';
          this.leave();
          this.credential = null; this.cancel('renew');
          if (next === 'next') { this.cursor += 1; this.enter('connecting'); } else this.enter(next === 'retry' ? 'retrying' : 'failed');
          return;
        }
        this.nextOrGiveUp();
        return;
      case 'KeepaliveAck':
        if (this.state === 'online' && fromTarget) this.missed = 0;
        return;
      case 'Closing':
        if (this.state === 'online' && fromTarget && !this.bug('never-reattach')) this.reattach();
        return;
      default:
        return;
    }
  }

  protected onTimer(timer: TimerName): boolean {
    if (this.crashed) return timer === 'im';
    if (timer === 'im') {
      if (this.im === 'waiting') { this.im = 'late'; return true; }
      return false;
    }
    if (timer === 'renew' && this.state !== 'online') return true; // due while away: renewed on return to online
    switch (this.state) {
      case 'connecting':
        if (timer !== 'connect') return false;
        this.nextOrGiveUp();
        return true;
      case 'retrying':
        if (timer !== 'retry') return false;
        this.leave(); this.cursor = 0; this.enter('connecting');
        return true;
      case 'authenticating':
        if (timer !== 'login') return false;
        this.go(this.loginTries + 1 < this.p.maxAttempts ? 'authWaiting' : 'failed');
        return true;
      case 'authWaiting':
        if (timer !== 'retry') return false;
        this.go('authenticating');
        return true;
      case 'registering':
        if (timer !== 'connect') return false;
        this.nextOrGiveUp();
        return true;
      case 'online':
        if (timer === 'keepalive') {
          if (this.missed >= this.p.missedKeepalives && !this.bug('never-reattach')) this.reattach();
          else { this.emit(this.target!, { kind: 'Keepalive' }); this.missed += 1; this.arm('keepalive'); }
          return true;
        }
        if (timer === 'renew' || timer === 'retry') { this.requestLogin(); return true; }
        if (timer === 'login') { this.arm('retry'); return true; }
        return false;
      default:
        return false;
    }
  }

  protected onCrash(): void {
    this.state = 'crashed';
    this.target = null; this.credential = null; this.missed = 0; this.im = 'idle'; this.cursor = 0; this.attempts = 0; this.loginTries = 0;
  }

  protected onRestart(): void {
    if (!this.crashed) return;
    this.upSince = this.now;
    this.startLogin();
    this.enter('connecting');
  }

  /** When the host last started. */
  get uptimeSince(): number { return this.upSince; }
}

// ─── supernode ─────────────────────────────────────────────────────────────

interface Attachment { readonly client: string; user: string | null; expiresAt: number; silent: number }
interface PendingQuery { readonly user: string; lookups: string[]; relays: string[]; awaiting: number }

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const addSorted = (list: string[], id: string) => { if (!list.includes(id)) { list.push(id); list.sort(byId); } };

export class Supernode extends Actor {
  state = 'boot';
  /** Connected clients, by client id; registered ones (user set) form the directory. */
  clients = new Map<string, Attachment>();
  mesh: string[] = [];
  private queries: PendingQuery[] = [];
  private load = 0;
  private meshReady = false;
  private active = false;
  private upSince = 0;

  observe(): Observed { return { state: this.state }; }

  /** Registered users, for tests and summaries. */
  get directory(): string[] { return [...this.clients.values()].filter((a) => a.user !== null).map((a) => a.user!); }

  protected boot(): void {
    this.upSince = this.now;
    if (this.spec.mega) { this.active = true; this.enter('serving'); }
    else if (this.spec.dormant || !this.spec.public) this.state = 'inactive';
    else { this.active = true; this.enter('joining'); }
  }

  private enter(state: string): void {
    this.state = state;
    switch (state) {
      case 'joining':
        for (const peer of this.spec.peers) this.emit(peer, { kind: 'PeerHello' });
        this.meshReady = false;
        this.arm('join');
        return;
      case 'serving': this.arm('keepalive'); this.arm('loadWindow'); return;
      case 'overloaded':
        for (const id of [...this.clients.keys()].sort(byId)) this.emit(id, { kind: 'Closing' });
        this.clients.clear(); this.queries = []; this.load = 0; this.mesh = [];
        this.cancelAll();
        this.arm('cooldown');
        return;
    }
  }

  private go(state: string): void {
    if (this.state === 'joining') { this.cancel('join'); this.cancel('warmup'); }
    else if (this.state === 'serving') { this.cancel('keepalive'); this.cancel('loadWindow'); this.cancel('query'); }
    else if (this.state === 'overloaded') this.cancel('cooldown');
    this.enter(state);
  }

  /** After every event while serving: too much load → self-eviction. */
  private checkLoad(): void {
    if (this.state === 'serving' && this.p.overloadThreshold > 0 && this.load > this.p.overloadThreshold) this.go('overloaded');
  }

  private countLoad(): void { if (this.p.overloadThreshold > 0) this.load += 1; }

  private hasUser(user: string): boolean {
    for (const a of this.clients.values()) if (a.user === user) return true;
    return false;
  }

  private verify(c: Credential): boolean {
    if (!c || typeof c.sig !== 'string') return false;
    if (c.sig !== signCredential(c.user, c.issuedAt, c.expiresAt, this.p.authKey)) return false;
    return this.bug('accept-expired-credential') || c.expiresAt > this.now;
  }

  private roomFor(client: string): boolean {
    return this.bug('skip-capacity-check') || this.clients.has(client) || this.clients.size < this.spec.capacity;
  }

  private addPeer(id: string): void { addSorted(this.mesh, id); }

  protected onMessage(from: string, msg: Message): void {
    switch (this.state) {
      case 'joining': return this.joining(from, msg);
      case 'serving': this.serving(from, msg); this.checkLoad(); return;
      case 'overloaded':
        if (msg.kind === 'Connect') this.emit(from, { kind: 'ConnectReject', reason: 'closing' });
        else if (msg.kind === 'Register') this.emit(from, { kind: 'RegisterReject', reason: 'busy' });
        return;
      default: return; // boot, inactive, crashed: not serving
    }
  }

  private joining(from: string, msg: Message): void {
    switch (msg.kind) {
      case 'PeerAck':
        if (!this.isArmed('warmup')) { this.addPeer(from); this.go('serving'); }
        else { this.addPeer(from); this.meshReady = true; }
        return;
      case 'PeerHello': this.addPeer(from); this.emit(from, { kind: 'PeerAck' }); return;
      case 'Connect': this.emit(from, { kind: 'ConnectReject', reason: 'busy' }); return;
      case 'Register': this.emit(from, { kind: 'RegisterReject', reason: 'busy' }); return;
      default: return;
    }
  }

  private serving(from: string, msg: Message): void {
    switch (msg.kind) {
      case 'Connect':
        this.countLoad();
        if (this.roomFor(from)) {
          if (!this.clients.has(from)) this.clients.set(from, { client: from, user: null, expiresAt: 0, silent: 0 });
          this.emit(from, { kind: 'ConnectAck', supernodes: [this.id, ...this.mesh] });
        } else this.emit(from, { kind: 'ConnectReject', reason: 'busy' });
        return;
      case 'Register': {
        this.countLoad();
        if (!this.verify(msg.credential)) { this.emit(from, { kind: 'RegisterReject', reason: 'bad-credential' }); return; }
        if (!this.roomFor(from)) { this.emit(from, { kind: 'RegisterReject', reason: 'busy' }); return; }
        const { user, expiresAt } = msg.credential;
        // one entry per user: a user who comes back from elsewhere replaces the old entry
        for (const [id, a] of this.clients) if (a.user === user) this.clients.delete(id);
        this.clients.set(from, { client: from, user, expiresAt, silent: 0 });
        this.emit(from, { kind: 'RegisterAck' });
        return;
      }
      case 'Keepalive': {
        this.countLoad();
        const a = this.clients.get(from);
        if (!a || a.user === null) return;
        a.silent = 0;
        this.emit(from, { kind: 'KeepaliveAck' });
        return;
      }
      case 'Unregister': this.countLoad(); this.clients.delete(from); return;
      case 'Lookup':
        this.countLoad();
        if (this.hasUser(msg.user)) this.emit(from, { kind: 'LookupResult', user: msg.user, supernode: this.id });
        else this.query(msg.user, from, false, this.p.queryTtl);
        return;
      case 'Query':
        this.countLoad();
        if (this.hasUser(msg.user)) this.emit(from, { kind: 'QueryResult', user: msg.user, supernode: this.id });
        else this.query(msg.user, from, true, msg.ttl - 1);
        return;
      case 'QueryResult': {
        this.countLoad();
        const q = this.queries.find((x) => x.user === msg.user);
        if (!q) return;
        if (msg.supernode !== null || q.awaiting <= 1) {
          this.answer(q, msg.supernode);
          this.queries = this.queries.filter((x) => x !== q);
          if (this.queries.length === 0) this.cancel('query');
        } else q.awaiting -= 1;
        return;
      }
      case 'PeerHello': this.countLoad(); this.addPeer(from); this.emit(from, { kind: 'PeerAck' }); return;
      case 'PeerAck': this.addPeer(from); return;
      default: return;
    }
  }

  /** Resolves `user` through the mesh for `asker` (a client's Lookup, or a peer's Query we relay). */
  private query(user: string, asker: string, relay: boolean, ttl: number): void {
    const existing = this.queries.find((q) => q.user === user);
    if (existing) { addSorted(relay ? existing.relays : existing.lookups, asker); return; }
    const q: PendingQuery = { user, lookups: relay ? [] : [asker], relays: relay ? [asker] : [], awaiting: 0 };
    const peers = this.mesh.filter((x) => x !== asker);
    if (ttl <= 0 || peers.length === 0) { this.answer(q, null); return; }
    for (const peer of peers) this.emit(peer, { kind: 'Query', user, ttl });
    q.awaiting = peers.length;
    this.queries.push(q);
    this.queries.sort((a, b) => byId(a.user, b.user));
    this.arm('query');
  }

  private answer(q: PendingQuery, supernode: string | null): void {
    for (const c of q.lookups) this.emit(c, { kind: 'LookupResult', user: q.user, supernode });
    for (const s of q.relays) this.emit(s, { kind: 'QueryResult', user: q.user, supernode });
  }

  protected onTimer(timer: TimerName): boolean {
    switch (this.state) {
      case 'joining':
        if (timer === 'join') {
          if (!this.isArmed('warmup')) this.go('serving'); else this.meshReady = true;
          return true;
        }
        if (timer === 'warmup') {
          if (this.meshReady) this.go('serving');
          return true;
        }
        return false;
      case 'serving':
        if (timer === 'keepalive') {
          const max = this.p.missedKeepalives;
          for (const [id, a] of [...this.clients]) {
            a.silent += 1;
            const keep = this.bug('keep-dead-client')
              || (a.silent <= max && (a.user === null || this.bug('accept-expired-credential') || a.expiresAt > this.now));
            if (!keep) this.clients.delete(id);
          }
          this.arm('keepalive');
        } else if (timer === 'loadWindow') { this.load = 0; this.arm('loadWindow'); }
        else if (timer === 'query') { for (const q of this.queries) this.answer(q, null); this.queries = []; }
        else return false;
        this.checkLoad();
        return true;
      case 'overloaded':
        if (timer !== 'cooldown') return false;
        this.go('joining');
        return true;
      default:
        return false;
    }
  }

  protected onInput(input: Input): void {
    if (input.kind === 'Promote' && this.state === 'inactive' && this.spec.public && this.now - this.upSince >= this.p.promotionUptime) {
      this.active = true;
      this.enter('joining');
    }
  }

  protected onCrash(): void {
    this.state = 'crashed';
    this.clients.clear(); this.queries = []; this.load = 0; this.mesh = []; this.meshReady = false;
  }

  protected onRestart(): void {
    if (!this.crashed) return;
    this.upSince = this.now;
    if (this.spec.mega) this.enter('serving');
    else if (this.active) { this.arm('warmup'); this.enter('joining'); }
    else this.state = 'inactive';
  }
}

// ─── auth ──────────────────────────────────────────────────────────────────

export class Auth extends Actor {
  state = 'up';
  private load = 0;

  observe(): Observed { return { state: this.state }; }

  protected boot(): void { this.arm('loadWindow'); }

  private setMode(mode: 'up' | 'slow' | 'overloaded' | 'down'): void {
    if (this.state === 'up') this.cancel('loadWindow');
    if (mode === 'up') { this.state = 'up'; this.arm('loadWindow'); }
    else this.state = mode === 'down' ? 'down' : 'overloaded';
  }

  protected onInput(input: Input): void { if (input.kind === 'SetMode') this.setMode(input.mode); }

  protected onMessage(from: string, msg: Message): void {
    if (msg.kind !== 'LoginRequest') return;
    if (this.state === 'overloaded') { this.emit(from, { kind: 'LoginBusy' }); return; }
    if (this.state !== 'up') return;
    const q = this.p.authQueue;
    const full = q > 0 && this.load >= q;
    if (q > 0) this.load += 1;
    if (full) { this.emit(from, { kind: 'LoginBusy' }); return; }
    const known = this.spec.users.find((u) => u.user === msg.user);
    if (!known) this.emit(from, { kind: 'LoginDenied', reason: 'unknown-user' });
    else if (known.password !== msg.password) this.emit(from, { kind: 'LoginDenied', reason: 'bad-password' });
    else {
      const issuedAt = this.now;
      const expiresAt = issuedAt + this.p.credentialLifetime;
      this.emit(from, { kind: 'LoginOk', credential: { user: msg.user, issuedAt, expiresAt, sig: signCredential(msg.user, issuedAt, expiresAt, this.p.authKey) } });
    }
  }

  protected onTimer(timer: TimerName): boolean {
    if (timer !== 'loadWindow' || this.state !== 'up') return false;
    this.load = 0;
    this.arm('loadWindow');
    return true;
  }

  protected onCrash(): void { /* auth runs on the operator's servers: not crashed by the overlay */ }
}

// ─── im ────────────────────────────────────────────────────────────────────

export class Im extends Actor {
  state = 'up';
  /** Clients a slow server has not answered yet. */
  private waiting: string[] = [];

  observe(): Observed { return { state: this.state }; }

  protected onInput(input: Input): void {
    if (input.kind !== 'SetMode') return;
    if (input.mode === 'up') this.state = 'up';
    else if (input.mode === 'down') { this.state = 'down'; this.waiting = []; this.cancel('reply'); }
    else this.state = 'slow';
  }

  protected onMessage(from: string, msg: Message): void {
    if (msg.kind !== 'OfflineImFetch') return;
    if (this.state === 'up') this.emit(from, { kind: 'OfflineImBatch', count: 0 });
    else if (this.state === 'slow') { addSorted(this.waiting, from); if (!this.isArmed('reply')) this.arm('reply'); }
  }

  protected onTimer(timer: TimerName): boolean {
    if (timer !== 'reply') return false;
    for (const c of this.waiting) this.emit(c, { kind: 'OfflineImBatch', count: 0 });
    this.waiting = [];
    return true;
  }

  protected onCrash(): void { /* operator server */ }
}
