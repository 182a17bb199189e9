// The client role (PROTOCOL.md, "Client"): the program a person runs. It
// connects to a supernode from its host cache, logs in at auth, registers its
// credential with the supernode, keeps the connection alive, and reattaches by
// itself when its upstream goes away. Versions in `buggyVersions` crash their
// host on a late OfflineImBatch (the 22 Dec 2010 outage).
import { defineRole, type GuardImpl, type ActionImpl, type RoleConfig } from './role.js';
import { contextEffects, credentialValid, MSG } from './effects.js';
import type { ActorConfig, BaseContext, Credential, ModelEvent } from './types.js';

// This role's own copies of the context helpers (models/effects.ts says why).
const { emit, arm, cancel, cancelAll, isArmed } = contextEffects('client');

export interface ClientContext extends BaseContext {
  /** Supernode ids to try, at most `hostCacheMax`; survives crashes (kept on disk). */
  hostCache: string[];
  /** Index in `hostCache` of the supernode being tried. */
  cursor: number;
  /** The supernode being contacted, or the upstream while online. */
  target: string | null;
  /** Completed rounds over the host cache in this login. */
  attempts: number;
  /** LoginRequests that got LoginBusy or no answer in this login. */
  loginTries: number;
  credential: Credential | null;
  /** Keepalives sent since the last KeepaliveAck. */
  missed: number;
  /** Offline-IM fetch, once per login: not yet, awaited, late (imTimeout passed), done. */
  im: 'idle' | 'waiting' | 'late' | 'done';
  /** When the host last started (for promotion). */
  upSince: number;
}

type E = ModelEvent;
type C = ClientContext;
const from = (ev: E): string | undefined => ('from' in ev ? ev.from : undefined);

