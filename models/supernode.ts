// The supernode role (PROTOCOL.md, "Supernode"): a directory and connector
// for up to `capacity` clients on a public host. It joins the supernode mesh,
// verifies credentials offline, answers lookups from its directory or by a
// mesh Query, drops silent clients, and protects its host by self-eviction
// when its message load passes `overloadThreshold` (the 2010 cascade).
import { defineRole, type GuardImpl, type ActionImpl, type RoleConfig } from './role.js';
import { contextEffects, credentialValid, MSG } from './effects.js';
import type { ActorConfig, BaseContext, Message, ModelEvent } from './types.js';
import type { BugName } from './params.js';
import { inPlace } from './in-place.js';

// This role's own copies of the context helpers (models/effects.ts says why).
const { emit, arm, cancel, cancelAll, isArmed } = contextEffects('supernode');

/** A client connected to this supernode: pending (`user` null) until it registers. */
export interface Attachment {
  readonly client: string;
  readonly user: string | null;
  /** Expiry of the registered credential (0 while pending). */
  readonly expiresAt: number;
  /** Keepalive sweeps since the client was last heard. */
  readonly silent: number;
}

/** A lookup this supernode is resolving through the mesh. */
export interface PendingQuery {
  readonly user: string;
  /** Clients waiting for a LookupResult, sorted. */
  readonly lookups: readonly string[];
  /** Supernodes waiting for a QueryResult (we relay their Query), sorted. */
  readonly relays: readonly string[];
  /** Peers whose QueryResult has not come yet. */
  readonly awaiting: number;
}

export interface SupernodeContext extends BaseContext {
  /** Connected clients, sorted by id; the registered ones form the directory. */
  clients: Attachment[];
  /**
   * Derived from `clients`, for the hot lookups: the client ids in the same order.
   * Dense arrays of shared strings, so a binary search touches no Attachment object
   * (each a cache miss on states spread over the heap, bench/models.ts). Not part of
   * the state (models/canonical.ts DERIVED): only the actions here write it, through
   * `setClients`/`putClient`; `indexClients` builds both fields for a hand-made list.
   */
  clientIds: string[];
  /** Derived from `clients`: the users of the registered clients, sorted (the directory). */
  directory: string[];
  /** Mesh peers that greeted or answered, sorted. */
  mesh: string[];
  queries: PendingQuery[];
  /** Messages handled in the current loadWindow. */
  load: number;
  /** Got a PeerAck or gave up waiting (join timer): ready as soon as warmup is over. */
  meshReady: boolean;
  /** Started serving once (promoted, or not dormant): a restart brings it back. */
  active: boolean;
  upSince: number;
}

type C = SupernodeContext;
type E = ModelEvent;
const from = (ev: E): string => ('from' in ev ? ev.from : '');
const p = (c: C) => c.cfg.params;
const bug = (c: C, name: BugName) => p(c).bugs.includes(name);

