// Symmetry reduction: interchangeable clients (same version, public flag,
// password and host cache, alone on their host) and interchangeable
// supernodes (same capacity, mega/dormant/public flags, default peers, alone on
// their host) are treated as one. As in Stateright's `Representative`, each
// state is rewritten by the permutation that sorts every class's members by
// their own state (with their own names masked), renaming ids, users, hosts and
// credential signatures everywhere; the fingerprint is that of the rewrite
// (its parts hashed separately and cached per local state or message and renaming).
// This is sound (only truly symmetric states merge) and merges most of them.
import { encode, type ActorConfig, type Local } from '../../models/index.js';
import { sign } from '../../models/effects.js';
import { canonicalJson } from '../../models/canonical.js';
import type { SysState } from '../system/state.js';
import type { System } from '../system/system.js';
import { hash2, messageKey, stateExtras } from './fingerprint.js';

export interface Symmetry {
  /** Classes of interchangeable actor indices (each of size ≥ 2), in topology order. */
  readonly classes: readonly (readonly number[])[];
  fingerprint(st: SysState): number;
}

const TOKEN = /"(?:[^"\\]|\\.)*"/g;

/**
 * Context fields that are sets kept sorted by id (their order carries no meaning):
 * after a renaming they must be sorted again, or symmetric states would not meet.
 * Arrays not listed here (a client's host cache) keep their order: it matters.
 */
const SET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  supernode: ['clients', 'mesh', 'queries'],
  im: ['waiting'],
};
const NESTED_SETS = ['lookups', 'relays'];

/** Re-sorts the set fields of an encoded local state (`value|{...}`) after a renaming. */
function resortSets(role: string, encoded: string): string {
  const fields = SET_FIELDS[role];
  if (!fields) return encoded;
  const bar = encoded.indexOf('|');
  const ctx = JSON.parse(encoded.slice(bar + 1)) as Record<string, unknown>;
  const sortBy = (a: unknown, b: unknown) => { const x = canonicalJson(a); const y = canonicalJson(b); return x < y ? -1 : x > y ? 1 : 0; };
  for (const f of fields) {
    const arr = ctx[f];
    if (!Array.isArray(arr)) continue;
    for (const el of arr) if (el && typeof el === 'object') for (const n of NESTED_SETS) { const inner = (el as Record<string, unknown>)[n]; if (Array.isArray(inner)) inner.sort(sortBy); }
    arr.sort(sortBy);
  }
  return encoded.slice(0, bar + 1) + canonicalJson(ctx);
}