export const clientConfig: RoleConfig = {
  id: 'client',
  description: 'A Skype client: host cache → supernode connection → auth login → register → online, with self-healing reattach.',
  initial: 'offline',
  on: {
    crash: { target: '.crashed', description: 'the host crashed' },
    OfflineImBatch: [
      { guard: 'imAwaited', actions: 'acceptOfflineIm' },
      { guard: 'lateImCrashesThisVersion', target: '.crashed', description: 'the 5.0.0.152 bug: a late reply crashes the host' },
      { actions: 'ignoreLateOfflineIm' },
    ],
    'timeout.im': { guard: 'imAwaited', actions: 'markOfflineImLate' },
    'timeout.renew': { description: 'renewal due while reattaching: done on return to online' },
  },
  states: {
    offline: {
      description: 'not logged in',
      on: { 'input.Login': { target: 'connecting', actions: 'startLogin' } },
    },
    connecting: {
      description: 'sending Connect to the host-cache entry at `cursor`, waiting connectTimeout for an answer',
      entry: 'connectToCandidate',
      exit: { type: 'disarm', params: { timer: 'connect' } },
      always: { guard: 'hostCacheEmpty', target: 'failed' },
      on: {
        ConnectAck: [
          { guard: 'notFromTarget' },
          { guard: 'holdsValidCredential', target: 'registering', actions: 'mergeHostCache', description: 'reconnecting: skip auth' },
          { target: 'authenticating', actions: 'mergeHostCache' },
        ],
        ConnectReject: [
          { guard: 'notFromTarget' },
          { guard: 'moreCandidates', target: 'connecting', reenter: true, actions: 'nextCandidate' },
          { guard: 'attemptsLeft', target: 'retrying' },
          { target: 'failed' },
        ],
        'timeout.connect': [
          { guard: 'moreCandidates', target: 'connecting', reenter: true, actions: 'nextCandidate' },
          { guard: 'attemptsLeft', target: 'retrying' },
          { target: 'failed' },
        ],
      },
    },
    retrying: {
      description: 'every entry tried: wait retryWait, then start over (attempts + 1)',
      entry: ['countAttempt', { type: 'arm', params: { timer: 'retry' } }],
      exit: { type: 'disarm', params: { timer: 'retry' } },
      on: { 'timeout.retry': { target: 'connecting', actions: 'restartRound' } },
    },
    authenticating: {
      description: 'LoginRequest sent to auth, waiting loginTimeout',
      entry: 'requestLogin',
      exit: { type: 'disarm', params: { timer: 'login' } },
      on: {
        LoginOk: { target: 'registering', actions: 'keepCredential' },
        LoginDenied: { target: 'offline', actions: 'endSession' },
        LoginBusy: [{ guard: 'loginTriesLeft', target: 'authWaiting' }, { target: 'failed' }],
        'timeout.login': [{ guard: 'loginTriesLeft', target: 'authWaiting' }, { target: 'failed' }],
      },
    },
    authWaiting: {
      description: 'auth busy or silent: wait retryWait before the next LoginRequest',
      entry: ['countLoginTry', { type: 'arm', params: { timer: 'retry' } }],
      exit: { type: 'disarm', params: { timer: 'retry' } },
      on: { 'timeout.retry': 'authenticating' },
    },
    registering: {
      description: 'Register{credential} sent to the supernode, waiting connectTimeout',
      entry: 'registerCredential',
      exit: { type: 'disarm', params: { timer: 'connect' } },
      on: {
        RegisterAck: [{ guard: 'notFromTarget' }, { target: 'online' }],
        RegisterReject: [
          { guard: 'notFromTarget' },
          { guard: 'moreCandidates', target: 'connecting', actions: ['forgetRejectedCredential', 'nextCandidate'] },
          { guard: 'attemptsLeft', target: 'retrying', actions: 'forgetRejectedCredential' },
          { target: 'failed', actions: 'forgetRejectedCredential' },
        ],
        'timeout.connect': [
          { guard: 'moreCandidates', target: 'connecting', actions: 'nextCandidate' },
          { guard: 'attemptsLeft', target: 'retrying' },
          { target: 'failed' },
        ],
      },
    },
    online: {
      description: 'attached to one supernode, its upstream',
      entry: ['startKeepalives', 'fetchOfflineImOnce', 'renewIfDue'],
      exit: [{ type: 'disarm', params: { timer: 'keepalive' } }, { type: 'disarm', params: { timer: 'retry' } }],
      always: {
        guard: 'credentialExpired', target: 'authenticating', actions: 'forgetExpiredCredential',
        description: 'the credential expired before a renewal came back (auth down or busy for longer than renewBefore): log in again',
      },
      on: {
        'timeout.keepalive': [
          { guard: 'upstreamSilent', target: 'connecting', actions: 'reattach', description: 'missedKeepalives without an ack: self-healing reattach' },
          { actions: 'sendKeepalive' },
        ],
        KeepaliveAck: [{ guard: 'notFromTarget' }, { actions: 'upstreamAlive' }],
        Closing: [
          { guard: 'notFromTarget' },
          { guard: 'neverReattachBug' },
          { target: 'connecting', actions: 'reattach', description: 'the supernode sheds its clients' },
        ],
        'input.Lookup': { actions: 'sendLookup' },
        'timeout.renew': { actions: 'requestRenewal' },
        LoginOk: { actions: 'keepCredential' },
        LoginBusy: { actions: { type: 'arm', params: { timer: 'retry' } }, description: 'renewal refused: ask again after retryWait' },
        'timeout.login': { actions: { type: 'arm', params: { timer: 'retry' } }, description: 'renewal unanswered: ask again after retryWait' },
        'timeout.retry': { actions: 'requestRenewal' },
        'input.Logout': { target: 'offline', actions: ['unregister', 'endSession'] },
      },
    },
    failed: {
      description: 'login failure shown to the user; the user may log in again',
      entry: 'endSession',
      on: { 'input.Login': { target: 'connecting', actions: 'startLogin' } },
    },
    crashed: {
      description: 'the host is down: memory lost, the host cache kept on disk',
      entry: 'loseMemory',
      on: {
        crash: {},
        OfflineImBatch: {},
        'timeout.im': {},
        restart: { target: 'connecting', actions: ['hostStarted', 'startLogin'], description: 'the client logs in again by itself' },
      },
    },
  },
};