export const supernodeConfig: RoleConfig = {
  id: 'supernode',
  description: 'A Skype supernode: joins the mesh, admits up to `capacity` clients with valid credentials, answers lookups, self-evicts under overload.',
  initial: 'boot',
  on: {
    crash: { target: '.crashed', description: 'the host crashed' },
  },
  states: {
    boot: {
      description: 'the program starts: mega-supernodes serve at once, dormant ones wait for promotion',
      always: [
        { guard: 'isMega', target: 'serving', actions: 'activate' },
        { guard: 'isDormant', target: 'inactive' },
        { guard: 'behindNat', target: 'inactive', description: 'hosts behind NAT never run a supernode' },
        { target: 'joining', actions: 'activate' },
      ],
    },
    inactive: {
      description: 'a public client host not (yet) promoted',
      on: { 'input.Promote': { guard: 'mayPromote', target: 'joining', actions: 'activate' } },
    },
    joining: {
      description: 'PeerHello sent to known supernodes; after a restart, also waiting out warmup',
      entry: 'greetPeers',
      exit: [{ type: 'disarm', params: { timer: 'join' } }, { type: 'disarm', params: { timer: 'warmup' } }],
      on: {
        PeerAck: [
          { guard: 'warmupOver', target: 'serving', actions: 'addPeer' },
          { actions: ['addPeer', 'markMeshReady'] },
        ],
        PeerHello: { actions: ['addPeer', 'ackPeer'] },
        'timeout.join': [
          { guard: 'warmupOver', target: 'serving', description: 'no peer answered: serve alone' },
          { actions: 'markMeshReady' },
        ],
        'timeout.warmup': [
          { guard: 'meshReady', target: 'serving' },
          { description: 'warmed up, no peer yet: the next PeerAck or the join timer starts serving' },
        ],
        Connect: { actions: { type: 'rejectConnect', params: { reason: 'busy' } } },
        Register: { actions: { type: 'rejectRegister', params: { reason: 'busy' } } },
      },
    },
    serving: {
      description: 'admitting clients, keeping the directory, answering lookups',
      entry: 'startServing',
      exit: ['stopServing'],
      always: { guard: 'loadExceeded', target: 'overloaded', description: 'self-eviction protects the host' },
      on: {
        Connect: [
          { guard: 'hasRoom', actions: ['countLoad', 'acceptConnect'] },
          { actions: ['countLoad', { type: 'rejectConnect', params: { reason: 'busy' } }] },
        ],
        Register: [
          { guard: 'credentialRejected', actions: ['countLoad', { type: 'rejectRegister', params: { reason: 'bad-credential' } }] },
          { guard: 'noRoomToRegister', actions: ['countLoad', { type: 'rejectRegister', params: { reason: 'busy' } }] },
          { actions: ['countLoad', 'registerClient'] },
        ],
        Keepalive: { actions: ['countLoad', 'answerKeepalive'] },
        Unregister: { actions: ['countLoad', 'unregisterClient'] },
        Lookup: { actions: ['countLoad', 'resolveLookup'] },
        Query: { actions: ['countLoad', 'resolveQuery'] },
        QueryResult: { actions: ['countLoad', 'collectQueryResult'] },
        PeerHello: { actions: ['countLoad', 'addPeer', 'ackPeer'] },
        PeerAck: { actions: 'addPeer' },
        'timeout.keepalive': { actions: 'sweepSilentClients' },
        'timeout.loadWindow': { actions: 'newLoadWindow' },
        'timeout.query': { actions: 'answerPendingQueriesNull' },
      },
    },
    overloaded: {
      description: 'self-evicted: Closing sent to every client, directory dropped, out for cooldown',
      entry: 'shedClients',
      exit: { type: 'disarm', params: { timer: 'cooldown' } },
      on: {
        Connect: { actions: { type: 'rejectConnect', params: { reason: 'closing' } } },
        Register: { actions: { type: 'rejectRegister', params: { reason: 'busy' } } },
        'timeout.cooldown': 'joining',
      },
    },
    crashed: {
      description: 'the host is down: directory and mesh lost, no answers',
      entry: 'loseEverything',
      on: {
        crash: {},
        restart: [
          { guard: 'isMega', target: 'serving', actions: 'hostStarted' },
          { guard: 'wasActive', target: 'joining', actions: ['hostStarted', 'beginWarmup'], description: 'a restarted supernode warms up first' },
          { target: 'inactive', actions: 'hostStarted' },
        ],
      },
    },
  },
};

/**
 * Where `id` is, or would go, in a sorted list of strings: a binary search over a
 * dense array (`clientIds`, `directory`). The directory is searched on the hottest
 * events (Keepalive, Query, Lookup, Connect); Query and Lookup used to scan the `user`
 * of every Attachment object, one cache miss each on states spread over the heap
 * (bench/models.ts: a supernode's Query ~40% faster with `directory`; Keepalive, which
 * copies the whole `clients` array anyway, gains little from `clientIds`).
 */
export function slot(list: readonly string[], id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < id) lo = mid + 1; else hi = mid;
  }
  return lo;
}
/** Whether sorted `list` holds `id`. */
function has(list: readonly string[], id: string): boolean {
  const k = slot(list, id);
  return k < list.length && list[k] === id;
}
/** Sorted `list` with `x` added (a fresh array). */
function inserted(list: readonly string[], x: string): string[] {
  return insertAt(list, slot(list, x), x);
}
/**
 * `list` with `x` inserted at `k` (a fresh array): one copy, one growth, the tail shifted
 * in place; not `slice` then `splice`, whose generic builtin path was a visible part of a
 * supernode's Connect and Register (docs/benchmarks.md, models).
 */
