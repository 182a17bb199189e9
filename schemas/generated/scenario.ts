/* eslint-disable */
// generated — do not edit — regenerate with `npm run gen` (from schemas/scenario.schema.json)

/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Share".
 */
export type Share = number;
/**
 * First logins are spread uniformly over this (default 10m).
 */
export type Duration = Milliseconds | DurationText;
export type Milliseconds = number;
export type DurationText = string;
/**
 * Mean session length before Logout (exponential); absent: users stay logged in.
 */
export type Duration1 = Milliseconds | DurationText;
/**
 * Mean time offline before the next Login (default 1h).
 */
export type Duration2 = Milliseconds | DurationText;
/**
 * Mean time before a user retries after a login failure (default 5m).
 */
export type Duration3 = Milliseconds | DurationText;
/**
 * One-way message latency in ms (default lognormal, median 40, sigma 0.5).
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Latency".
 */
export type Latency = UniformLatency | ExponentialLatency | LogNormalLatency;
/**
 * A fault or operator action. Counts are at the scenario's own scale and scale with --supernodes / --clients.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Action".
 */
export type Action = CrashAction | MassRestartAction | SetModeAction | AddMegaAction;
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Duration".
 */
export type Duration4 = Milliseconds | DurationText;
/**
 * Simulated time.
 */
export type Duration5 = Milliseconds | DurationText;
/**
 * Interval of the time series (default 1m).
 */
export type Duration6 = Milliseconds | DurationText;

/**
 * A large-scale scenario for `snc simulate`: a population of clients and supernodes, model parameters (with their sources), user behaviour, network latency, and a schedule of faults and operator actions. Durations are ms or text such as "90s", "10m", "2h", "1d".
 */
export interface Scenario {
  $schema?: string;
  name: string;
  description?: string;
  population: Population;
  users?: Users;
  network?: Network;
  params?: Params;
  /**
   * Where each figure comes from, by parameter or field name: free text (the bundled scenarios mark each [C] confirmed by Skype, [S] secondary reports, [?] assumed).
   */
  sources?: {
    [k: string]: string | undefined;
  };
  /**
   * Faults and operator actions, each at a time from the start.
   */
  schedule?: Action[];
  duration: Duration5;
  sample?: Duration6;
  baseline?: Baseline;
  /**
   * N of bounded-response properties in clock time, by property id (default: see snc simulate --help).
   */
  props?: {
    [k: string]: Duration4 | undefined;
  };
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Population".
 */
export interface Population {
  /**
   * Hosts, each running one client.
   */
  clients: number;
  /**
   * Supernodes, each on a public client host (at most the number of public hosts).
   */
  supernodes: number;
  /**
   * Share of hosts with a public address (default 0.3; raised to fit the supernodes).
   */
  publicShare?: number;
  /**
   * Client versions and their shares (normalised); default all 5.0.0.156.
   *
   * @minItems 1
   */
  versions?: [VersionShare, ...VersionShare[]];
  /**
   * Supernodes in a new client's host cache, drawn at random (default 7, as Skype's bootstrap list).
   */
  bootstrap?: number;
  /**
   * Peers each supernode greets, drawn at random (default 8).
   */
  meshDegree?: number;
  /**
   * Capacity of an operator mega-supernode (default 10 × capacity). Its overload threshold scales with it.
   */
  megaCapacity?: number;
  /**
   * Mega-supernode ids at the end of each client's bootstrap host cache, as Skype's own bootstrap nodes (default 2): how clients find them once added.
   */
  megaBootstrap?: number;
}
export interface VersionShare {
  version: string;
  share: Share;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Users".
 */
export interface Users {
  loginSpread?: Duration;
  sessionMean?: Duration1;
  offlineMean?: Duration2;
  retryMean?: Duration3;
  /**
   * Lookups per online user per hour (default 0).
   */
  lookupsPerHour?: number;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "Network".
 */
export interface Network {
  latency?: Latency;
  /**
   * Probability that a message is lost (default 0).
   */
  loss?: number;
}
export interface UniformLatency {
  distribution: 'uniform';
  min: number;
  max: number;
}
export interface ExponentialLatency {
  distribution: 'exponential';
  min?: number;
  mean: number;
}
export interface LogNormalLatency {
  distribution: 'lognormal';
  median: number;
  sigma: number;
}
/**
 * Overrides of model parameters for this trace (see docs/parameters.md).
 */
export interface Params {
  hostCacheMax?: number;
  connectTimeout?: number;
  retryWait?: number;
  maxAttempts?: number;
  loginTimeout?: number;
  /**
   * ms, at least 1: the timer re-arms itself when it fires (0 would fire forever at one instant)
   */
  keepaliveInterval?: number;
  missedKeepalives?: number;
  capacity?: number;
  queryTtl?: number;
  queryTimeout?: number;
  /**
   * ms, at least 1: the timer re-arms itself when it fires (0 would fire forever at one instant)
   */
  loadWindow?: number;
  overloadThreshold?: number;
  cooldown?: number;
  warmup?: number;
  promotionUptime?: number;
  credentialLifetime?: number;
  renewBefore?: number;
  imTimeout?: number;
  imSlowDelay?: number;
  restartDelay?: number;
  authQueue?: number;
  buggyVersions?: string[];
  authKey?: string;
  /**
   * Model variants with a seeded defect (for tests of the explorer and the checker). Default none.
   */
  bugs?: ('no-capacity-check' | 'skip-credential-check' | 'never-reattach' | 'keep-dead-clients' | 'promote-nat')[];
}
/**
 * Hosts crash at `at`; each restarts after restartDelay unless `restart` is false.
 */
export interface CrashAction {
  action: 'crash';
  at: Duration4;
  /**
   * Hosts that run a supernode, or any client host.
   */
  target: 'supernode-hosts' | 'client-hosts';
  /**
   * How many (scaled); or give share.
   */
  count?: number;
  share?: Share;
  /**
   * Default true.
   */
  restart?: boolean;
}
/**
 * A share of all client hosts goes down at random times within `window` and restarts after restartDelay (the 2007 Windows Update reboot).
 */
export interface MassRestartAction {
  action: 'mass-restart';
  at: Duration4;
  window: Duration4;
  share: Share;
}
/**
 * A fault or operator action on a server: im slow (late replies) or down (switched off); auth overloaded or down; either back up.
 */
export interface SetModeAction {
  action: 'set-mode';
  at: Duration4;
  server: 'im' | 'auth';
  mode: 'up' | 'slow' | 'overloaded' | 'down';
}
/**
 * The operator adds `count` mega-supernodes (scaled with --supernodes, at least 1).
 */
export interface AddMegaAction {
  action: 'add-mega';
  at: Duration4;
  count: number;
}
/**
 * The steady window that 'normal' online users and load are measured over (default: the second half of the time before the first action).
 */
export interface Baseline {
  from: Duration4;
  to: Duration4;
}
