// What a transition does, found by running it rather than by reading it.
// Each transition row is executed on its own, through the same `defineRole`
// interpreter and the same guard-free path the models use (exit actions of the
// source, the transition's actions, entry actions of the target), on every
// sample context and sample event of samples.ts. The union of the messages it
// emitted and the timers it armed or stopped is reported: "may send", because
// an action may send only when there is someone to send to.
//
// How: a probe role is built from a copy of the role's config that keeps every
// state's entry/exit actions but holds only the probed transition, with its
// guard removed (and no `always`, so that eventless follow-ups stay rows of
// their own). Root handlers are probed from every state they apply in.
import { defineRole, type Local, type Role as RoleDef, type RoleConfig, type StateConfig } from '../../models/role.js';
import { ROLES } from '../../models/index.js';
import type { BaseContext, Role } from '../../models/types.js';
import { sampleContexts, sampleEvents } from './samples.js';
import { ALWAYS, ANY, statesReachedByRoot, transitionsOf, type TransitionRow } from './transitions.js';

/** The observed effects of one transition, over all samples. */
export interface Effects {
  /** Message kinds emitted, in first-seen order. */
  readonly sends: readonly string[];
  /** Receivers' roles per kind: `Connect → supernode`. */
  readonly sendsTo: Readonly<Record<string, readonly string[]>>;
  /** Timers (re)armed. */
  readonly arms: readonly string[];
  /** Timers armed before and not after. */
  readonly stops: readonly string[];
}

/** A transition row with its observed effects. */
export interface ProbedRow extends TransitionRow {
  readonly effects: Effects;
}

const PROBE_EVENT = 'probe.always';
const cache = new Map<string, ProbedRow[]>();

/** The transitions of `role` with their effects (memoised per role). */
export function probeRole(role: Role): ProbedRow[] {
  const hit = cache.get(role);
  if (hit) return hit;
  const def = ROLES[role];
  const contexts = sampleContexts(role);
  const rows = transitionsOf(def).map((row) => ({ ...row, effects: probe(def, role, row, contexts) }));
  cache.set(role, rows);
  return rows;
}

function probe(def: RoleDef<any>, role: Role, row: TransitionRow, contexts: BaseContext[]): Effects {
  const states = row.from === ANY ? statesReachedByRoot(def, row.event) : [row.from];
  const events = row.event === ALWAYS ? sampleEvents(role, PROBE_EVENT) : sampleEvents(role, row.event);
  const sends: string[] = [];
  const sendsTo: Record<string, string[]> = {};
  const arms: string[] = [];
  const stops: string[] = [];
  const add = (list: string[], x: string) => { if (!list.includes(x)) list.push(x); };
  for (const from of states) {
    const probeRole = defineRole(probeConfig(def.config, row, from), () => contexts[0], def.guards as any, def.actions as any);
    for (const ctx of contexts) {
      for (const ev of events) {
        const local: Local = { value: from, ctx };
        const r = probeRole.step(local, ev);
        if (!r.taken) throw new Error(`docs probe: ${role} ${from} on ${row.event} #${row.index} was not taken`);
        for (const o of r.outbox) {
          add(sends, o.msg.kind);
          add((sendsTo[o.msg.kind] ??= []), roleOf(o.to));
        }
        for (const t of r.armed) add(arms, t);
        const after = (r.next.ctx as BaseContext).timers;
        for (const t of ctx.timers) if (!after.includes(t)) add(stops, t);
      }
    }
  }
  return { sends, sendsTo, arms: arms.sort(), stops: stops.sort() };
}

/** The role's config with every handler removed except `row`, unguarded, placed where `row` lives. */
function probeConfig(config: RoleConfig, row: TransitionRow, from: string): RoleConfig {
  const { guard: _guard, description: _d, ...unguarded } = row.config;
  const states: Record<string, StateConfig> = {};
  for (const [name, sc] of Object.entries(config.states)) states[name] = { entry: sc.entry, exit: sc.exit };
  const rootOn = row.from === ANY ? { [row.event]: unguarded } : undefined;
  if (row.from !== ANY) {
    states[from] = row.event === ALWAYS ? { ...states[from], always: unguarded } : { ...states[from], on: { [row.event]: unguarded } };
  }
  return { id: `${config.id}-probe`, initial: from, states, ...(rootOn ? { on: rootOn } : {}) };
}

const ROLE_OF_SAMPLE: Readonly<Record<string, string>> = { auth: 'auth', im: 'im', sn1: 'supernode', sn2: 'supernode', c1: 'client', c2: 'client' };
function roleOf(id: string | undefined): string {
  const role = id === undefined ? undefined : ROLE_OF_SAMPLE[id];
  // A message to nobody means a sample context the guards would never allow (e.g. a cursor past the host cache).
  if (role === undefined) throw new Error(`docs probe: a message was sent to ${JSON.stringify(id)}, not an actor of the sample system; fix the overlays in checker/docs/samples.ts`);
  return role;
}