function insertAt<T>(list: readonly T[], k: number, x: T): T[] {
  const next = list.slice();
  const n = list.length;
  if (n === k) { next.push(x); return next; }
  next.push(list[n - 1]); // one growth, then the tail shifted in place
  for (let i = n - 1; i > k; i--) next[i] = next[i - 1];
  next[k] = x;
  return next;
}
/** Sorted `list` with one `x` removed (a fresh array), or `list` itself when `x` is not in it. */
function removed(list: readonly string[], x: string): string[] {
  const k = slot(list, x);
  return k < list.length && list[k] === x ? without(list, k) : list as string[];
}
/**
 * The position of client `id`'s attachment in `c.clients` (sorted by client id, one attachment per
 * client, the ids beside it in `clientIds`), or -1: for readers outside the model too (the
 * simulator, the auth-before-service monitor), which find attachments the way the model does.
 */
export function attachmentIndex(c: C, id: string): number {
  const ids = c.clientIds;
  const k = slot(ids, id);
  return k < ids.length && ids[k] === id ? k : -1;
}
/** The attachment at position `k` of `c.clients` (attachmentIndex; -1: none) if it has a user, i.e. a registration, else null. */
export const registrationAt = (c: C, k: number): Attachment | null => (k >= 0 && c.clients[k].user !== null ? c.clients[k] : null);
const attached = (c: C, id: string) => has(c.clientIds, id);
/** Sorted `list` with `id` in it: `list` itself when it already is, else a fresh array (mesh and query lists). */
const sortedInsert = (list: readonly string[], id: string): string[] => (has(list, id) ? list as string[] : inserted(list, id));

/** The derived lookup fields of a client list (sorted by id): `clientIds` and `directory`. */
export function indexClients(clients: readonly Attachment[]): Pick<SupernodeContext, 'clientIds' | 'directory'> {
  const clientIds: string[] = [];
  const directory: string[] = [];
  for (let i = 0; i < clients.length; i++) {
    clientIds.push(clients[i].client);
    const u = clients[i].user;
    if (u !== null) directory.push(u);
  }
  return { clientIds, directory: directory.sort() };
}
/** Sets the directory to `clients` (sorted by id), with its derived fields. */
function setClients(d: C, clients: Attachment[]): void {
  const x = indexClients(clients);
  d.clients = clients; d.clientIds = x.clientIds; d.directory = x.directory;
}
/** Puts `a` in its client's slot (replacing an earlier attachment of that client), keeping the derived fields. */
function putClient(d: C, a: Attachment): void {
  const ids = d.clientIds;
  const k = slot(ids, a.client);
  let gone: string | null = null;
  if (k < ids.length && ids[k] === a.client) {
    gone = d.clients[k].user;
    d.clients = replaced(d.clients, k, a);
  } else {
    d.clients = insertAt(d.clients, k, a);
    d.clientIds = insertAt(ids, k, a.client);
  }
  if (gone !== a.user) {
    if (gone !== null) d.directory = removed(d.directory, gone);
    if (a.user !== null) d.directory = inserted(d.directory, a.user);
  }
}
/**
 * Sweeps write the attachments' silence in place while steps write in place (models/in-place.ts):
 * the simulator's monitors and trace sink read users, never silences, and it already resets
 * silences in place (its keepalive acceleration). A sweep then allocates nothing unless it drops
 * a client: at 100k clients the copies were 100k attachments a minute, each living a minute, so
 * promoted to the old generation and collected by the full GCs.
 */
/**
 * The sweep's rule, for both sweeps: an attachment stays while its silence (after this sweep's
 * +1) is at most missedKeepalives and a registered user's credential has not expired; with the
 * keep-dead-clients bug, always.
 */
const staysAttached = (a: Attachment, silent: number, keepDead: boolean, max: number, now: number): boolean =>
  keepDead || (silent <= max && (a.user === null || a.expiresAt > now));
/**
 * sweepSilentClients in place: the kept attachments' silence + 1 written into them, the same
 * list kept when nobody is dropped (no copy: the users, the order and the derived fields are
 * unchanged), else a fresh list of the kept ones with its derived fields, as the pure sweep.
 */
