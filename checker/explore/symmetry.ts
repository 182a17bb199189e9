// Symmetry reduction: interchangeable clients (same version, public flag,
// password and host cache, alone on their host) and interchangeable
// supernodes (same capacity, mega/dormant/public flags, default peers, alone on
// their host) are treated as one. As in Stateright's `Representative`, each
// state is rewritten by the permutation that sorts every class's members by
// their own state (with their own names masked), renaming ids, users, hosts and
// credential signatures everywhere; the fingerprint is that of the rewrite.
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
  const renamed = new WeakMap<Local, Map<string, string>>();

  return {
    classes,
    fingerprint(st) {
      // Sort each class by masked local state; member k of the class takes the place of the k-th sorted one.
      const placeOf = cfgs.map((_, i) => i);
      const rename = new Map<string, string>();
      for (const cls of classes) {
        const keyed = cls.map((i) => ({ i, k: st.locals[i] ? maskOwn(st.locals[i]!, i) : '' }));
        keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i));
        keyed.forEach(({ i }, k) => {
          const target = cls[k];
          placeOf[target] = i;
          if (i !== target) tokens[i].forEach((tok, n) => rename.set(tok, tokens[target][n]));
        });
      }
      const rw = rename.size ? (s: string) => s.replace(TOKEN, (tok) => rename.get(tok) ?? tok) : (s: string) => s;
      const sig = rename.size ? [...rename].map(([a, b]) => a + b).join('') : '';
      const rwLocal = (l: Local) => {
        if (!sig) return enc(l);
        let row = renamed.get(l);
        if (!row) { row = new Map(); renamed.set(l, row); }
        let r = row.get(sig);
        if (r === undefined) { r = resortSets(l.ctx.cfg.role, rw(enc(l))); row.set(sig, r); }
        return r;
      };
      let text = '';
      for (let pos = 0; pos < cfgs.length; pos++) {
        const l = st.locals[placeOf[pos]];
        text += (l ? rwLocal(l) : '-') + '\n';
      }
      const msgs: string[] = [];
      for (const m of st.net.values()) msgs.push(rw(messageKey(sys, m)));
      text += msgs.sort().join('\n') + '\n' + rw(stateExtras(sys, st));
      const [a, b] = hash2(text);
      return a * 0x200000 + (b >>> 11);
    },
  };
}
