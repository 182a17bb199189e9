// The safety ("always") properties of PROTOCOL.md, each checked on the actors
// an event touched, so the cost per event does not grow with the system.
import { credentialValid } from '../../models/effects.js';
import type { ClientContext, SupernodeContext } from '../../models/index.js';
import type { Credential } from '../../models/types.js';
import { attachmentIndex, registrationAt } from '../../models/supernode.js';
import { keptPrefix } from '../../models/client.js';
import { stateless, type Verdict } from './types.js';
import type { Observation, System } from '../system/system.js';
import { CLIENT, SUPERNODE } from '../system/topology.js';

const violation = (property: string, actors: string[], explanation: string): Verdict => ({ type: 'violation', property, actors, explanation });
const SERVING_STATES = new Set(['joining', 'serving', 'overloaded']);

export const noClientCrash = stateless(
  { id: 'no-client-crash', kind: 'always', statement: 'No client crashes (finds the 2010 bug: 5.0.0.152 crashing on a late OfflineImBatch).' },
  (o, _st, sys) => {
    if (o.type !== 'deliver') return null;
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] === CLIENT && t.after?.value === 'crashed' && t.before?.value !== 'crashed') {
        const c = t.after.ctx as ClientContext;
        return violation('no-client-crash', [sys.topo.ids[t.idx]], `${sys.topo.ids[t.idx]} (version ${c.cfg.version}) crashed on ${o.msg?.kind} from ${o.from !== undefined ? sys.topo.ids[o.from] : '?'}`);
      }
    }
    return null;
  },
  'touched',
  ['client'],
);

export const capacity = stateless(
  { id: 'capacity', kind: 'always', statement: 'No supernode has more than `capacity` attached (registered) clients.' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] !== SUPERNODE || !t.after) continue;
      const c = t.after.ctx as SupernodeContext;
      // Judged when the registrations change: the directory (the user of each registered attachment, one entry
      // each, kept with the list by models/supernode.ts) is the same array after a step that changes none. Not
      // when only the list changes: a Keepalive resetting a silence then said it again at every Keepalive, which
      // the simulator's keepalive acceleration, applying no Keepalive, could not say (issue #6).
      if (t.before && (t.before.ctx as SupernodeContext).directory === c.directory) continue;
      const n = c.directory.length;
      if (n > c.cfg.capacity) return violation('capacity', [c.cfg.id], `${c.cfg.id} has ${n} attached clients, capacity ${c.cfg.capacity}`);
    }
    return null;
  },
  'touched',
  ['supernode'],
);

export const publicOnlySupernodes = stateless(
  { id: 'public-only-supernodes', kind: 'always', statement: 'Only public hosts run supernodes.' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] !== SUPERNODE || !t.after || !SERVING_STATES.has(t.after.value)) continue;
      const c = t.after.ctx as SupernodeContext;
      if (!c.cfg.public) return violation('public-only-supernodes', [c.cfg.id], `${c.cfg.id} runs (${t.after.value}) on host ${c.cfg.host}, which is behind NAT`);
    }
    return null;
  },
  'touched',
  ['supernode'],
);

export const hostCacheBound = stateless(
  { id: 'host-cache-bound', kind: 'always', statement: 'A host cache holds at most `hostCacheMax` entries, all supernode ids.' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] !== CLIENT || !t.after || t.after.ctx === t.before?.ctx) continue;
      const c = t.after.ctx as ClientContext;
      if (t.before && (t.before.ctx as ClientContext).hostCache === c.hostCache) continue; // unchanged
      if (c.hostCache.length > c.cfg.params.hostCacheMax) return violation('host-cache-bound', [c.cfg.id], `${c.cfg.id}'s host cache has ${c.hostCache.length} entries > hostCacheMax ${c.cfg.params.hostCacheMax}`);
      // An id of no known actor (a mega-supernode that has not joined yet) cannot be judged; a known non-supernode can.
      // The usual case first, from the set of supernode ids: a few hundred ids, where the
      // index of every actor has 10k clients on the login-flood bench (its lookups were
      // most of this monitor's 2.5% of `snc check`).
      const sns = sys.topo.supernodeIds;
      const cache = c.hostCache;
      let allSupernodes = true;
      for (let i = judgedPrefix(sys, t.idx, cache); i < cache.length; i++) {
        const id = cache[i];
        if (sns.has(id)) continue;
        allSupernodes = false;
        const k = sys.topo.index.get(id);
        if (k !== undefined && sys.topo.roles[k] !== 'supernode') return violation('host-cache-bound', [c.cfg.id], `${c.cfg.id}'s host cache holds "${id}", which is a ${sys.topo.roles[k]}, not a supernode`);
      }
      if (allSupernodes) rememberSupernodesOnly(sys, t.idx, cache);
    }
    return null;
  },
  'touched',
  ['client'],
);

