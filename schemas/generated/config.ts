/* eslint-disable */
// generated — do not edit — regenerate with `npm run gen` (from schemas/config.schema.json)

/**
 * An actor, by role.
 */
export type Actor = ClientActor | SupernodeActor | AuthActor | ImActor;

/**
 * A whole system to explore: its actors (as in a trace header), parameters, and the environment's budget of inputs and faults. The presets in models/presets.ts are values of this type; `snc explore --config FILE` reads one from JSON.
 */
export interface SystemConfig {
  $schema?: string;
  name?: string;
  description?: string;
  /**
   * The actors, as in a trace header (at least one client and one supernode to be interesting).
   */
  actors: Actor[];
  params?: Params;
  /**
   * Actors (usually mega-supernodes) absent at the start; the operator may add them (`join`, within budget.joins).
   */
  standby?: string[];
  /**
   * unordered (default): any in-flight message may be delivered next; fifo: per sender→receiver pair in send order.
   */
  network?: 'unordered' | 'fifo';
  budget?: Budget;
  /**
   * Per-property parameters, by property id.
   */
  props?: {
    [k: string]: PropParams | undefined;
  };
}
/**
 * The ordinary program a person uses.
 */
export interface ClientActor {
  /**
   * An actor id, unique in the trace.
   */
  id: string;
  role: 'client';
  /**
   * A host runs one client and at most one supernode; a crash stops both.
   */
  host: string;
  /**
   * Public address (may be promoted to supernode). Default false.
   */
  public?: boolean;
  /**
   * Client version, e.g. 5.0.0.152 (buggy) or 5.0.0.156. Default 5.0.0.156.
   */
  version?: string;
  user: string;
  /**
   * Default "secret".
   */
  password?: string;
  /**
   * Initial host cache (bootstrap supernodes). Default: every supernode of the header, in order.
   *
   * Items: An actor id, unique in the trace.
   */
  hostCache?: string[];
}
/**
 * A directory and connector for up to `capacity` clients.
 */
export interface SupernodeActor {
  /**
   * An actor id, unique in the trace.
   */
  id: string;
  role: 'supernode';
  host: string;
  /**
   * Overrides the `capacity` parameter for this supernode.
   */
  capacity?: number;
  /**
   * Operator-run mega-supernode: starts serving at once, no client beside it.
   */
  mega?: boolean;
  /**
   * Supernodes it greets with PeerHello. Default: every other supernode of the header.
   *
   * Items: An actor id, unique in the trace.
   */
  peers?: string[];
  /**
   * Waits in `inactive` until the operator promotes it (`Promote` input). Default false.
   */
  dormant?: boolean;
}
/**
 * The central login server.
 */
export interface AuthActor {
  /**
   * An actor id, unique in the trace.
   */
  id: string;
  role: 'auth';
  host?: string;
  /**
   * Known users. Default: every client of the header with its password.
   */
  users?: {
    user: string;
    password: string;
  }[];
}
/**
 * The offline-IM support server.
 */
export interface ImActor {
  /**
   * An actor id, unique in the trace.
   */
  id: string;
  role: 'im';
  host?: string;
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
 * How many of each environment action one path may take. Missing = 0 (inputs: see defaults).
 *
 * This interface was referenced by `SystemConfig`'s JSON-Schema
 * via the `definition` "Budget".
 */
export interface Budget {
  /**
   * Login inputs (beyond the one each client is given at the start, see autoLogin).
   */
  logins?: number;
  /**
   * Logout inputs.
   */
  logouts?: number;
  /**
   * Lookup inputs.
   */
  lookups?: number;
  /**
   * Promote inputs to dormant supernodes.
   */
  promotes?: number;
  /**
   * Host crashes (each crashed host may restart once per crash).
   */
  crashes?: number;
  /**
   * Messages lost by the network.
   */
  drops?: number;
  /**
   * Supernode-mesh partitions (each heals by a later action).
   */
  partitions?: number;
  /**
   * auth mode changes (overloaded, down, up).
   */
  authFaults?: number;
  /**
   * im mode changes (slow = late replies, down = switched off, up).
   */
  imFaults?: number;
  /**
   * Standby actors added by the operator.
   */
  joins?: number;
  /**
   * Register messages with a forged credential injected by an adversary.
   */
  forgeries?: number;
  /**
   * Every client starts with a Login input (default true).
   */
  autoLogin?: boolean;
}
/**
 * This interface was referenced by `SystemConfig`'s JSON-Schema
 * via the `definition` "PropParams".
 */
export interface PropParams {
  /**
   * N of a bounded-response property.
   */
  within?: number;
  /**
   * What N counts: all steps, steps of the obliged actor, or clock ms.
   */
  measure?: 'global' | 'actor' | 'time';
}
