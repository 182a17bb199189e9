// Named systems to explore, as data (values of schemas/config.schema.json):
// the small configurations model checkers run, beside the parametric models,
// as TLA+ keeps a .cfg beside its spec. Exploration presets shrink the
// retry/keepalive counts so that interleavings stay enumerable; their names say
// what they are for. `snc explore --preset NAME` runs one.
import type { SystemConfig } from '../schemas/generated/config.js';
import type { Actor } from '../schemas/generated/trace.js';

export type { SystemConfig };

/** Parameters that keep exploration finite and small without changing the protocol's shape. */
export const EXPLORE_PARAMS = {
  maxAttempts: 2,
  missedKeepalives: 1,
  hostCacheMax: 4,
  queryTtl: 1,
  overloadThreshold: 0,
  authQueue: 0,
} as const;

/**
 * EXPLORE_PARAMS with keepalives beyond the explorer's 1 h horizon: for presets
 * without crashes, where keepalive rounds only multiply interleavings.
 */
export const QUIET_PARAMS = { ...EXPLORE_PARAMS, keepaliveInterval: 7_200_000 } as const;

const servers: Actor[] = [{ id: 'auth', role: 'auth' }, { id: 'im', role: 'im' }];
const sn = (id: string, extra: Partial<Extract<Actor, { role: 'supernode' }>> = {}): Actor => ({ id, role: 'supernode', host: `h-${id}`, ...extra });
const client = (id: string, user: string, extra: Partial<Extract<Actor, { role: 'client' }>> = {}): Actor => ({ id, role: 'client', host: `h-${id}`, user, ...extra });