/**
 * Per actor index, the last host cache host-cache-bound found to hold supernode ids only, with its topology:
 * a ConnectAck appends to a client's cache (models/client.ts mergeHostCache: a copy with the new ids after the
 * old), so when the new cache starts with the remembered one's entries (the same strings), only the rest need
 * looking up. A client's cache grows towards hostCacheMax (200) entries and each was looked up again at every
 * change (1% of a quiet hour of the simulator at 100k clients, 2% of its storms). Kept only when every entry is
 * a supernode's id (what the memo then says of the old entries), per actor index and topology, so another run's
 * index can only miss. Module-level, as validAtFor's memo: the last run's caches stay referenced until an index
 * is overwritten.
 */
const goodCache: (readonly string[] | null)[] = [];
const goodTopo: (object | null)[] = [];
function judgedPrefix(sys: System, idx: number, cache: readonly string[]): number {
  if (idx >= goodCache.length || goodTopo[idx] !== sys.topo) return 0;
  return keptPrefix(cache, goodCache[idx]);
}
function rememberSupernodesOnly(sys: System, idx: number, cache: readonly string[]): void {
  while (goodCache.length <= idx) { goodCache.push(null); goodTopo.push(null); } // filled in order: no holes
  goodCache[idx] = cache;
  goodTopo[idx] = sys.topo;
}

/**
 * Whether credential `c` carries auth's signature. Computed again each time (models/effects.ts
 * sign: a short hash): a WeakMap of every credential seen, which cached it, cost as much in
 * lookups that missed the cache and weighed on the garbage collector as an ephemeron table of
 * every credential issued (the simulator's storms at 100k clients: -3% CPU without it; `snc
 * check` the same within the measure's spread).
 */
const signed = (c: Credential, key: string): boolean => credentialValid(c, -Infinity, key);
/** Whether credential `c` is unexpired at `now` and carries auth's signature. */
function validAt(c: Credential | null, now: number, key: string): boolean {
  if (!c || c.expiresAt <= now) return false;
  return signed(c, key);
}
/**
 * `validAt` with the signature's verdict remembered per actor index: the credential an online
 * client's check read last. A client stays online with one credential for most of its steps,
 * so this answers without computing the signature again. Keyed by the object itself, so an
 * index of another topology can only miss.
 */
const lastCred: (object | null)[] = [];
const lastOk: boolean[] = [];
function validAtFor(idx: number, c: Credential | null, now: number, key: string): boolean {
  if (!c || c.expiresAt <= now) return false;
  if (idx < lastCred.length && lastCred[idx] === c) return lastOk[idx];
  const ok = signed(c, key);
  while (lastCred.length <= idx) { lastCred.push(null); lastOk.push(false); } // filled in order: no holes
  lastCred[idx] = c;
  lastOk[idx] = ok;
  return ok;
}

/** Model time at an observation: the event's clock in ms traces, 0 otherwise. */
const nowOf = (o: Observation, sys: System) => (sys.opts.clock === 'ms' ? o.ev.t : 0);

export const authBeforeService = stateless(
  { id: 'auth-before-service', kind: 'always', statement: 'No supernode directory holds a user without a valid, unexpired credential issued by auth for that user; no client is online without one.' },
  (o, _st, sys) => {
    const key = sys.topo.params.authKey;
    const now = nowOf(o, sys);
    for (const t of o.touched) {
      if (!t.after) continue;
      const role = sys.topo.roleCode[t.idx];
      if (role === CLIENT && t.after.value === 'online') {
        const c = t.after.ctx as ClientContext;
        if (!validAtFor(t.idx, c.credential, now, key)) return violation('auth-before-service', [c.cfg.id], `${c.cfg.id} is online without a valid credential (${c.credential ? `expires ${c.credential.expiresAt}, now ${now}` : 'none'})`);
      } else if (role === SUPERNODE && o.type === 'deliver' && o.msg?.kind === 'Register' && o.from !== undefined) {
        const c = t.after.ctx as SupernodeContext;
        const from = sys.topo.ids[o.from];
        // Binary searches of the sorted `clientIds` (attachmentIndex), not scans of the attachments (a cache miss
        // each: every Register of a reattach storm read two lists).
        const entry = registrationAt(c, attachmentIndex(c, from));
        // Only a registration this Register made counts: a rejected Register from a client
        // registered earlier leaves its (unchanged) entry in place.
        const bc = t.before?.ctx as SupernodeContext | undefined;
        const before = bc ? registrationAt(bc, attachmentIndex(bc, from)) : null;
        const cred = o.msg.credential;
        if (entry && entry !== before && !validAt(cred, now, key)) {
          return violation('auth-before-service', [c.cfg.id, from], `${c.cfg.id} registered user ${JSON.stringify(cred.user)} from ${from} with a credential auth did not issue or that expired (sig ${cred.sig}, expiresAt ${cred.expiresAt}, now ${now})`);
        }
      }
    }
    return null;
  },
  'touched',
  ['client', 'supernode'],
);
