// Symmetry reduction: interchangeable clients (same version, public flag,
// password and host cache, alone on their host) and interchangeable
// supernodes (same capacity, mega/dormant/public flags, default peers, alone on
// their host) are treated as one. As in Stateright's `Representative`, each
// state is rewritten by the permutation that sorts every class's members by
// their own state (with their own names masked), renaming ids, users, hosts and
// credential signatures everywhere; the fingerprint is that of the rewrite.
// This is sound (only truly symmetric states merge) and merges most of them.
import { encode, type ActorConfig } from '../../models/index.js';
import { sign } from '../../models/effects.js';
import type { SysState } from '../system/state.js';
import type { System } from '../system/system.js';
import { hash2, messageKey, stateExtras } from './fingerprint.js';

export interface Symmetry {
  /** Classes of interchangeable actor indices (each of size ≥ 2), in topology order. */
  readonly classes: readonly (readonly number[])[];
  fingerprint(st: SysState): number;
}

const TOKEN = /"(?:[^"\\]|\\.)*"/g;

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
  const maskOwn = (s: string, i: number) => s.replace(TOKEN, (tok) => (tokens[i].includes(tok) ? '"@"' : tok));

  return {
    classes,
    fingerprint(st) {
      // Sort each class by masked local state; member k of the class takes the place of the k-th sorted one.
      const placeOf = cfgs.map((_, i) => i);
      const rename = new Map<string, string>();
      for (const cls of classes) {
        const keyed = cls.map((i) => ({ i, k: st.locals[i] ? maskOwn(encode(st.locals[i]!), i) : '' }));
        keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i));
        keyed.forEach(({ i }, k) => {
          const target = cls[k];
          placeOf[target] = i;
          if (i !== target) tokens[i].forEach((tok, n) => rename.set(tok, tokens[target][n]));
        });
      }
      const rw = rename.size ? (s: string) => s.replace(TOKEN, (tok) => rename.get(tok) ?? tok) : (s: string) => s;
      let text = '';
      for (let pos = 0; pos < cfgs.length; pos++) {
        const l = st.locals[placeOf[pos]];
        text += (l ? rw(encode(l)) : '-') + '\n';
      }
      const msgs: string[] = [];
      for (const m of st.net.values()) msgs.push(rw(messageKey(sys, m)));
      text += msgs.sort().join('\n') + '\n' + rw(stateExtras(sys, st));
      const [a, b] = hash2(text);
      return a * 0x200000 + (b >>> 11);
    },
  };
}
