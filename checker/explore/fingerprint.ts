// Compact state fingerprints for the explorer's visited set: a 53-bit hash
// (two 32-bit lanes) of the canonical encodings of the local states (each
// cached on its immutable Local object), the multiset of in-flight messages
// (order-independent sum, so message ids and send order do not matter), the
// budget, down hosts, partition and monitor keys. As in TLC or Stateright, a
// hash collision could merge two states; at 1M states the odds are ~1e-4.
// The BFS computes a successor's fingerprint against its parent's
// (`Fingerprinter`): only the actors a step changed are looked up again; for
// a cached transition (checker/explore/successors.ts) without the successor
// at all (`Fingerprinter.step`: the parent's locals part from the changed
// actor on, its message sums minus the delivered message plus the sent ones,
// its extras part). The values are the same whichever way they are computed.
import { encode, type Local } from '../../models/index.js';
import { msgKey } from '../system/memo.js';
import type { InFlight, MonitorState, SysState } from '../system/state.js';
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
/** The two fingerprint lanes of a local state (interned ones: from the memo; cached on the object). */
export function hashLocal(sys: System, l: Local): readonly [number, number] {
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
 * `step` gives a successor's fingerprint without the successor: the base with
 * one actor's local state replaced, one message gone and some sent (the
 * explorer's cached transitions, checker/explore/successors.ts).
 */
export class Fingerprinter {
  private locals: (Local | null)[] = [];
  private ha = new Uint32Array(0);
  private hb = new Uint32Array(0);
  /** The two lanes before actor i is mixed in (prefix of the locals part). */
  private pa = new Uint32Array(0);
  private pb = new Uint32Array(0);
  /** The base's messages part and extras part (budget, down hosts, monitor keys). */
  private na = 0;
  private nb = 0;
  private ea = 0;
  private eb = 0;
  /** The extras part of the last base whose monitors were `fresh`, by budget, down hosts and partition (see `base`). */
  private readonly fresh: readonly MonitorState[] | undefined;
  private xBudget: SysState['budget'] | undefined;
  private xDown: SysState['down'] | undefined;
  private xPartitioned = false;
  private xa = 0;
  private xb = 0;

  /**
   * `fresh` (optional): monitors whose keys are all empty (the explorer's
   * shared initial monitors): for a base with those, the extras part depends
   * only on the budget, down hosts and partition, and is kept for the last ones.
   */
  constructor(private readonly sys: System, fresh?: readonly MonitorState[]) {
    this.fresh = fresh && fresh.every((m) => m.key(0, 0, sys.topo.ids) === '') ? fresh : undefined;
  }

  /**
   * Takes `st` as the base (copied: the caller may then mutate `st`). `ids`
   * (optional): an id per actor's local state (-1: none), whose lanes are
   * `idA[id]`, `idB[id]` (no lookup on the local state objects); `na`, `nb`
   * (optional): the sums of its messages' lanes, as netPart gives them.
   */
  base(st: SysState, ids?: Int32Array, idA?: readonly number[], idB?: readonly number[], na?: number, nb?: number): void {
    const ls = st.locals;
    const n = ls.length;
    if (this.ha.length < n) { this.ha = new Uint32Array(n); this.hb = new Uint32Array(n); this.pa = new Uint32Array(n); this.pb = new Uint32Array(n); }
    if (this.locals.length !== n) this.locals.length = n;
    let a = 0x12345678;
    let b = 0x9abcdef0;
    for (let i = 0; i < n; i++) {
      const l = ls[i];
      let x: number;
      let y: number;
      if (ids !== undefined) {
        const id = ids[i];
        if (id < 0) { x = ABSENT[0]; y = ABSENT[1]; } else { x = idA![id]; y = idB![id]; }
      } else {
        const h = l ? hashLocal(this.sys, l) : ABSENT;
        x = h[0];
        y = h[1];
      }
      this.locals[i] = l;
      this.ha[i] = x;
      this.hb[i] = y;
      this.pa[i] = a;
      this.pb[i] = b;
      a = Math.imul(a ^ x, 0x01000193) >>> 0;
      b = Math.imul((b + y) | 0, 0x5bd1e995) >>> 0;
      b ^= b >>> 13;
    }
    if (na !== undefined && nb !== undefined) {
      this.na = na;
      this.nb = nb;
    } else {
      netPart(st);
      this.na = partA;
      this.nb = partB;
    }
    if (st.monitors === this.fresh && this.fresh !== undefined) {
      if (st.budget !== this.xBudget || st.down !== this.xDown || st.partitioned !== this.xPartitioned) {
        extrasPart(this.sys, st);
        this.xBudget = st.budget;
        this.xDown = st.down;
        this.xPartitioned = st.partitioned;
        this.xa = partA;
        this.xb = partB;
      }
      this.ea = this.xa;
      this.eb = this.xb;
      return;
    }
    extrasPart(this.sys, st);
    this.ea = partA;
    this.eb = partB;
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

  /**
   * The fingerprint of the base with actor `actor`'s local state hashed (x, y)
   * instead, a message of fingerprint lanes (goneA, goneB) gone (0, 0: none),
   * messages of lane sums (addA, addB) sent, and the same extras (budget, down
   * hosts, partition, monitor keys). Equals `of` of that successor.
   */
  step(actor: number, x: number, y: number, goneA: number, goneB: number, addA: number, addB: number): number {
    let a = this.pa[actor];
    let b = this.pb[actor];
    const n = this.locals.length;
    a = Math.imul(a ^ x, 0x01000193) >>> 0;
    b = Math.imul((b + y) | 0, 0x5bd1e995) >>> 0;
    b ^= b >>> 13;
    for (let i = actor + 1; i < n; i++) {
      a = Math.imul(a ^ this.ha[i], 0x01000193) >>> 0;
      b = Math.imul((b + this.hb[i]) | 0, 0x5bd1e995) >>> 0;
      b ^= b >>> 13;
    }
    return mix(a, b, (this.na - goneA + addA) >>> 0, (this.nb - goneB + addB) >>> 0, this.ea, this.eb);
  }
}

/** The two lanes a message in flight adds to its state's fingerprint (cached on it). */
export function messageLanes(m: InFlight): void {
  if (m.fpa === undefined) {
    const h = hashMsg(m.msg);
    const ends = m.from * 65599 + m.to + 1;
    m.fpb = Math.imul(h[1] + ends, 0x85ebca6b);
    m.fpa = Math.imul(h[0] ^ ends, 0x9e3779b1);
  }
}

/** Budgets are replaced, never mutated, in the explorer's states (checker/system/state.ts): the budget's part is cached by identity (one entry). */
let lastBudget: SysState['budget'] | undefined;
let lastPartitioned = false;
let budgetA = 0;
let budgetB = 0;

/** Results of netPart and extrasPart (two lanes; module variables: no array per call). */
let partA = 0;
let partB = 0;

/** The messages part: the order-independent sums of the messages' lanes, into partA/partB. */
function netPart(st: SysState): void {
  let na = 0;
  let nb = 0;
  for (const m of st.net.values()) {
    if (m.fpa === undefined) messageLanes(m);
    na = (na + m.fpa!) >>> 0;
    nb = (nb + m.fpb!) >>> 0;
  }
  partA = na;
  partB = nb;
}

/** The extras part: budget, partition, down hosts and monitor keys, mixed without building one string, into partA/partB. */
function extrasPart(sys: System, st: SysState): void {
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
  partA = ea;
  partB = eb;
}

/** The locals part (a, b), the messages part (na, nb) and the extras part (ea, eb) as one 53-bit number. */
function mix(a: number, b: number, na: number, nb: number, ea: number, eb: number): number {
  a = Math.imul(a ^ na ^ ea, 0x01000193) >>> 0;
  b = Math.imul((b + nb + eb) | 0, 0x5bd1e995) >>> 0;
  b ^= b >>> 16;
  return a * 0x200000 + (b >>> 11);
}

/** Adds the messages in flight, the budget, partition, down hosts and monitor keys to the locals part (a, b). */
function finish(sys: System, st: SysState, a: number, b: number): number {
  netPart(st);
  const na = partA;
  const nb = partB;
  extrasPart(sys, st);
  return mix(a, b, na, nb, partA, partB);
}
