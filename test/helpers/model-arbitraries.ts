// fast-check arbitraries for the role machines: random actor configurations
// (small parameters so that limits are reached within a few events) and random
// event sequences. An event is generated as a *recipe* that is realised against
// the current local state, so that `from` can name the current target or peer,
// a timer that is actually armed can fire, and "helpful" replies (the answer the
// protocol expects next) keep the walks from dying in `offline`. Realisation is
// deterministic: the same recipes from the same config give the same events.
import fc from 'fast-check';
import { actorConfigs, type ActorConfig, type Local, type ModelEvent } from '../../models/index.js';
import { issueCredential, sign } from '../../models/effects.js';
import type { Actor, Credential, Role, TimerName } from '../../models/types.js';
import type { Params } from '../../models/params.js';
import type { BugName } from '../../models/params.js';
import type { Role as RoleDef } from '../../models/role.js';
import { deliver, input, timeout } from './model-events.js';

/** Every id a ConnectAck may list: the supernodes of the generated systems. */
export const SUPERNODE_IDS = ['s1', 's2', 's3', 's4', 's5'] as const;
export const CLIENT_IDS = ['c1', 'c2', 'c3'] as const;
const USERS = ['u1', 'u2', 'u3', 'nobody'] as const;
const STRANGER = 'x9';
const BUGS: readonly BugName[] = ['no-capacity-check', 'skip-credential-check', 'never-reattach', 'keep-dead-clients', 'promote-nat'];
const H = 3_600_000;

/** Small parameters: capacity 0–3, maxAttempts 1–3, missedKeepalives 1–3, hostCacheMax 1–4, overloadThreshold 1–6, some bugs. */
export const paramsArb = (bugs: fc.Arbitrary<BugName[]> = fc.subarray([...BUGS])): fc.Arbitrary<Params> =>
  fc.record({
    capacity: fc.integer({ min: 0, max: 3 }),
    maxAttempts: fc.integer({ min: 1, max: 3 }),
    missedKeepalives: fc.integer({ min: 1, max: 3 }),
    hostCacheMax: fc.integer({ min: 1, max: 4 }),
    overloadThreshold: fc.integer({ min: 1, max: 6 }),
    authQueue: fc.integer({ min: 1, max: 4 }),
    queryTtl: fc.integer({ min: 0, max: 2 }),
    credentialLifetime: fc.constantFrom(10_000, H, 24 * H),
    promotionUptime: fc.constantFrom(0, 60_000, 2 * H),
    bugs,
  });

/** The configuration of one actor of `role` (id c1, s1, auth or im), built through `actorConfigs` from a generated header. */
export function actorConfigArb(role: Role, bugs?: fc.Arbitrary<BugName[]>): fc.Arbitrary<ActorConfig> {
  return fc.record({
    params: paramsArb(bugs),
    version: fc.constantFrom('5.0.0.152', '5.0.0.156'),
    public: fc.boolean(),
    // Mostly non-empty: an empty cache only ever leads to `failed`.
    hostCache: fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 1 }, { arbitrary: fc.uniqueArray(fc.constantFrom<string>(...SUPERNODE_IDS), { minLength: 1, maxLength: 5 }), weight: 6 }),
    peers: fc.uniqueArray(fc.constantFrom('s2', 's3'), { maxLength: 2 }),
    mega: fc.boolean(),
    dormant: fc.boolean(),
    capacity: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    neighbour: fc.boolean(),
  }).map((g) => {
    const actors: Actor[] = [
      { id: 'auth', role: 'auth' },
      { id: 'im', role: 'im' },
      { id: 's1', role: 'supernode', host: 'h1', mega: g.mega, dormant: g.dormant, peers: g.peers, ...(g.capacity !== undefined ? { capacity: g.capacity } : {}) },
      { id: 's2', role: 'supernode', host: 'h2' },
      { id: 's3', role: 'supernode', host: 'h3' },
      // c1 shares host h1 with s1 when `neighbour`: then s1 is public only if c1 is.
      // A mega-supernode has a dedicated host (PROTOCOL.md "Actors"): no client beside it.
      { id: 'c1', role: 'client', host: g.neighbour && !g.mega ? 'h1' : 'hc1', public: g.public, version: g.version, user: 'u1', hostCache: g.hostCache },
      { id: 'c2', role: 'client', host: 'hc2', user: 'u2', password: 'pw2' },
      { id: 'c3', role: 'client', host: 'hc3', user: 'u3' },
    ];
    const id = { client: 'c1', supernode: 's1', auth: 'auth', im: 'im' }[role];
    return actorConfigs(actors, g.params).find((c) => c.id === id)!;
  });
}

/** One event to be realised against the current state. */
export interface Recipe {
  /** `any`: an event of `type`; `armed`: fire an armed timer; `helpful`: the reply the protocol expects next. */
  readonly mode: 'any' | 'armed' | 'helpful';
  readonly type: string;
  /** Chooses the sender. */
  readonly who: number;
  /** Chooses the message variant (reason, credential kind, user, ...). */
  readonly v: number;
  /** Time since the previous event, ms. */
  readonly dt: number;
}

