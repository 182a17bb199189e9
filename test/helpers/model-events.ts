// Small builders for model events and a `drive` helper that runs a list of
// events through a role's fast step, keeping every intermediate result.
// Shared by the models-*.test.ts files and bench/models.ts.
import { ROLES, actorConfigs, type ActorConfig, type Local, type ModelEvent, type StepResult } from '../../models/index.js';
import type { Actor, Input, Message, TimerName } from '../../models/types.js';
import type { Params } from '../../models/params.js';
import type { Role as RoleDef } from '../../models/role.js';

/** A delivery of `msg` from `from` at `now`. */
export const deliver = (from: string, msg: Message, now = 0): ModelEvent => ({ type: msg.kind, from, msg, now }) as ModelEvent;
/** A user or operator input at `now`. */
export const input = (inp: Input, now = 0): ModelEvent => ({ type: `input.${inp.kind}`, input: inp, now }) as ModelEvent;
/** Timer `timer` fired at `now`. */
export const timeout = (timer: TimerName, now = 0): ModelEvent => ({ type: `timeout.${timer}`, now }) as ModelEvent;
export const crash = (now = 0): ModelEvent => ({ type: 'crash', now });
export const restart = (now = 0): ModelEvent => ({ type: 'restart', now });

export interface Drive {
  /** The result of `init`, then one result per event. */
  readonly results: readonly StepResult<any>[];
  /** The local state after the last event. */
  readonly last: Local<any>;
  /** The result of the last event (or of `init` when there were no events). */
  readonly lastResult: StepResult<any>;
  /** Every message sent, in order, from `init` on. */
  readonly sent: readonly StepResult<any>['outbox'][number][];
}

/**
 * Runs `events` through the fast step of `cfg.role`, from `init(cfg, now)`.
 * Example: `drive(cfg, [input({kind: 'Login'}), deliver('s1', {kind: 'ConnectAck', supernodes: []})])`.
 */
export function drive(cfg: ActorConfig, events: readonly ModelEvent[], now = 0, from?: Local<any>): Drive {
  const role: RoleDef<any> = ROLES[cfg.role];
  const first = from ? { next: from, outbox: [], armed: [], taken: true } : role.init(cfg, now);
  const results: StepResult<any>[] = [first];
  const sent = [...first.outbox];
  let local = first.next;
  for (const ev of events) {
    const r = role.step(local, ev);
    results.push(r);
    sent.push(...r.outbox);
    local = r.next;
  }
  return { results, last: local, lastResult: results[results.length - 1], sent };
}

/**
 * A small system in trace-header form (auth, im, supernodes s1..s3, clients c1..c3
 * with users u1..u3 and password "secret"), with `over` applied to the actor `id`.
 * Returns the ActorConfig of `id`.
 */
export function configOf(id: string, over: Partial<Actor> = {}, params?: Params, extra: Actor[] = []): ActorConfig {
  const actors: Actor[] = [
    { id: 'auth', role: 'auth' },
    { id: 'im', role: 'im' },
    { id: 's1', role: 'supernode', host: 'hs1' },
    { id: 's2', role: 'supernode', host: 'hs2' },
    { id: 's3', role: 'supernode', host: 'hs3' },
    { id: 'c1', role: 'client', host: 'hc1', user: 'u1' },
    { id: 'c2', role: 'client', host: 'hc2', user: 'u2' },
    { id: 'c3', role: 'client', host: 'hc3', user: 'u3' },
    ...extra,
  ].map((a) => (a.id === id ? ({ ...a, ...over } as Actor) : (a as Actor)));
  const cfg = actorConfigs(actors, params).find((c) => c.id === id);
  if (!cfg) throw new Error(`configOf: no actor "${id}"`);
  return cfg;
}