const p = (c: C) => c.cfg.params;

export const clientGuards: Record<string, GuardImpl<C>> = {
  notFromTarget: (c, ev) => from(ev) !== c.target,
  hostCacheEmpty: (c) => c.hostCache.length === 0,
  holdsValidCredential: (c, ev) => credentialValid(c.credential, ev.now, p(c).authKey),
  moreCandidates: (c) => c.cursor + 1 < c.hostCache.length,
  attemptsLeft: (c) => c.attempts + 1 < p(c).maxAttempts,
  loginTriesLeft: (c) => c.loginTries + 1 < p(c).maxAttempts,
  // Checked after every event while online (an eventless transition): the first event
  // at or after expiresAt takes the client out of `online` (model time is 0 in the explorer).
  credentialExpired: (c, ev) => c.credential !== null && c.credential.expiresAt <= ev.now,
  upstreamSilent: (c) => c.missed >= p(c).missedKeepalives && !p(c).bugs.includes('never-reattach'),
  neverReattachBug: (c) => p(c).bugs.includes('never-reattach'),
  imAwaited: (c) => c.im === 'waiting' && isArmed(c, 'im'),
  lateImCrashesThisVersion: (c) => c.im === 'late' && p(c).buggyVersions.includes(c.cfg.version),
};

/** LoginRequest to auth (a login or a renewal), answered within loginTimeout. */
function askAuth(d: C): void {
  emit(d, d.cfg.auth, { kind: 'LoginRequest', user: d.cfg.user, password: d.cfg.password });
  arm(d, 'login');
}

const dropFromCache = (cache: string[], id: string | null) => (id === null ? cache : cache.filter((x) => x !== id));

/**
 * Host caches known to name every id of a ConnectAck already, by cache, that ack (mergeHostCache leaves such a
 * cache as it is, whatever hostCacheMax). A supernode answers with one frozen ack object until its mesh changes
 * (models/supernode.ts), and a cache array is never written (a change makes a new one), so the answer holds for
 * as long as both live. In a reattach storm clients merge the same acks again and again, each of their ids looked
 * for in a cache of dozens: `includes` was 2.7% of the 100k-client outage-2010 day.
 */
const namesAll = new WeakMap<readonly string[], object>();

/**
 * The length of `old` when `cache` starts with its ids (the same strings), else 0: how much of a client's new host
 * cache its last one already covers. mergeHostCache makes the new cache as a copy of the old with ids appended, so
 * a monitor that remembers what it found of a cache looks only at the rest (checker/props: host-cache-bound,
 * reattach-within's proviso).
 */
export function keptPrefix(cache: readonly string[], old: readonly string[] | null): number {
  if (old === null || old.length > cache.length) return 0;
  for (let i = 0; i < old.length; i++) if (cache[i] !== old[i]) return 0;
  return old.length;
}

