// Builds the actors of a simulation from a resolved scenario: one client per
// host (public or behind NAT, versions in the scenario's shares), supernodes
// on public client hosts, operator mega-supernodes on dedicated hosts held on
// standby until an add-mega action, auth and im. Host caches and mesh peers
// are drawn from the seeded generator, so the same seed builds the same overlay.
import type { Actor, ClientActor, SupernodeActor } from '../../schemas/generated/trace.js';
import type { Rng } from './rng.js';
import type { SimScenario } from './scenario.js';

export interface Population {
  /** auth, im, supernodes, mega-supernodes, clients: in this order. */
  readonly actors: Actor[];
  /** Mega-supernode ids, absent at the start (they join on add-mega). */
  readonly mega: string[];
  readonly clientIds: string[];
  readonly supernodeIds: string[];
}

export const AUTH_ID = 'auth';
export const IM_ID = 'im';

/** The actors of `sc`, drawn with `rng`. */
export function buildPopulation(sc: SimScenario, rng: Rng): Population {
  const n = sc.clients;
  const hosts = Array.from({ length: n }, (_, i) => `h${i + 1}`);
  // Which hosts are public: a random `publicShare` of them; supernodes run on the first of those.
  const order = rng.sample(hosts.map((_, i) => i), n);
  const nPublic = Math.min(n, Math.max(sc.supernodes, Math.round(sc.publicShare * n)));
  const isPublic = new Uint8Array(n);
  for (let k = 0; k < nPublic; k++) isPublic[order[k]] = 1;
  const snHosts = order.slice(0, sc.supernodes).sort((a, b) => a - b);
  const supernodeIds = snHosts.map((_, k) => `s${k + 1}`);

  // Versions in exact proportions, then shuffled over the hosts.
  const versionOf: string[] = [];
  sc.versions.forEach((v, k) => {
    const count = k === sc.versions.length - 1 ? n - versionOf.length : Math.round(v.share * n);
    for (let j = 0; j < count && versionOf.length < n; j++) versionOf.push(v.version);
  });
  const shuffled = rng.sample(versionOf, n);

  const supernodes: SupernodeActor[] = snHosts.map((h, k) => ({
    id: supernodeIds[k], role: 'supernode', host: hosts[h],
    peers: rng.sample(supernodeIds.filter((_, j) => j !== k), sc.meshDegree),
  }));
  const mega: SupernodeActor[] = Array.from({ length: sc.megaTotal }, (_, k) => ({
    id: `mega${k + 1}`, role: 'supernode', host: `mh${k + 1}`, mega: true, capacity: sc.megaCapacity,
    peers: rng.sample(supernodeIds, 4 * sc.meshDegree),
  }));
  const megaIds = mega.map((m) => m.id);
  const clients: ClientActor[] = hosts.map((h, i) => ({
    id: `c${i + 1}`, role: 'client', host: h, public: isPublic[i] === 1, version: shuffled[i], user: `u${i + 1}`,
    // The operator's mega-supernodes are reachable the way Skype's own bootstrap nodes were:
    // a few of them sit at the end of every host cache (lost Connects until they are added).
    hostCache: [...rng.sample(supernodeIds, sc.bootstrap), ...rng.sample(megaIds, sc.megaBootstrap)],
  }));
  return {
    actors: [{ id: AUTH_ID, role: 'auth' }, { id: IM_ID, role: 'im' }, ...supernodes, ...mega, ...clients],
    mega: mega.map((m) => m.id),
    clientIds: clients.map((c) => c.id),
    supernodeIds,
  };
}