/** The classes of interchangeable actors of a system. */
export function symmetryClasses(sys: System): number[][] {
  const { cfgs, hosts } = sys.topo;
  const sig = (c: ActorConfig, i: number): string | null => {
    if (sys.standby.has(i) || hosts.get(c.host)!.length !== 1) return null;
    const defaultPeers = c.peers.length === sys.topo.supernodeIds.size - 1;
    if (c.role === 'client') return `client|${c.version}|${c.public}|${c.password}|${c.hostCache.join(',')}`;
    if (c.role === 'supernode' && defaultPeers) return `supernode|${c.capacity}|${c.mega}|${c.dormant}|${c.public}`;
    return null;
  };
  const groups = new Map<string, number[]>();
  cfgs.forEach((c, i) => {
    const k = sig(c, i);
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  return [...groups.values()].filter((g) => g.length > 1);
}

/** Builds the symmetry-reducing fingerprint for a system. */
export function symmetry(sys: System): Symmetry {
  const classes = symmetryClasses(sys);
  const { cfgs, params } = sys.topo;
  // The quoted tokens that name each actor: id, host, user, and its users' credential signatures.
  const tokens = cfgs.map((c) => {
    const t = [c.id, c.host];
    if (c.role === 'client') {
      const exp = params.credentialLifetime;
      t.push(c.user, sign(c.user, 0, exp, params.authKey), sign(c.user, 0, exp, `forger-of-${params.authKey}`));
    }
    return t.map((x) => JSON.stringify(x));
  });
  // Caches on the (interned, immutable) local state objects: their encoding, masked form, and renamings.
  const encoded = new WeakMap<Local, string>();
  const enc = (l: Local) => { let e = encoded.get(l); if (e === undefined) { e = encode(l); encoded.set(l, e); } return e; };
  const masked = new WeakMap<Local, string>();
  // Sort keys describe an actor's own state up to renaming: its own names become "@",
  // any symmetric actor's names become its class ("#k"), so the key does not depend on
  // how the other members happen to be named.
  const classOf = new Map<string, string>();
  classes.forEach((cls, k) => { for (const i of cls) for (const tok of tokens[i]) classOf.set(tok, `"#${k}"`); });
  const maskOwn = (l: Local, i: number) => {
    let m = masked.get(l);
    if (m === undefined) { m = enc(l).replace(TOKEN, (tok) => (tokens[i].includes(tok) ? '"@"' : classOf.get(tok) ?? tok)); masked.set(l, m); }
    return m;
  };
  // Masked forms interned to small ids (0: an absent actor, whose key is ''), and their
  // string order cached per pair: sorting a class then costs no string comparison.
  const maskIds = new WeakMap<Local, number>();
  const maskIdOf = new Map<string, number>([['', 0]]);
  const maskText: string[] = [''];
  const order = new Map<number, number>();
  const keyId = (l: Local | null, i: number): number => {
    if (!l) return 0;
    let id = maskIds.get(l);
    if (id === undefined) {
      const m = maskOwn(l, i);
      id = maskIdOf.get(m);
      if (id === undefined) { id = maskText.length; maskText.push(m); maskIdOf.set(m, id); }
      maskIds.set(l, id);
    }
    return id;
  };
  const compareKeys = (x: number, y: number): number => {
    if (x === y) return 0;
    const k = x * 0x4000000 + y;
    let c = order.get(k);
    if (c === undefined) {
      c = maskText[x] < maskText[y] ? -1 : 1;
      if (order.size >= 1 << 20) order.clear(); // a cache, bounded
      order.set(k, c);
    }
    return c;
  };
  // Hashes of renamed local states, per local state and renaming (the permutation, as a string of
  // char codes); of renamed messages, per message key and renaming.
  const renamed = new WeakMap<Local, Map<string, readonly [number, number]>>();
  const plain = new WeakMap<Local, readonly [number, number]>();
  const renamedMsg = new Map<string, Map<string, readonly [number, number]>>();
  // The extras (budget, partition, down hosts, monitor keys) hashed as their text; with no host
  // down and every monitor key empty (the common case) the text depends on the budget and the
  // partition flag only, and its hash is kept for the last budget object (budgets are never mutated).
  let plainBudget: SysState['budget'] | undefined;
  let plainPartitioned = false;
  let plainHash: readonly [number, number] = [0, 0];
  const extrasHash = (st: SysState, sig: string, rw: (s: string) => string): readonly [number, number] => {
    if (st.down.size === 0) {
      let empty = true;
      for (const m of st.monitors) if (m.key(st.step, st.time, sys.topo.ids) !== '') { empty = false; break; }
      if (empty) {
        if (st.budget !== plainBudget || st.partitioned !== plainPartitioned) {
          plainHash = hash2(stateExtras(sys, st)); // no quote in it: nothing to rename
          plainBudget = st.budget;
          plainPartitioned = st.partitioned;
        }
        return plainHash;
      }
    }
    const extras = stateExtras(sys, st);
    return hash2(sig && extras.includes('"') ? rw(extras) : extras);
  };
  const ABSENT = hash2('-');
  const n = cfgs.length;
  const placeOf: number[] = cfgs.map((_, i) => i);
  const sortIdx: number[] = [];
  const sortKey: number[] = [];

  return {
    classes,
    fingerprint(st) {
      // Sort each class by masked local state (ties by index); member k of the class takes the place of the k-th sorted one.
      for (let i = 0; i < n; i++) placeOf[i] = i;
      let moved = false;
      for (const cls of classes) {
        const len = cls.length;
        for (let k = 0; k < len; k++) {
          const i = cls[k];
          const key = keyId(st.locals[i], i);
          let j = k;
          while (j > 0) {
            const c = compareKeys(sortKey[j - 1], key);
            if (c < 0 || (c === 0 && sortIdx[j - 1] < i)) break;
            sortKey[j] = sortKey[j - 1]; sortIdx[j] = sortIdx[j - 1]; j--;
          }
          sortKey[j] = key; sortIdx[j] = i;
        }
        for (let k = 0; k < len; k++) { placeOf[cls[k]] = sortIdx[k]; if (sortIdx[k] !== cls[k]) moved = true; }
      }
      const sig = moved ? String.fromCharCode(...placeOf) : '';
      let rename: Map<string, string> | undefined;
      const renameMap = (): Map<string, string> => {
        if (rename) return rename;
        rename = new Map();
        for (let target = 0; target < n; target++) {
          const i = placeOf[target];
          if (i !== target) tokens[i].forEach((tok, m) => rename!.set(tok, tokens[target][m]));
        }
        return rename;
      };
      const rw = (s: string) => { const r = renameMap(); return s.replace(TOKEN, (tok) => r.get(tok) ?? tok); };
      // The state's canonical form is: the renamed local states in place order, the multiset of
      // renamed messages and the renamed extras. Each part is hashed once and cached; the parts
      // are combined as in the plain fingerprint (in order for places, by sum for messages).
      const hashLocal = (l: Local): readonly [number, number] => {
        if (!sig) {
          let h = plain.get(l);
          if (!h) { h = hash2(enc(l)); plain.set(l, h); }
          return h;
        }
        let row = renamed.get(l);
        if (!row) { row = new Map(); renamed.set(l, row); }
        let h = row.get(sig);
        if (h === undefined) { h = hash2(resortSets(l.ctx.cfg.role, rw(enc(l)))); row.set(sig, h); }
        return h;
      };
      let a = 0x12345678;
      let b = 0x9abcdef0;
      for (let pos = 0; pos < cfgs.length; pos++) {
        const l = st.locals[placeOf[pos]];
        const h = l ? hashLocal(l) : ABSENT;
        a = Math.imul(a ^ h[0], 0x01000193) >>> 0;
        b = Math.imul((b + h[1]) | 0, 0x5bd1e995) >>> 0;
        b ^= b >>> 13;
      }
      let na = 0;
      let nb = 0;
      for (const m of st.net.values()) {
        const key = messageKey(sys, m);
        let row = renamedMsg.get(key);
        if (!row) { row = new Map(); renamedMsg.set(key, row); }
        let h = row.get(sig);
        if (h === undefined) { h = hash2(sig ? rw(key) : key); row.set(sig, h); }
        na = (na + Math.imul(h[0], 0x9e3779b1)) >>> 0;
        nb = (nb + Math.imul(h[1] ^ 0x27d4eb2f, 0x85ebca6b)) >>> 0;
      }
      const [ea, eb] = extrasHash(st, sig, rw);
      a = Math.imul(a ^ na ^ ea, 0x01000193) >>> 0;
      b = Math.imul((b + nb + eb) | 0, 0x5bd1e995) >>> 0;
      b ^= b >>> 16;
      return a * 0x200000 + (b >>> 11);
    },
  };
}