export const clientActions: Record<string, ActionImpl<C>> = {
  arm: (d, _ev, params) => arm(d, params.timer),
  disarm: (d, _ev, params) => cancel(d, params.timer),
  startLogin: (d) => { d.attempts = 0; d.loginTries = 0; d.cursor = 0; d.target = null; },
  connectToCandidate: (d) => {
    if (d.hostCache.length === 0) return;
    d.target = d.hostCache[d.cursor];
    emit(d, d.target, MSG.Connect);
    arm(d, 'connect');
  },
  nextCandidate: (d) => { d.cursor += 1; },
  countAttempt: (d) => { d.attempts += 1; d.target = null; },
  restartRound: (d) => { d.cursor = 0; },
  mergeHostCache: (d, ev) => {
    if (ev.type !== 'ConnectAck') return;
    const cache = d.hostCache;
    if (namesAll.get(cache) === ev.msg) return;
    const max = p(d).hostCacheMax;
    // Copied at the first id added, not before: a full cache, or one that already names them all, stays as it is.
    let merged: string[] | null = null;
    let all = true;
    const ids = ev.msg.supernodes;
    for (let i = 0; i < ids.length; i++) {
      const cur = merged ?? cache;
      if (cur.length >= max) { all = false; break; } // (it only grows: no later id is added either)
      if (!cur.includes(ids[i])) (merged ??= cache.slice()).push(ids[i]);
    }
    if (merged !== null) d.hostCache = merged;
    if (all) namesAll.set(merged ?? cache, ev.msg);
  },
  requestLogin: (d) => askAuth(d),
  countLoginTry: (d) => { d.loginTries += 1; },
  keepCredential: (d, ev) => {
    if (ev.type !== 'LoginOk') return;
    d.credential = ev.msg.credential;
    cancel(d, 'login');
    arm(d, 'renew');
  },
  registerCredential: (d) => {
    emit(d, d.target!, { kind: 'Register', credential: d.credential! });
    arm(d, 'connect');
  },
  forgetRejectedCredential: (d, ev) => {
    if (ev.type === 'RegisterReject' && ev.msg.reason === 'bad-credential') { d.credential = null; cancel(d, 'renew'); }
  },
  startKeepalives: (d) => { d.missed = 0; arm(d, 'keepalive'); },
  fetchOfflineImOnce: (d) => {
    if (d.im !== 'idle') return;
    emit(d, d.cfg.im, MSG.OfflineImFetch);
    d.im = 'waiting';
    arm(d, 'im');
  },
  sendKeepalive: (d) => { emit(d, d.target!, MSG.Keepalive); d.missed += 1; arm(d, 'keepalive'); },
  upstreamAlive: (d) => { d.missed = 0; },
  reattach: (d) => {
    // The lost upstream goes to the end of the host cache: try the others first.
    d.hostCache = [...dropFromCache(d.hostCache, d.target), d.target!];
    d.cursor = 0; d.attempts = 0; d.loginTries = 0; d.target = null; d.missed = 0;
  },
  sendLookup: (d, ev) => { if (ev.type === 'input.Lookup') emit(d, d.target!, { kind: 'Lookup', user: ev.input.user }); },
  requestRenewal: (d) => askAuth(d),
  forgetExpiredCredential: (d) => { d.credential = null; d.loginTries = 0; cancel(d, 'renew'); },
  // The renew timer fired while the client was reattaching (and the root handler let it
  // go): back online, renew at once, unless a renewal is already under way.
  renewIfDue: (d) => {
    if (d.credential !== null && !isArmed(d, 'renew') && !isArmed(d, 'login')) askAuth(d);
  },
  unregister: (d) => { emit(d, d.target!, MSG.Unregister); },
  endSession: (d) => {
    d.target = null; d.credential = null; d.missed = 0; d.im = 'idle'; d.cursor = 0;
    cancelAll(d);
  },
  acceptOfflineIm: (d) => { d.im = 'done'; cancel(d, 'im'); },
  markOfflineImLate: (d) => { d.im = 'late'; },
  ignoreLateOfflineIm: (d) => { if (d.im === 'late') d.im = 'done'; },
  loseMemory: (d) => {
    d.target = null; d.credential = null; d.missed = 0; d.im = 'idle'; d.cursor = 0; d.attempts = 0; d.loginTries = 0;
    cancelAll(d);
  },
  hostStarted: (d, ev) => { d.upSince = ev.now; },
};

export function clientContext(cfg: ActorConfig, now: number): ClientContext {
  return {
    cfg, outbox: [], armed: [], timers: [],
    hostCache: cfg.hostCache.slice(0, cfg.params.hostCacheMax),
    cursor: 0, target: null, attempts: 0, loginTries: 0, credential: null, missed: 0, im: 'idle', upSince: now,
  };
}

export const client = defineRole<ClientContext>(clientConfig, clientContext, clientGuards, clientActions);
