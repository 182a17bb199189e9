/* eslint-disable */
// generated — do not edit — regenerate with `npm run gen` (from schemas/testcases.schema.json)

/**
 * An actor, by role.
 */
export type Actor = ClientActor | SupernodeActor | AuthActor | ImActor;
/**
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "Search".
 */
export type Search = BreadthFirstSearch | RandomSchedules;
/**
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "Step".
 */
export type Step =
  | InputStep
  | DeliverStep
  | DropStep
  | TimeoutStep
  | CrashStep
  | RestartStep
  | PartitionStep
  | HealStep
  | JoinStep
  | ForgeStep;
/**
 * A user or operator action, by kind.
 */
export type Input = LoginInput | LogoutInput | LookupInput | PromoteInput | SetModeInput;
/**
 * The timers of the models (see docs/).
 */
export type TimerName =
  | 'connect'
  | 'retry'
  | 'login'
  | 'keepalive'
  | 'renew'
  | 'im'
  | 'query'
  | 'warmup'
  | 'cooldown'
  | 'loadWindow'
  | 'join'
  | 'reply';

/**
 * Abstract test cases generated from the models by `snc testgen`: each a sequence of inputs, faults and network/timer steps, the goals it covers, the properties and observations to check, and the same run as supernode-trace lines that `snc check` replays.
 */
export interface TestSuite {
  format: 'supernode-testcases';
  version: 1;
  tool: 'supernode-check';
  /**
   * The command line that regenerates this file.
   */
  command: string;
  /**
   * The preset name (or config file) the tests run on.
   */
  preset: string;
  config: SystemConfig;
  coverage: Coverage;
  search: Search;
  tests: TestCase[];
}
/**
 * The system the tests run on.
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
/**
 * The coverage reached. Goals: `client.online` (states), `client.registering RegisterReject#3→failed` (candidate 3 of the list the interpreter scans: the state's own, then the root's; `always#k` for eventless ones), `t1 ; t2` (transition pairs of one actor).
 *
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "Coverage".
 */
export interface Coverage {
  kind: 'states' | 'transitions' | 'transition-pairs';
  /**
   * Goals of this kind in the role machines of the system's roles.
   */
  total: number;
  /**
   * Goals the search hit within its bounds.
   */
  reached: number;
  /**
   * Goals the chosen tests hit.
   */
  covered: number;
  tests: number;
  /**
   * Steps in the longest test.
   */
  maxLength: number;
  /**
   * Goals the search never hit (unreachable in this system or beyond the bounds).
   */
  neverReached: string[];
  /**
   * Goals reached but left uncovered by --max-tests.
   */
  notSelected: string[];
}
export interface BreadthFirstSearch {
  mode: 'bfs';
  maxDepth: number;
  maxStates: number;
  states: number;
  depth: number;
  complete: boolean;
}
export interface RandomSchedules {
  mode: 'random';
  seed: number;
  runs: number;
  /**
   * Steps per schedule.
   */
  depth: number;
  /**
   * Schedules that added coverage.
   */
  kept: number;
}
/**
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "TestCase".
 */
export interface TestCase {
  id: string;
  preset: string;
  /**
   * Goals of the suite's kind this test hits.
   */
  goals: string[];
  /**
   * Inputs applied at the start, before `steps` (every client's Login unless budget.autoLogin is false).
   */
  opening: Step[];
  steps: Step[];
  /**
   * Property ids to monitor.
   */
  properties: string[];
  expect: Expectation;
  /**
   * The run as supernode-trace NDJSON lines (header first, clock "step"); `snc check` replays it.
   */
  trace: string[];
}
/**
 * A user or operator input to one actor (Login, Logout, Lookup, Promote, SetMode).
 */
export interface InputStep {
  step: 'input';
  /**
   * actor id
   */
  actor: string;
  input: Input;
}
/**
 * The user starts the program / logs in (client).
 */
export interface LoginInput {
  kind: 'Login';
}
/**
 * The user logs out (client).
 */
export interface LogoutInput {
  kind: 'Logout';
}
/**
 * The user looks up another user (client).
 */
export interface LookupInput {
  kind: 'Lookup';
  user: string;
}
/**
 * The operator asks a dormant supernode on a public host to start serving (supernode).
 */
export interface PromoteInput {
  kind: 'Promote';
}
/**
 * Fault or operator action on a server: `auth` up/overloaded/down, `im` up/slow (late replies)/down (switched off).
 */
export interface SetModeInput {
  kind: 'SetMode';
  mode: 'up' | 'slow' | 'overloaded' | 'down';
}
/**
 * The network delivers a message in flight.
 */
export interface DeliverStep {
  step: 'deliver';
  message: MessageRef;
}
/**
 * A message in flight, named by its ends and kind; `mid` is its id in the test's trace (the n-th message sent, from 1) and tells apart two in flight with the same ends and kind.
 *
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "MessageRef".
 */
export interface MessageRef {
  from: string;
  to: string;
  kind: string;
  mid: number;
}
/**
 * Fault: the network loses a message in flight.
 */
export interface DropStep {
  step: 'drop';
  message: MessageRef;
}
/**
 * A timer of an actor fires.
 */
export interface TimeoutStep {
  step: 'timeout';
  /**
   * actor id
   */
  actor: string;
  timer: TimerName;
}
/**
 * Fault: a host stops; its actors crash and messages to it are lost.
 */
export interface CrashStep {
  step: 'crash';
  /**
   * host name
   */
  host: string;
}
/**
 * A crashed host starts again.
 */
export interface RestartStep {
  step: 'restart';
  /**
   * host name
   */
  host: string;
}
/**
 * Fault: the supernode mesh is cut in two halves.
 */
export interface PartitionStep {
  step: 'partition';
}
/**
 * The mesh partition heals.
 */
export interface HealStep {
  step: 'heal';
}
/**
 * A standby actor joins.
 */
export interface JoinStep {
  step: 'join';
  /**
   * actor id
   */
  actor: string;
}
/**
 * Fault: an adversary sends a Register with a forged credential from a client to a supernode.
 */
export interface ForgeStep {
  step: 'forge';
  /**
   * actor id
   */
  from: string;
  /**
   * actor id
   */
  to: string;
}
/**
 * What to observe after the last step.
 *
 * This interface was referenced by `TestSuite`'s JSON-Schema
 * via the `definition` "Expectation".
 */
export interface Expectation {
  states: ActorState[];
  inFlight: MessageRef[];
  /**
   * Properties the model itself violates on this path (a seeded bug).
   */
  violated: string[];
  /**
   * `sometimes` properties witnessed on this path.
   */
  witnessed: string[];
}
export interface ActorState {
  actor: string;
  state: string;
}