/** Recipes for `role`, types drawn from `role.eventTypes`. */
export const recipeArb = (role: RoleDef<any>): fc.Arbitrary<Recipe> =>
  fc.record({
    mode: fc.constantFrom<Recipe['mode']>('any', 'any', 'armed', 'helpful', 'helpful', 'helpful'),
    type: fc.constantFrom(...role.eventTypes),
    who: fc.nat(9),
    v: fc.nat(31),
    // Mostly small steps; an hour or a day now and then (credentials expire, uptime grows).
    dt: fc.constantFrom(0, 1, 500, 500, 5_000, 5_000, 60_000, 60_000, H, 25 * H),
  });

/** A configuration, a start time and up to `maxLength` recipes. */
export const runArb = (role: RoleDef<any>, maxLength = 40, bugs?: fc.Arbitrary<BugName[]>) =>
  fc.record({
    cfg: actorConfigArb(role.name as Role, bugs),
    t0: fc.constantFrom(0, 1_000, 10 * H),
    recipes: fc.array(recipeArb(role), { maxLength }),
  });

/** A credential of kind `v % 7` for `user` at `now`: valid (0–2), expired, forged signature, wrong key, another user's. */
export function credentialFor(user: string, now: number, cfg: ActorConfig, v: number): Credential {
  const { credentialLifetime: life, authKey: key } = cfg.params;
  switch (v % 7) {
    case 3: return issueCredential(user, now - life - 1, life, key);
    case 4: return { ...issueCredential(user, now, life, key), sig: 'deadbeef' };
    case 5: return issueCredential(user, now, life, key + '-forged');
    case 6: return issueCredential(user === 'u2' ? 'u3' : 'u2', now, life, key);
    default: return issueCredential(user, now, life, key);
  }
}
/** True when a supernode must reject `c` at `now`: expired, or not signed with the auth key. */
export const forgedOrExpired = (c: Credential, now: number, cfg: ActorConfig) =>
  c.expiresAt <= now || c.sig !== sign(c.user, c.issuedAt, c.expiresAt, cfg.params.authKey);

const userOf = (client: string) => `u${client.slice(1)}`;
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];

/** Senders worth trying for `role` in `local`: the current partners first, then others and a stranger. */
function senders(local: Local<any>): string[] {
  const c = local.ctx;
  switch (c.cfg.role as Role) {
    case 'client': return [c.target ?? 's1', c.target ?? 's2', ...c.hostCache, 's2', STRANGER, c.cfg.auth, c.cfg.im];
    case 'supernode': return ['c1', 'c2', 'c3', ...c.clients.map((a: { client: string }) => a.client), ...c.cfg.peers, 's2', STRANGER];
    default: return ['c1', 'c2', 'c3', STRANGER];
  }
}

/** The event `type` with variant `v`, from `from`, at `now`. */
function eventOf(type: string, from: string, v: number, now: number, cfg: ActorConfig): ModelEvent {
  if (type.startsWith('timeout.')) return timeout(type.slice(8) as TimerName, now);
  switch (type) {
    case 'crash': case 'restart': return { type, now };
    case 'input.Login': return input({ kind: 'Login' }, now);
    case 'input.Logout': return input({ kind: 'Logout' }, now);
    case 'input.Lookup': return input({ kind: 'Lookup', user: pick(USERS, v) }, now);
    case 'input.Promote': return input({ kind: 'Promote' }, now);
    case 'input.SetMode': return input({ kind: 'SetMode', mode: pick(['up', 'slow', 'overloaded', 'down'] as const, v) }, now);
    case 'ConnectAck': return deliver(from, { kind: 'ConnectAck', supernodes: SUPERNODE_IDS.filter((_, i) => (v >> i) & 1) }, now);
    case 'ConnectReject': return deliver(from, { kind: 'ConnectReject', reason: v % 2 ? 'busy' : 'closing' }, now);
    case 'LoginRequest': {
      const user = pick(USERS, v);
      const known = cfg.users.find((u) => u.user === user);
      return deliver(from, { kind: 'LoginRequest', user, password: known && v % 3 !== 2 ? known.password : 'wrong' }, now);
    }
    case 'LoginOk': return deliver(from, { kind: 'LoginOk', credential: credentialFor(cfg.user || 'u1', now, cfg, v) }, now);
    case 'LoginDenied': return deliver(from, { kind: 'LoginDenied', reason: v % 2 ? 'bad-password' : 'unknown-user' }, now);
    case 'Register': return deliver(from, { kind: 'Register', credential: credentialFor(from.startsWith('c') ? userOf(from) : 'u1', now, cfg, v) }, now);
    case 'RegisterReject': return deliver(from, { kind: 'RegisterReject', reason: v % 2 ? 'busy' : 'bad-credential' }, now);
    case 'Lookup': return deliver(from, { kind: 'Lookup', user: pick(USERS, v) }, now);
    case 'Query': return deliver(from, { kind: 'Query', user: pick(USERS, v), ttl: v % 3 }, now);
    case 'QueryResult': return deliver(from, { kind: 'QueryResult', user: pick(USERS, v), supernode: v % 2 ? null : pick(SUPERNODE_IDS, v >> 1) }, now);
    case 'LookupResult': return deliver(from, { kind: 'LookupResult', user: pick(USERS, v), supernode: null }, now);
    case 'OfflineImBatch': return deliver(from, { kind: 'OfflineImBatch', count: v }, now);
    case 'Connect': case 'LoginBusy': case 'RegisterAck': case 'Keepalive': case 'KeepaliveAck': case 'PeerHello':
    case 'PeerAck': case 'Unregister': case 'Closing': case 'OfflineImFetch':
      return deliver(from, { kind: type } as any, now);
  }
  throw new Error(`eventOf: no generator for event type "${type}" (add one to test/helpers/model-arbitraries.ts)`);
}

