// Types shared by the four role machines: the events a machine reacts to,
// the effects it returns as data, and the static per-actor configuration.
// Messages, inputs and timer names come from the generated schema types.
import type { Message, Input, TimerName, Credential, Actor } from '../schemas/generated/trace.js';
import type { ResolvedParams } from './params.js';

export type { Message, Input, TimerName, Credential, Actor };
export type Role = Actor['role'];
export type MessageKind = Message['kind'];
export type MsgOf<K extends MessageKind> = Extract<Message, { kind: K }>;

/** A message delivered to this actor. Event type = message kind. */
export type DeliverEv = { [K in MessageKind]: { type: K; from: string; msg: MsgOf<K>; now: number } }[MessageKind];
/** A user or operator input. Event type = `input.<kind>`. */
export type InputEv = { [K in Input['kind']]: { type: `input.${K}`; input: Extract<Input, { kind: K }>; now: number } }[Input['kind']];
/** A timer of this actor fired. Event type = `timeout.<timer>`. */
export type TimeoutEv = { [T in TimerName]: { type: `timeout.${T}`; now: number } }[TimerName];
/** The host this actor runs on crashed or restarted. */
export type HostEv = { type: 'crash'; now: number } | { type: 'restart'; now: number };

/** Every event a role machine can receive. Time enters only as `now`. */
export type ModelEvent = DeliverEv | InputEv | TimeoutEv | HostEv;
export type EventType = ModelEvent['type'];

/** An outgoing message, returned as data; the system layer puts it on the network. */
export interface Outgoing { readonly to: string; readonly msg: Message }

/** The static part of an actor: who it is, who it talks to, the parameters. Never changes. */
export interface ActorConfig {
  readonly id: string;
  readonly role: Role;
  readonly host: string;
  readonly public: boolean;
  readonly version: string;
  readonly user: string;
  readonly password: string;
  readonly auth: string;
  readonly im: string;
  /** Initial host cache (client) or mesh peers to greet (supernode). */
  readonly hostCache: readonly string[];
  readonly peers: readonly string[];
  readonly capacity: number;
  readonly mega: boolean;
  readonly dormant: boolean;
  readonly users: readonly { readonly user: string; readonly password: string }[];
  readonly params: ResolvedParams;
}

/**
 * The fields every role context has. `outbox` and `armed` are the effects of
 * the step that produced this context (empty at rest); `timers` is the sorted
 * set of armed timers, which the explorer may fire and the simulator schedules.
 */
export interface BaseContext {
  readonly cfg: ActorConfig;
  outbox: Outgoing[];
  armed: TimerName[];
  timers: TimerName[];
}