function sweepAttachmentsInPlace(d: C, keepDead: boolean, max: number, now: number): void {
  const list = d.clients as { readonly client: string; readonly user: string | null; readonly expiresAt: number; silent: number }[];
  let next: Attachment[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    const silent = a.silent + 1;
    if (staysAttached(a, silent, keepDead, max, now)) {
      a.silent = silent;
      if (next !== null) next.push(a);
    } else if (next === null) next = list.slice(0, i);
  }
  if (next !== null) setClients(d, next);
}
/** Whether `user` is registered here (Query and Lookup; the directory-fresh monitor too). */
export const directoryHas = (c: C, user: string): boolean => has(c.directory, user);
// Records are copied field by field, not spread: `{ ...a, silent: 0 }` on the hot paths goes
// megamorphic in V8 (Attachments come from several sites) and took a supernode's Keepalive
// from ~0.3 to ~1.3 µs on a hot working set (bench/models.ts).
const withSilence = (a: Attachment, silent: number): Attachment => ({ client: a.client, user: a.user, expiresAt: a.expiresAt, silent });
const pendingQuery = (user: string, lookups: readonly string[], relays: readonly string[], awaiting: number): PendingQuery => ({ user, lookups, relays, awaiting });

/**
 * The ConnectAck of a supernode with mesh `mesh`, made once per mesh list: messages are
 * never written, and a mesh list is never changed in place (a new peer makes a new list),
 * so every ConnectAck until the mesh changes can be the same object. In a reconnect storm
 * a supernode accepts Connects by the thousand; copying its mesh (up to tens of peers)
 * into each was most of a Connect step.
 */
const ACKS = new WeakMap<readonly string[], { readonly id: string; readonly msg: Message }>();
function connectAck(c: C): Message {
  const hit = ACKS.get(c.mesh);
  if (hit !== undefined && hit.id === c.cfg.id) return hit.msg;
  const msg: Message = Object.freeze({ kind: 'ConnectAck', supernodes: Object.freeze([c.cfg.id, ...c.mesh]) }) as Message;
  ACKS.set(c.mesh, { id: c.cfg.id, msg });
  return msg;
}

/**
 * The refusals, one frozen object per reason, as the constant messages of MSG: a
 * reconnect storm is mostly Connect → ConnectReject (80% of the stepped events
 * of a 10k-client outage-2010 day), and each refusal then allocates no message.
 */
const REFUSAL = {
  ConnectReject: { busy: Object.freeze({ kind: 'ConnectReject', reason: 'busy' }), closing: Object.freeze({ kind: 'ConnectReject', reason: 'closing' }) },
  RegisterReject: { busy: Object.freeze({ kind: 'RegisterReject', reason: 'busy' }), 'bad-credential': Object.freeze({ kind: 'RegisterReject', reason: 'bad-credential' }) },
} as const satisfies Record<string, Record<string, Message>>;

export const supernodeGuards: Record<string, GuardImpl<C>> = {
  isMega: (c) => c.cfg.mega,
  isDormant: (c) => c.cfg.dormant,
  behindNat: (c) => !c.cfg.public,
  wasActive: (c) => c.active,
  mayPromote: (c, ev) => (c.cfg.public || bug(c, 'promote-nat')) && ev.now - c.upSince >= p(c).promotionUptime,
  warmupOver: (c) => !isArmed(c, 'warmup'),
  meshReady: (c) => c.meshReady,
  loadExceeded: (c) => p(c).overloadThreshold > 0 && c.load > p(c).overloadThreshold,
  // attached + pending < capacity (PROTOCOL.md serving.Connect)
  // The count before the directory search: an attached client's own Connect or Register is the rare case.
  hasRoom: (c, ev) => bug(c, 'no-capacity-check') || c.clients.length < c.cfg.capacity || attached(c, from(ev)),
  credentialRejected: (c, ev) => ev.type === 'Register' && !bug(c, 'skip-credential-check') && !credentialValid(ev.msg.credential, ev.now, p(c).authKey),
  noRoomToRegister: (c, ev) => !bug(c, 'no-capacity-check') && c.clients.length >= c.cfg.capacity && !attached(c, from(ev)),
};

/** Sends the answer of a resolved query to everyone who asked (one message object per kind: messages are never written). */
function answer(d: C, q: PendingQuery, supernode: string | null): void {
  if (q.lookups.length) {
    const msg = { kind: 'LookupResult', user: q.user, supernode } as const;
    for (const c of q.lookups) emit(d, c, msg);
  }
  if (q.relays.length) {
    const msg = { kind: 'QueryResult', user: q.user, supernode } as const;
    for (const s of q.relays) emit(d, s, msg);
  }
}

