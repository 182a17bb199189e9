/* eslint-disable */
// generated — do not edit — regenerate with `npm run gen` (from schemas/trace.schema.json)

/**
 * One line of a `supernode-trace` v1 file (NDJSON): the header on line 1, then events in the order they happened.
 */
export type TraceLine = Header | Event;
/**
 * An actor, by role.
 */
export type Actor = ClientActor | SupernodeActor | AuthActor | ImActor;
/**
 * Any line after the header.
 */
export type Event =
  | SendEvent
  | DeliverEvent
  | DropEvent
  | InputEvent
  | TimeoutEvent
  | CrashEvent
  | RestartEvent
  | JoinEvent
  | LeaveEvent
  | ObserveEvent
  | NoteEvent;
/**
 * A protocol message, by kind.
 */
export type Message =
  | ConnectMsg
  | ConnectAckMsg
  | ConnectRejectMsg
  | LoginRequestMsg
  | LoginOkMsg
  | LoginDeniedMsg
  | LoginBusyMsg
  | RegisterMsg
  | RegisterAckMsg
  | RegisterRejectMsg
  | KeepaliveMsg
  | KeepaliveAckMsg
  | LookupMsg
  | LookupResultMsg
  | QueryMsg
  | QueryResultMsg
  | PeerHelloMsg
  | PeerAckMsg
  | UnregisterMsg
  | ClosingMsg
  | OfflineImFetchMsg
  | OfflineImBatchMsg;
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
 * Line 1 of every trace.
 */
