// Representative inputs for running each transition of a role on its own (the
// effect probe of probe.ts): a small sample system, a few local contexts per
// role that make every action do its work (a client with an upstream, a
// credential and a pending offline-IM fetch; a supernode with a registered and
// a pending client, a mesh peer and an open query; …), and sample events of
// every type, built from the schema with sample field values. These are
// inputs only: what a transition sends or arms is never written here.
import { actorConfigs, ROLES } from '../../models/index.js';
import { issueCredential } from '../../models/effects.js';
import { indexClients, type Attachment } from '../../models/supernode.js';
import type { ActorConfig, BaseContext, ModelEvent, Role } from '../../models/types.js';
import type { Actor } from '../../schemas/generated/trace.js';
import { INPUTS, MESSAGES, senderReceiver, type Variant } from './schema.js';
import { timersOf } from './transitions.js';

/** The sample system: auth, im, two supernodes, two clients. */
export const SAMPLE_ACTORS: readonly Actor[] = [
  { id: 'auth', role: 'auth' },
  { id: 'im', role: 'im' },
  { id: 'sn1', role: 'supernode', host: 'h1' },
  { id: 'sn2', role: 'supernode', host: 'h2' },
  { id: 'c1', role: 'client', host: 'h3', user: 'alice', hostCache: ['sn1', 'sn2'] },
  { id: 'c2', role: 'client', host: 'h4', user: 'bob', hostCache: ['sn1', 'sn2'] },
];

/** Model time of the sample events. */
export const SAMPLE_NOW = 1000;

const CFGS: readonly ActorConfig[] = actorConfigs(SAMPLE_ACTORS);
const cfgOf = (id: string) => CFGS.find((c) => c.id === id)!;
/** The actor of the sample system that plays `role` and receives the probed events. */
export const SUBJECT: Readonly<Record<Role, string>> = { client: 'c1', supernode: 'sn1', auth: 'auth', im: 'im' };
/** Who sends a message to the subject, by the sender's role. */
const SENDER: Readonly<Record<Role, string>> = { client: 'c1', supernode: 'sn2', auth: 'auth', im: 'im' };

const credential = (user: string) => issueCredential(user, 0, cfgOf('auth').params.credentialLifetime, cfgOf('auth').params.authKey);

const SAMPLE_CLIENTS: readonly Attachment[] = [
  { client: 'c1', user: 'alice', expiresAt: credential('alice').expiresAt, silent: 0 },
  { client: 'c2', user: null, expiresAt: 0, silent: 3 },
];

/** Context fields laid over a role's initial context, one object per variant. */
const OVERLAYS: Readonly<Record<Role, readonly Record<string, unknown>[]>> = {
  client: [
    { target: 'sn1', cursor: 0, attempts: 0, credential: credential('alice'), missed: 1, im: 'idle' },
    { target: 'sn1', cursor: 0, attempts: 1, credential: credential('alice'), missed: 3, im: 'late' },
  ],
  supernode: [{
    clients: SAMPLE_CLIENTS,
    ...indexClients(SAMPLE_CLIENTS),
    mesh: ['sn2'],
    queries: [{ user: 'carol', lookups: ['c2'], relays: [], awaiting: 1 }],
    active: true, meshReady: true, load: 1,
  }],
  auth: [{ load: 0 }],
  // The second: no batch open yet (its reply timer not armed), so the first fetch arms it.
  im: [{ waiting: ['c1', 'c2'] }, { waiting: [], timers: [] }],
};

/**
 * The sample local contexts of `role`: its initial context at SAMPLE_NOW with
 * each overlay applied, every timer of the role armed (so that the probe sees
 * which ones a transition stops) unless the overlay sets `timers`, and no pending effects.
 */
export function sampleContexts(role: Role): BaseContext[] {
  const def = ROLES[role];
  const base = def.init(cfgOf(SUBJECT[role]), 0).next.ctx as BaseContext;
  const timers = timersOf(def);
  return OVERLAYS[role].map((o) => ({ ...base, timers: [...timers], ...o, outbox: [], armed: [] }) as BaseContext);
}

/** Sample values per field name; variant i of a message takes value i (mod the list's length). */
const FIELD_SAMPLES: Readonly<Record<string, readonly unknown[]>> = {
  user: ['alice', 'dave'],
  password: ['secret', 'wrong'],
  credential: [credential('alice')],
  supernodes: [['sn1', 'sn2']],
  supernode: ['sn1', null],
  ttl: [2],
  count: [3],
  mode: ['up', 'slow', 'overloaded', 'down'],
};

function samplesOf(v: Variant, key: string): Record<string, unknown>[] {
  const lists = v.fields.map((f) => FIELD_SAMPLES[f.name] ?? enumValues(v, f.name));
  const n = Math.max(1, ...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => Object.fromEntries([[key, v.name], ...v.fields.map((f, j) => [f.name, lists[j][i % lists[j].length]])]));
}

function enumValues(v: Variant, field: string): readonly unknown[] {
  const node = v.node.properties?.[field];
  if (node?.enum) return node.enum;
  throw new Error(`docs samples: no sample value for field "${field}" of ${v.name}; add one to FIELD_SAMPLES in checker/docs/samples.ts`);
}

/**
 * Sample model events of type `type` delivered to `role`'s subject: one per
 * sample value of the message or input fields; a single event for timeouts,
 * crash, restart and the eventless pseudo-event `always`.
 */
export function sampleEvents(role: Role, type: string): ModelEvent[] {
  const now = SAMPLE_NOW;
  if (type.startsWith('input.')) {
    const v = INPUTS.find((i) => `input.${i.name}` === type);
    if (!v) throw new Error(`docs samples: unknown input event ${type}`);
    return samplesOf(v, 'kind').map((input) => ({ type, input, now }) as unknown as ModelEvent);
  }
  const msg = MESSAGES.find((m) => m.name === type);
  if (msg) {
    const senderRole = (senderReceiver(msg)?.from ?? 'client') as Role;
    const from = SENDER[senderRole];
    return samplesOf(msg, 'kind').map((m) => ({ type, from, msg: m, now }) as unknown as ModelEvent);
  }
  // timeout.<timer>, crash, restart, and the probe's eventless pseudo-event.
  return [{ type, now } as unknown as ModelEvent];
}
