// The static side of a system: its actors (as given by a trace header or a
// system config) indexed by id and by host, with the configuration each
// machine runs with. Built once; the dynamic state (checker/system/state.ts)
// refers to actors by index in this order.
import { actorConfigs, resolveParams, type ActorConfig, type Params, type Role } from '../../models/index.js';
import type { Actor } from '../../schemas/generated/trace.js';

export interface Topology {
  readonly actors: readonly Actor[];
  readonly cfgs: readonly ActorConfig[];
  readonly ids: readonly string[];
  readonly roles: readonly Role[];
  /**
   * Each actor's role as a byte (ROLE_NAMES' order: CLIENT, SUPERNODE, …), for the hot paths: one byte an actor keeps
   * 100k actors' roles in 100 KB, which stays in cache, where `roles` (a pointer an actor, 800 KB) costs a cache miss
   * for the actor of nearly every event the simulator applies.
   */
  readonly roleCode: Uint8Array;
  readonly index: ReadonlyMap<string, number>;
  /** The index of the actors that are not clients (actorIndex). */
  readonly serverIndex: ReadonlyMap<string, number>;
  /** Actor indices on each host, in actor order. */
  readonly hosts: ReadonlyMap<string, readonly number[]>;
  /** Host names in order of first appearance. */
  readonly hostNames: readonly string[];
  readonly supernodeIds: ReadonlySet<string>;
  readonly params: ActorConfig['params'];
}

/** Role names by code (Topology.roleCode). */
export const ROLE_NAMES: readonly Role[] = Object.freeze(['client', 'supernode', 'auth', 'im']);
export const CLIENT = 0;
export const SUPERNODE = 1;

function roleCodeOf(role: Role): number {
  const k = ROLE_NAMES.indexOf(role);
  if (k < 0) throw new Error(`topology: no role code for role "${role}" (ROLE_NAMES)`);
  return k;
}

/** Builds the topology of `actors` with `params` applied (defaults for the rest). */
export function topology(actors: readonly Actor[], params?: Params): Topology {
  const cfgs = actorConfigs(actors, params);
  const index = new Map<string, number>();
  const serverIndex = new Map<string, number>();
  const hosts = new Map<string, number[]>();
  cfgs.forEach((c, i) => {
    index.set(c.id, i);
    if (c.role !== 'client') serverIndex.set(c.id, i);
    const list = hosts.get(c.host) ?? [];
    list.push(i);
    hosts.set(c.host, list);
  });
  // Exact-size copies: an array grown by push keeps room for 17 elements, and most
  // hosts have one actor (1.5 MB of the checker's live heap at 10k hosts, issue #5).
  for (const [h, list] of hosts) hosts.set(h, list.slice());
  return {
    actors,
    cfgs,
    ids: cfgs.map((c) => c.id),
    roles: cfgs.map((c) => c.role),
    roleCode: Uint8Array.from(cfgs, (c) => roleCodeOf(c.role)),
    index,
    serverIndex,
    hosts,
    hostNames: [...hosts.keys()],
    supernodeIds: new Set(cfgs.filter((c) => c.role === 'supernode').map((c) => c.id)),
    params: cfgs[0]?.params ?? resolveParams(params),
  };
}

/**
 * The index of actor `id` (undefined: none), looked up first among the actors that are not clients. Most ids
 * looked up on the hot paths name a server: the supernode a client connects to or is attached at, auth, im. At
 * 100k clients `index` is a table of megabytes, where a lookup misses the cache (its bucket, its entry); the
 * servers' table, a few thousand entries, stays in it. A login-storm hour of outage-2010 at 100k clients took
 * ~5% less CPU with System's sends addressed through it (docs/benchmarks.md). A client's id costs a miss in the
 * small table first: few are looked up (most messages to clients are replies, addressed without a lookup).
 */
export function actorIndex(topo: Topology, id: string): number | undefined {
  return topo.serverIndex.get(id) ?? topo.index.get(id);
}

/** Appends an actor that joins mid-trace; returns the new topology (the old one is unchanged). */
export function withActor(topo: Topology, actor: Actor, params?: Params): Topology {
  return topology([...topo.actors, actor], params);
}