export interface Header {
  type: 'header';
  format: 'supernode-trace';
  version: 1;
  /**
   * `ms`: wall-clock milliseconds of a recorder; `step`: logical steps (explorer output). Model time is `t` for `ms` (the header's actors start at the first event's `t`, so a recorder may stamp events with its wall clock; one that starts its actors before its first event writes a `note` at their start, or is checked with `snc check --start MS`) and 0 for `step`.
   */
  clock: 'ms' | 'step';
  /**
   * @maxItems 10000000
   */
  actors: Actor[];
  params?: Params;
  /**
   * Free text: what recorded this trace.
   */
  source?: string;
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
 * A message left `from`.
 */
export interface SendEvent {
  type: 'send';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * An actor id, unique in the trace.
   */
  from: string;
  /**
   * An actor id, unique in the trace.
   */
  to: string;
  /**
   * Message id, unique among the sends of a trace.
   */
  mid: string | number;
  msg: Message;
}
/**
 * client → supernode: open a connection (step 2 of the client).
 */
export interface ConnectMsg {
  kind: 'Connect';
}
/**
 * supernode → client: accepted; `supernodes` refreshes the host cache.
 */
export interface ConnectAckMsg {
  kind: 'ConnectAck';
  /**
   * @maxItems 1000
   *
   * Items: An actor id, unique in the trace.
   */
  supernodes: string[];
}
/**
 * supernode → client: refused.
 */
export interface ConnectRejectMsg {
  kind: 'ConnectReject';
  reason: 'busy' | 'closing';
}
/**
 * client → auth: user name and password.
 */
export interface LoginRequestMsg {
  kind: 'LoginRequest';
  user: string;
  password: string;
}
/**
 * auth → client: a signed, time-limited credential.
 */
export interface LoginOkMsg {
  kind: 'LoginOk';
  credential: Credential;
}
/**
 * Issued by auth, verified offline by supernodes.
 */
export interface Credential {
  user: string;
  issuedAt: number;
  expiresAt: number;
  sig: string;
}
/**
 * auth → client: wrong password or unknown user.
 */
export interface LoginDeniedMsg {
  kind: 'LoginDenied';
  reason: 'bad-password' | 'unknown-user';
}
/**
 * auth → client: auth is overloaded, retry later.
 */
export interface LoginBusyMsg {
  kind: 'LoginBusy';
}
/**
 * client → supernode: present the credential to be listed in the directory.
 */
export interface RegisterMsg {
  kind: 'Register';
  credential: Credential;
}
/**
 * supernode → client: registered; the client is online.
 */
export interface RegisterAckMsg {
  kind: 'RegisterAck';
}
/**
 * supernode → client: not registered.
 */
export interface RegisterRejectMsg {
  kind: 'RegisterReject';
  reason: 'bad-credential' | 'busy';
}
/**
 * client → supernode: still here.
 */
export interface KeepaliveMsg {
  kind: 'Keepalive';
}
/**
 * supernode → client: still here.
 */
export interface KeepaliveAckMsg {
  kind: 'KeepaliveAck';
}
/**
 * client → supernode: where is `user`?
 */
export interface LookupMsg {
  kind: 'Lookup';
  user: string;
}
/**
 * supernode → client: the supernode `user` is registered at, or null.
 */
export interface LookupResultMsg {
  kind: 'LookupResult';
  user: string;
  supernode: string | null;
}
/**
 * supernode → supernode: mesh search for `user`, forwarded while `ttl` > 1.
 */
export interface QueryMsg {
  kind: 'Query';
  user: string;
  ttl: number;
}
/**
 * supernode → supernode: answer to a `Query`.
 */
export interface QueryResultMsg {
  kind: 'QueryResult';
  user: string;
  supernode: string | null;
}
/**
 * supernode → supernode: join the mesh.
 */
export interface PeerHelloMsg {
  kind: 'PeerHello';
}
/**
 * supernode → supernode: welcome to the mesh.
 */
export interface PeerAckMsg {
  kind: 'PeerAck';
}
/**
 * client → supernode: logout, remove my directory entry.
 */
export interface UnregisterMsg {
  kind: 'Unregister';
}
/**
 * supernode → client: the supernode is shedding its clients (overload self-eviction).
 */
export interface ClosingMsg {
  kind: 'Closing';
}
/**
 * client → im: fetch offline instant messages (once after login).
 */
export interface OfflineImFetchMsg {
  kind: 'OfflineImFetch';
}
/**
 * im → client: the offline messages (a late one crashes buggy clients).
 */
export interface OfflineImBatchMsg {
  kind: 'OfflineImBatch';
  count: number;
}
/**
 * The message `mid` reached its receiver (at most once).
 */
export interface DeliverEvent {
  type: 'deliver';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * Message id, unique among the sends of a trace.
   */
  mid: string | number;
}
/**
 * The network lost the message `mid`.
 */
export interface DropEvent {
  type: 'drop';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * Message id, unique among the sends of a trace.
   */
  mid: string | number;
}
/**
 * The user or operator acted.
 */
export interface InputEvent {
  type: 'input';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * An actor id, unique in the trace.
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
 * A timer of `actor` fired (may be absent from recordings: hidden steps).
 */
export interface TimeoutEvent {
  type: 'timeout';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * An actor id, unique in the trace.
   */
  actor: string;
  timer: TimerName;
}
/**
 * A host stopped: its client and supernode with it.
 */
export interface CrashEvent {
  type: 'crash';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  host: string;
}
/**
 * A host started again.
 */
export interface RestartEvent {
  type: 'restart';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  host: string;
}
/**
 * An actor joined mid-trace (e.g. an operator adds a mega-supernode).
 */
export interface JoinEvent {
  type: 'join';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  actor: Actor;
}
/**
 * An actor left for good.
 */
export interface LeaveEvent {
  type: 'leave';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * An actor id, unique in the trace.
   */
  actor: string;
}
/**
 * An actor reported its state; compared with the model's.
 */
export interface ObserveEvent {
  type: 'observe';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  /**
   * An actor id, unique in the trace.
   */
  actor: string;
  /**
   * The actor's state, named as in its machine (docs/roles/): e.g. offline, connecting, online.
   */
  state: string;
  /**
   * Clients: the supernode it is attached to while online; null in any other state. Left out: not compared.
   */
  upstream?: string | null;
}
/**
 * Free text, ignored.
 */
export interface NoteEvent {
  type: 'note';
  /**
   * Time of the event: ms or step, as the header `clock` says. Never decreases.
   */
  t: number;
  text: string;
}