export const PRESETS: Readonly<Record<string, SystemConfig>> = {
  tiny: {
    name: 'tiny',
    description: '1 auth, 1 im, 2 supernodes, 2 clients: logins, a lookup across the mesh; no faults, keepalives beyond the horizon.',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice'), client('c2', 'bob')],
    params: { ...QUIET_PARAMS },
    budget: { lookups: 1 },
  },
  'supernode-crash': {
    name: 'supernode-crash',
    description: '2 supernodes, 1 client, keepalives on: one host crash; the client notices and reattaches.',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice')],
    params: { ...EXPLORE_PARAMS },
    budget: { crashes: 1 },
  },
  'tiny-faults': {
    name: 'tiny-faults',
    description: 'tiny with keepalives, one host crash and one lookup: large (over a million states); for benchmarks and --random.',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice'), client('c2', 'bob')],
    params: { ...EXPLORE_PARAMS },
    budget: { crashes: 1, lookups: 1 },
  },
  'two-supernodes-four-clients': {
    name: 'two-supernodes-four-clients',
    description: '2 supernodes, 4 interchangeable clients, no faults: the symmetry-reduction benchmark.',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice'), client('c2', 'bob'), client('c3', 'carol'), client('c4', 'dave')],
    params: { ...QUIET_PARAMS, maxAttempts: 1 },
    budget: {},
  },
  'late-im-crash': {
    name: 'late-im-crash',
    description: 'A 5.0.0.152 client and an im that turns slow: the late OfflineImBatch crashes the client and its host (no-client-crash).',
    actors: [...servers, sn('sn1'), client('c1', 'alice', { version: '5.0.0.152' })],
    params: { ...EXPLORE_PARAMS },
    budget: { imFaults: 1 },
  },
  'outage-small': {
    name: 'outage-small',
    description: 'The 2010 outage in miniature: a 5.0.0.152 client on a public host that also runs a supernode, a 5.0.0.156 client, a slow im, a standby mega-supernode.',
    actors: [
      ...servers,
      { id: 'sn1', role: 'supernode', host: 'h1' },
      sn('sn2', { capacity: 1 }),
      client('c1', 'alice', { host: 'h1', public: true, version: '5.0.0.152' }),
      client('c2', 'bob'),
      sn('mega1', { mega: true, capacity: 4 }),
    ],
    standby: ['mega1'],
    params: { ...EXPLORE_PARAMS },
    budget: { imFaults: 1, joins: 1 },
  },
  'full-other-supernode': {
    name: 'full-other-supernode',
    description: "c1's upstream crashes while the only other supernode is full (capacity 0): reattach-within is excused (it is conditional on spare capacity).",
    actors: [...servers, sn('sn1', { capacity: 1 }), sn('sn2', { capacity: 0 }), client('c1', 'alice', { hostCache: ['sn1', 'sn2'] })],
    params: { ...EXPLORE_PARAMS },
    budget: { crashes: 1 },
  },
  'no-capacity-check': {
    name: 'no-capacity-check',
    description: 'Seeded defect: the supernode skips its capacity check (violates capacity).',
    actors: [...servers, sn('sn1', { capacity: 1 }), client('c1', 'alice'), client('c2', 'bob')],
    params: { ...EXPLORE_PARAMS, bugs: ['no-capacity-check'] },
    budget: {},
  },
  'skip-credential-check': {
    name: 'skip-credential-check',
    description: 'Seeded defect: the supernode accepts any credential; an adversary forges one (violates auth-before-service).',
    actors: [...servers, sn('sn1'), client('c1', 'alice')],
    params: { ...EXPLORE_PARAMS, bugs: ['skip-credential-check'] },
    budget: { forgeries: 1, autoLogin: false },
  },
  'forged-credential': {
    name: 'forged-credential',
    description: 'The correct supernode against the same adversary: forged credentials are rejected.',
    actors: [...servers, sn('sn1'), client('c1', 'alice')],
    params: { ...EXPLORE_PARAMS },
    budget: { forgeries: 1, autoLogin: false },
  },
  promotion: {
    name: 'promotion',
    description: 'A dormant supernode on a NAT host and one on a public host; the operator promotes (public-only-supernodes).',
    actors: [
      ...servers,
      sn('sn1'),
      { id: 'sn2', role: 'supernode', host: 'h2', dormant: true },
      { id: 'sn3', role: 'supernode', host: 'h3', dormant: true },
      client('c2', 'bob', { host: 'h2', public: true }),
      client('c3', 'carol', { host: 'h3', public: false }),
    ],
    params: { ...EXPLORE_PARAMS, promotionUptime: 0 },
    budget: { promotes: 2, autoLogin: false },
  },
  overload: {
    name: 'overload',
    description: 'Supernodes with a 3-message overload threshold: the shed client\'s reconnection trips it again, a self-eviction loop (violates reattach-within; --props overload-evicts,reattach-within shows the self-eviction witnessed).',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice', { hostCache: ['sn1', 'sn2'] })],
    params: { ...EXPLORE_PARAMS, overloadThreshold: 3 },
    budget: {},
  },
  'never-reattach-bug': {
    name: 'never-reattach-bug',
    description: 'Seeded defect: clients never reattach after losing their upstream (violates notice-dead-upstream and reattach-within).',
    actors: [...servers, sn('sn1'), sn('sn2'), client('c1', 'alice')],
    params: { ...EXPLORE_PARAMS, bugs: ['never-reattach'] },
    budget: { crashes: 1 },
  },
  mutation: {
    name: 'mutation',
    description: 'For `npm run mutants`: a supernode with capacity 1 wanted by two clients, credentials that expire before the first keepalive sweep (so clients are dropped and reattach), an im that may turn slow before the logins, one crash; short warmup. Under `snc explore` (step clock: model time stands still, so a renewal returns the same credential and the renew timer falls due again at once) a client can spend notice-dead-upstream\'s 8 steps renewing after its supernode crashed: that property is violated by the correct model here; `npm run mutants` runs the preset in real time, where it is not.',
    actors: [...servers, sn('sn1', { capacity: 1 }), client('c1', 'alice'), client('c2', 'bob')],
    // Renewal every 23 s against keepalives every 60 s: the two timers of a client seldom fall due together.
    params: { ...EXPLORE_PARAMS, credentialLifetime: 30_000, renewBefore: 7_000, warmup: 20_000, cooldown: 20_000 },
    budget: { imFaults: 1, crashes: 1, logins: 2, autoLogin: false },
  },
  'promotion-nat-bug': {
    name: 'promotion-nat-bug',
    description: 'Seeded defect: promotion ignores the public-address rule (violates public-only-supernodes).',
    actors: [
      ...servers,
      sn('sn1'),
      { id: 'sn3', role: 'supernode', host: 'h3', dormant: true },
      client('c3', 'carol', { host: 'h3', public: false }),
    ],
    params: { ...EXPLORE_PARAMS, promotionUptime: 0, bugs: ['promote-nat'] },
    budget: { promotes: 1, autoLogin: false },
  },
};

/** The preset used when none is named. */
export const DEFAULT_PRESET = 'tiny';