/** The reply the protocol expects next in `local` (keeps random walks moving). */
function helpful(local: Local<any>, r: Recipe, now: number): ModelEvent | undefined {
  const c = local.ctx;
  const cfg: ActorConfig = c.cfg;
  const { v } = r;
  switch (cfg.role as Role) {
    case 'client':
      switch (local.value) {
        case 'offline': case 'failed': return input({ kind: 'Login' }, now);
        case 'connecting': return v % 4 === 3 ? eventOf('ConnectReject', c.target ?? 's1', v, now, cfg) : eventOf('ConnectAck', c.target ?? 's1', v, now, cfg);
        case 'authenticating': return v % 5 === 4 ? eventOf('LoginBusy', cfg.auth, v, now, cfg) : deliver(cfg.auth, { kind: 'LoginOk', credential: credentialFor(cfg.user, now, cfg, v % 8 === 7 ? 3 : 0) }, now);
        case 'retrying': case 'authWaiting': return timeout('retry', now);
        case 'registering': return eventOf(v % 4 === 3 ? 'RegisterReject' : 'RegisterAck', c.target ?? 's1', v, now, cfg);
        case 'online': return pick([
          eventOf('KeepaliveAck', c.target ?? 's1', v, now, cfg), timeout('keepalive', now), eventOf('OfflineImBatch', cfg.im, v, now, cfg),
          timeout('im', now), input({ kind: 'Lookup', user: pick(USERS, v) }, now), eventOf('Closing', c.target ?? 's1', v, now, cfg),
          timeout('renew', now), input({ kind: 'Logout' }, now),
        ], v);
        case 'crashed': return { type: 'restart', now };
      }
      return undefined;
    case 'supernode': {
      const client = pick(CLIENT_IDS, r.who);
      switch (local.value) {
        case 'inactive': return input({ kind: 'Promote' }, now);
        case 'joining': return v % 3 === 0 ? timeout(v % 2 ? 'join' : 'warmup', now) : deliver(pick([...cfg.peers, 's2'], v), { kind: 'PeerAck' }, now);
        case 'serving': return pick([
          deliver(client, { kind: 'Connect' }, now), deliver(client, { kind: 'Register', credential: credentialFor(userOf(client), now, cfg, v % 8 === 7 ? 4 : 0) }, now),
          deliver(client, { kind: 'Keepalive' }, now), eventOf('Lookup', client, v, now, cfg), eventOf('Query', 's2', v, now, cfg),
          eventOf('QueryResult', pick([...cfg.peers, 's2'], v), v, now, cfg), timeout('keepalive', now), timeout('loadWindow', now),
          deliver(client, { kind: 'Unregister' }, now), timeout('query', now),
        ], v);
        case 'overloaded': return timeout('cooldown', now);
        case 'crashed': return { type: 'restart', now };
      }
      return undefined;
    }
    case 'auth':
      return v % 6 === 5 ? timeout('loadWindow', now) : eventOf('LoginRequest', pick(CLIENT_IDS, r.who), v, now, cfg);
    case 'im':
      return v % 4 === 3 ? timeout('reply', now) : deliver(pick(CLIENT_IDS, r.who), { kind: 'OfflineImFetch' }, now);
  }
}

/** Turns `r` into an event for `local` at time `now` (deterministic). */
export function realize(r: Recipe, local: Local<any>, now: number): ModelEvent {
  const cfg: ActorConfig = local.ctx.cfg;
  if (r.mode === 'armed' && local.ctx.timers.length > 0) return timeout(pick(local.ctx.timers as TimerName[], r.v), now);
  if (r.mode === 'helpful') { const ev = helpful(local, r, now); if (ev) return ev; }
  return eventOf(r.type, pick(senders(local), r.who), r.v, now, cfg);
}

/**
 * Runs the recipes through `role`'s fast step from `init(cfg, t0)`, calling
 * `visit` after init (index -1, event null) and after every event.
 */
export function walk(
  role: RoleDef<any>, run: { cfg: ActorConfig; t0: number; recipes: readonly Recipe[] },
  visit: (local: Local<any>, index: number, ev: ModelEvent | null) => void,
): Local<any> {
  let local = role.init(run.cfg, run.t0).next;
  visit(local, -1, null);
  let now = run.t0;
  run.recipes.forEach((r, i) => {
    now += r.dt;
    const ev = realize(r, local, now);
    local = role.step(local, ev).next;
    visit(local, i, ev);
  });
  return local;
}
