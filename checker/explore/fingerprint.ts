// Compact state fingerprints for the explorer's visited set: a 53-bit hash
// (two 32-bit lanes) of the canonical encodings of the local states (each
// cached on its immutable Local object), the multiset of in-flight messages
// (order-independent sum, so message ids and send order do not matter), the
// budget, down hosts, partition and monitor keys. As in TLC or Stateright, a
// hash collision could merge two states; at 1M states the odds are ~1e-4.
// The BFS computes a successor's fingerprint against its parent's
// (`Fingerprinter`): only the actors a step changed are looked up again.
import { encode, type Local } from '../../models/index.js';
import { msgKey } from '../system/memo.js';
import type { InFlight, SysState } from '../system/state.js';
import type { System } from '../system/system.js';
import { Stateless } from '../props/types.js';

/** FNV-1a and a second multiplicative hash over the same string, as two uint32 lanes. */
export function hash2(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, b >>> 0];
}

const localHash = new WeakMap<Local, [number, number]>();
const ABSENT: readonly [number, number] = [0x55555555, 0x33333333];
function hashLocal(sys: System, l: Local): readonly [number, number] {
  const memo = sys.opts.memo;
  let h = memo ? memo.hashes.get(l) : undefined;
  if (h) return h;
  h = localHash.get(l);
  if (!h) { h = hash2(encode(l)); localHash.set(l, h); }
  return h;
}

/** The canonical text of an in-flight message (ids, not indices), cached on it. */
export function messageKey(sys: System, m: InFlight): string {
  if (m.key === undefined) m.key = `${JSON.stringify(sys.topo.ids[m.from])}>${JSON.stringify(sys.topo.ids[m.to])}:${msgKey(m.msg)}`;
  return m.key;
}
const msgHash = new WeakMap<object, [number, number]>();
/** Hash of a message body (cached on the message object, which memoised steps share). */
function hashMsg(m: InFlight['msg']): [number, number] {
  let h = msgHash.get(m);
  if (!h) { h = hash2(msgKey(m)); msgHash.set(m, h); }
  return h;
}

/** The extra (non-local, non-network) part of a state, as text. */
export function stateExtras(sys: System, st: SysState): string {
  let s = `${st.partitioned ? "P" : ""}|${[...st.down].sort().map((h) => JSON.stringify(h)).join(",")}|`;
  const b = st.budget;
  s += `${b.logins},${b.logouts},${b.lookups},${b.promotes},${b.crashes},${b.drops},${b.partitions},${b.authFaults},${b.imFaults},${b.joins},${b.forgeries}|`;
  for (const m of st.monitors) s += m.key(st.step, st.time, sys.topo.ids) + '|';
  return s;
}

/** The 53-bit fingerprint of a state (no symmetry reduction). */
export function fingerprint(sys: System, st: SysState): number {
  let a = 0x12345678;
  let b = 0x9abcdef0;
  const locals = st.locals;
  for (let i = 0; i < locals.length; i++) {
    const l = locals[i];
    const h = l ? hashLocal(sys, l) : ABSENT;
    a = Math.imul(a ^ h[0], 0x01000193) >>> 0;
    b = Math.imul((b + h[1]) | 0, 0x5bd1e995) >>> 0;
    b ^= b >>> 13;
  }
  return finish(sys, st, a, b);
}

/**
 * The fingerprints of one state's successors, computed against that state (the
 * explorer's BFS): `base(st)` looks up the hash of each of its local states
 * once, and `of(next)` then hashes again only the actors whose local state
 * object differs from the base's (a step changes one or two), instead of one
 * WeakMap lookup per actor per successor. `of` gives exactly `fingerprint`.
 */
export class Fingerprinter {
  private locals: (Local | null)[] = [];
  private ha = new Uint32Array(0);
  private hb = new Uint32Array(0);

  constructor(private readonly sys: System) {}

  /** Takes `st`'s local states as the base (copied: the caller may then mutate `st`). */
  base(st: SysState): void {
    const ls = st.locals;
    const n = ls.length;
    if (this.ha.length < n) { this.ha = new Uint32Array(n); this.hb = new Uint32Array(n); }
    this.locals.length = n;
    for (let i = 0; i < n; i++) {
      const l = ls[i];
      const h = l ? hashLocal(this.sys, l) : ABSENT;
      this.locals[i] = l;
      this.ha[i] = h[0];
      this.hb[i] = h[1];
    }
  }