/** The position of the pending query for `user`, or -1. */
function pendingAt(queries: readonly PendingQuery[], user: string): number {
  for (let i = 0; i < queries.length; i++) if (queries[i].user === user) return i;
  return -1;
}
/** `list` with its element at `k` replaced by `x` (a fresh array: lists are shared between states). */
function replaced<T>(list: readonly T[], k: number, x: T): T[] {
  const next = list.slice();
  next[k] = x;
  return next;
}
/** `list` without its element at `k` (a fresh array, as `replaced`). */
function without<T>(list: readonly T[], k: number): T[] {
  const next: T[] = [];
  for (let i = 0; i < list.length; i++) if (i !== k) next.push(list[i]);
  return next;
}

/**
 * Starts (or joins) a mesh query for `user` on behalf of `asker` (a client's
 * Lookup, or a peer's Query to relay); answers null at once when `ttl` is spent
 * or there is nobody to ask. The fan-out (every mesh peer but the asker: up to
 * 49 on the bench's 50 supernodes) sends one shared Query object.
 */
function query(d: C, user: string, asker: string, relay: boolean, ttl: number): void {
  const k = pendingAt(d.queries, user);
  if (k >= 0) {
    const existing = d.queries[k];
    const joined = relay
      ? pendingQuery(user, existing.lookups, sortedInsert(existing.relays, asker), existing.awaiting)
      : pendingQuery(user, sortedInsert(existing.lookups, asker), existing.relays, existing.awaiting);
    d.queries = replaced(d.queries, k, joined);
    return;
  }
  // Nobody to ask (ttl spent, the commonest case: a relayed Query; or no other peer): null to the asker at once.
  const mesh = d.mesh;
  let peers = 0;
  if (ttl > 0) for (let i = 0; i < mesh.length; i++) if (mesh[i] !== asker) peers++;
  if (peers === 0) { emit(d, asker, { kind: relay ? 'QueryResult' : 'LookupResult', user, supernode: null }); return; }
  const msg = { kind: 'Query', user, ttl } as const;
  for (let i = 0; i < mesh.length; i++) if (mesh[i] !== asker) emit(d, mesh[i], msg);
  d.queries = [...d.queries, pendingQuery(user, relay ? [] : [asker], relay ? [asker] : [], peers)].sort((a, b) => (a.user < b.user ? -1 : 1));
  arm(d, 'query');
}

