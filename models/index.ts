// The models' public face: the four roles by name, the fast local step
// `step(role, local, event) -> {next, outbox, armed}`, the canonical encoding of
// a local state, and `actorConfig` which turns a header actor into the static
// configuration a machine runs with.
import { client, type ClientContext } from './client.js';
import { supernode, type SupernodeContext } from './supernode.js';
import { auth, type AuthContext } from './auth.js';
import { im, type ImContext } from './im.js';
import { encodeLocal } from './canonical.js';
import { resolveParams, type Params } from './params.js';
import type { Role as RoleDef, Local, StepResult } from './role.js';
import type { Actor, ActorConfig, BaseContext, ModelEvent, Role } from './types.js';

export type { ClientContext, SupernodeContext, AuthContext, ImContext, Local, StepResult, ActorConfig, ModelEvent, Role };
export type AnyContext = ClientContext | SupernodeContext | AuthContext | ImContext;

/** The role machines by role name. */
export const ROLES: { readonly [R in Role]: RoleDef<any> } = { client, supernode, auth, im };

/** The fast local step of `role` (see models/role.ts). */
export function step(role: Role, local: Local, event: ModelEvent): StepResult {
  return ROLES[role].step(local, event);
}

/** The initial local state of an actor at time `now`, with the effects of its initial entry actions. */
export function init(cfg: ActorConfig, now = 0): StepResult {
  return ROLES[cfg.role].init(cfg, now);
}

/** Canonical string of a local state: independent of key insertion order. */
export function encode(local: Local): string {
  return encodeLocal(local.value, local.ctx);
}

export const DEFAULT_VERSION = '5.0.0.156';
export const DEFAULT_PASSWORD = 'secret';

/**
 * The static configuration of each actor of a system, with the defaults of the
 * trace format applied (host cache = every supernode, peers = every other
 * supernode, auth users = every client). Actors are returned in input order.
 */
export function actorConfigs(actors: readonly Actor[], params?: Params): ActorConfig[] {
  const resolved = resolveParams(params);
  const supernodes = actors.filter((a) => a.role === 'supernode').map((a) => a.id);
  const authId = actors.find((a) => a.role === 'auth')?.id ?? 'auth';
  const imId = actors.find((a) => a.role === 'im')?.id ?? 'im';
  const clientOnHost = new Map<string, Actor>();
  for (const a of actors) if (a.role === 'client') clientOnHost.set(a.host, a);
  const users = actors.flatMap((a) => (a.role === 'client' ? [{ user: a.user, password: a.password ?? DEFAULT_PASSWORD }] : []));
  return actors.map((a): ActorConfig => {
    const base = {
      id: a.id, role: a.role, host: a.host ?? a.id, public: true, version: DEFAULT_VERSION, user: '', password: '',
      auth: authId, im: imId, hostCache: [] as string[], peers: [] as string[], capacity: resolved.capacity,
      mega: false, dormant: false, users: [] as { user: string; password: string }[], params: resolved,
    };
    switch (a.role) {
      case 'client':
        return { ...base, public: a.public ?? false, version: a.version ?? DEFAULT_VERSION, user: a.user, password: a.password ?? DEFAULT_PASSWORD, hostCache: a.hostCache ?? supernodes };
      case 'supernode': {
        const neighbour = clientOnHost.get(a.host);
        const isPublic = neighbour && neighbour.role === 'client' ? neighbour.public ?? false : true;
        return { ...base, public: isPublic, capacity: a.capacity ?? resolved.capacity, mega: a.mega ?? false, dormant: a.dormant ?? false, peers: a.peers ?? supernodes.filter((s) => s !== a.id) };
      }
      case 'auth':
        return { ...base, users: a.users ?? users };
      case 'im':
        return base;
    }
  });
}

export { resolveParams, DEFAULT_PARAMS, PARAMS } from './params.js';
export type { Params, ResolvedParams, BugName } from './params.js';
export type { BaseContext };