  /** The fingerprint of `st` (any state; cheapest for a successor of the base). */
  of(st: SysState): number {
    let a = 0x12345678;
    let b = 0x9abcdef0;
    const ls = st.locals;
    const base = this.locals;
    const n = ls.length;
    const same = n === base.length;
    for (let i = 0; i < n; i++) {
      const l = ls[i];
      let x: number;
      let y: number;
      if (same && l === base[i]) { x = this.ha[i]; y = this.hb[i]; } else { const h = l ? hashLocal(this.sys, l) : ABSENT; x = h[0]; y = h[1]; }
      a = Math.imul(a ^ x, 0x01000193) >>> 0;
      b = Math.imul((b + y) | 0, 0x5bd1e995) >>> 0;
      b ^= b >>> 13;
    }
    return finish(this.sys, st, a, b);
  }
}

/** Budgets are replaced, never mutated, in the explorer's states (checker/system/state.ts): the budget's part is cached by identity (one entry). */
let lastBudget: SysState['budget'] | undefined;
let lastPartitioned = false;
let budgetA = 0;
let budgetB = 0;

/** Adds the messages in flight, the budget, partition, down hosts and monitor keys to the locals part (a, b). */
function finish(sys: System, st: SysState, a: number, b: number): number {
  let na = 0;
  let nb = 0;
  for (const m of st.net.values()) {
    if (m.fpa === undefined) {
      const h = hashMsg(m.msg);
      const ends = m.from * 65599 + m.to + 1;
      m.fpb = Math.imul(h[1] + ends, 0x85ebca6b);
      m.fpa = Math.imul(h[0] ^ ends, 0x9e3779b1);
    }
    na = (na + m.fpa) >>> 0;
    nb = (nb + m.fpb!) >>> 0;
  }
  // Budget, partition, down hosts and monitor keys, mixed without building one string.
  const bu = st.budget;
  if (bu !== lastBudget || st.partitioned !== lastPartitioned) {
    let ea = st.partitioned ? 0x7f4a7c15 : 0;
    let eb = 0;
    ea = Math.imul(ea ^ bu.logins, 0x01000193) >>> 0; eb = (eb * 31 + bu.logins) >>> 0;
    ea = Math.imul(ea ^ bu.logouts, 0x01000193) >>> 0; eb = (eb * 31 + bu.logouts) >>> 0;
    ea = Math.imul(ea ^ bu.lookups, 0x01000193) >>> 0; eb = (eb * 31 + bu.lookups) >>> 0;
    ea = Math.imul(ea ^ bu.promotes, 0x01000193) >>> 0; eb = (eb * 31 + bu.promotes) >>> 0;
    ea = Math.imul(ea ^ bu.crashes, 0x01000193) >>> 0; eb = (eb * 31 + bu.crashes) >>> 0;
    ea = Math.imul(ea ^ bu.drops, 0x01000193) >>> 0; eb = (eb * 31 + bu.drops) >>> 0;
    ea = Math.imul(ea ^ bu.partitions, 0x01000193) >>> 0; eb = (eb * 31 + bu.partitions) >>> 0;
    ea = Math.imul(ea ^ bu.authFaults, 0x01000193) >>> 0; eb = (eb * 31 + bu.authFaults) >>> 0;
    ea = Math.imul(ea ^ bu.imFaults, 0x01000193) >>> 0; eb = (eb * 31 + bu.imFaults) >>> 0;
    ea = Math.imul(ea ^ bu.joins, 0x01000193) >>> 0; eb = (eb * 31 + bu.joins) >>> 0;
    ea = Math.imul(ea ^ bu.forgeries, 0x01000193) >>> 0; eb = (eb * 31 + bu.forgeries) >>> 0;
    lastBudget = bu; lastPartitioned = st.partitioned; budgetA = ea; budgetB = eb;
  }
  let ea = budgetA;
  let eb = budgetB;
  if (st.down.size) { const [x, y] = hash2([...st.down].sort().join('\u0000')); ea ^= x; eb ^= y; }
  const ms = st.monitors;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    if (m === Stateless.instance) continue; // its key is always empty
    const k = m.key(st.step, st.time, sys.topo.ids);
    if (!k) continue;
    const [x, y] = hash2(k);
    ea = Math.imul(ea ^ x ^ i, 0x01000193) >>> 0;
    eb = (eb + Math.imul(y, i + 1)) >>> 0;
  }
  a = Math.imul(a ^ na ^ ea, 0x01000193) >>> 0;
  b = Math.imul((b + nb + eb) | 0, 0x5bd1e995) >>> 0;
  b ^= b >>> 16;
  return a * 0x200000 + (b >>> 11);
}