export const supernodeActions: Record<string, ActionImpl<C>> = {
  arm: (d, _ev, params) => arm(d, params.timer),
  disarm: (d, _ev, params) => cancel(d, params.timer),
  activate: (d) => { d.active = true; },
  greetPeers: (d) => {
    for (const peer of d.cfg.peers) emit(d, peer, MSG.PeerHello);
    d.meshReady = false;
    arm(d, 'join');
  },
  beginWarmup: (d) => { arm(d, 'warmup'); },
  addPeer: (d, ev) => { d.mesh = sortedInsert(d.mesh, from(ev)); },
  ackPeer: (d, ev) => { emit(d, from(ev), MSG.PeerAck); },
  markMeshReady: (d) => { d.meshReady = true; },
  startServing: (d) => { arm(d, 'keepalive'); arm(d, 'loadWindow'); },
  stopServing: (d) => { cancel(d, 'keepalive'); cancel(d, 'loadWindow'); cancel(d, 'query'); },
  // overloadThreshold 0 switches self-eviction off, and with it the load count.
  countLoad: (d) => { if (p(d).overloadThreshold > 0) d.load += 1; },
  newLoadWindow: (d) => { d.load = 0; arm(d, 'loadWindow'); },
  acceptConnect: (d, ev) => {
    const id = from(ev);
    if (!attached(d, id)) putClient(d, { client: id, user: null, expiresAt: 0, silent: 0 });
    emit(d, id, connectAck(d));
  },
  rejectConnect: (d, ev, params) => { emit(d, from(ev), REFUSAL.ConnectReject[params.reason as 'busy' | 'closing']); },
  rejectRegister: (d, ev, params) => { emit(d, from(ev), REFUSAL.RegisterReject[params.reason as 'busy' | 'bad-credential']); },
  registerClient: (d, ev) => {
    if (ev.type !== 'Register') return;
    const { user, expiresAt } = ev.msg.credential;
    // One entry per user: a user who reattaches from elsewhere replaces the old entry. When the old entry is this
    // client's own (it registers again: back after its host's restart, or reattached here before a sweep dropped
    // the old entry; the commonest case in a storm), putClient below replaces it in its slot, which leaves the same
    // lists as taking it out first; only an entry under another client is filtered out (a copy of the list and its
    // derived fields, with a sort).
    if (directoryHas(d, user)) {
      const k = attachmentIndex(d, ev.from);
      if (k < 0 || d.clients[k].user !== user) setClients(d, d.clients.filter((a) => a.user !== user));
    }
    putClient(d, { client: ev.from, user, expiresAt, silent: 0 });
    emit(d, ev.from, MSG.RegisterAck);
  },
  answerKeepalive: (d, ev) => {
    // The hottest action (every client, every keepaliveInterval): a binary search and
    // one copied slot (bench/models.ts).
    const id = from(ev);
    const k = attachmentIndex(d, id);
    if (k < 0) return;
    const list = d.clients;
    const a = list[k];
    if (a.user === null) return;
    if (a.silent !== 0) d.clients = replaced(list, k, withSilence(a, 0));
    emit(d, id, MSG.KeepaliveAck);
  },
  unregisterClient: (d, ev) => {
    // The attachment out of the three sorted lists at its place: what a filter and indexClients gave, without
    // their closure, copies and sort (4% of a quiet hour of the 100k-client simulation). A user has one
    // attachment at a supernode (registerClient), so its one entry leaves the directory.
    const k = attachmentIndex(d, from(ev));
    if (k < 0) return;
    const user = d.clients[k].user;
    d.clients = without(d.clients, k);
    d.clientIds = without(d.clientIds, k);
    if (user !== null) d.directory = removed(d.directory, user);
  },
  sweepSilentClients: (d, ev) => {
    const keepDead = bug(d, 'keep-dead-clients');
    const max = p(d).missedKeepalives;
    if (inPlace()) { sweepAttachmentsInPlace(d, keepDead, max, ev.now); arm(d, 'keepalive'); return; }
    const next: Attachment[] = [];
    let dropped = false;
    for (const a of d.clients) {
      const silent = a.silent + 1;
      if (staysAttached(a, silent, keepDead, max, ev.now)) next.push(withSilence(a, silent)); else dropped = true;
    }
    // The derived fields stay shared with the last state unless someone was dropped.
    if (dropped) setClients(d, next); else d.clients = next;
    arm(d, 'keepalive');
  },
  resolveLookup: (d, ev) => {
    if (ev.type !== 'Lookup') return;
    if (directoryHas(d, ev.msg.user)) emit(d, ev.from, { kind: 'LookupResult', user: ev.msg.user, supernode: d.cfg.id });
    else query(d, ev.msg.user, ev.from, false, p(d).queryTtl);
  },
  resolveQuery: (d, ev) => {
    if (ev.type !== 'Query') return;
    if (directoryHas(d, ev.msg.user)) emit(d, ev.from, { kind: 'QueryResult', user: ev.msg.user, supernode: d.cfg.id });
    else query(d, ev.msg.user, ev.from, true, ev.msg.ttl - 1);
  },
  collectQueryResult: (d, ev) => {
    if (ev.type !== 'QueryResult') return;
    const k = pendingAt(d.queries, ev.msg.user);
    if (k < 0) return;
    const q = d.queries[k];
    if (ev.msg.supernode !== null || q.awaiting <= 1) {
      answer(d, q, ev.msg.supernode);
      d.queries = without(d.queries, k);
      if (d.queries.length === 0) cancel(d, 'query');
    } else {
      d.queries = replaced(d.queries, k, pendingQuery(q.user, q.lookups, q.relays, q.awaiting - 1));
    }
  },
  answerPendingQueriesNull: (d) => {
    for (const q of d.queries) answer(d, q, null);
    d.queries = [];
  },
  shedClients: (d) => {
    for (const a of d.clients) emit(d, a.client, MSG.Closing);
    d.clients = []; d.clientIds = []; d.directory = []; d.queries = []; d.load = 0; d.mesh = [];
    cancelAll(d);
    arm(d, 'cooldown');
  },
  loseEverything: (d) => {
    d.clients = []; d.clientIds = []; d.directory = []; d.queries = []; d.load = 0; d.mesh = []; d.meshReady = false;
    cancelAll(d);
  },
  hostStarted: (d, ev) => { d.upSince = ev.now; },
};

export function supernodeContext(cfg: ActorConfig, now: number): SupernodeContext {
  return { cfg, outbox: [], armed: [], timers: [], clients: [], clientIds: [], directory: [], mesh: [], queries: [], load: 0, meshReady: false, active: false, upSince: now };
}

export const supernode = defineRole<SupernodeContext>(supernodeConfig, supernodeContext, supernodeGuards, supernodeActions);
