// The network of a replay that keeps one state (the checker, the simulator):
// the messages in flight by mid, as a Map (SysState.net is one) that allocates
// nothing in its steady state. (The explorer, which clones states, has its own:
// packed-net.ts.)
//
// Why (issue #5, peak RSS): a Map used as a queue, one entry set per recorded
// `send` and deleted at its `deliver`, rebuilds its hash table every few
// thousand sends, and each table (~100 KB at a few thousand messages in flight)
// lives until the next rebuild: long enough to be promoted to the old
// generation. What the checker promotes sets V8's heap growing factor (between
// 1.1 and 4 times the live heap before the next full GC), so that garbage costs
// peak RSS well beyond its own size. In the simulator (issue #6), where a
// reattach storm keeps tens of thousands of messages in flight, the Map's
// tables were megabytes, rebuilt again and again: with this map outage-2010's
// crash hours at 100k clients take ~13% less CPU.
//
// Two representations, one at a time:
// - Sequential (from the start, and whenever the map is empty): while every
//   mid set is an integer above every mid set before it — the simulator's
//   (System.send numbers them), and most recorders' — entries sit in a ring by
//   mid (ring[mid & mask]), live ones between lo and hi; insertion order is mid
//   order. A lookup is one read near the newest mids, which stay in cache,
//   where a hashed table costs cache misses in its slots (issue #6: ~4.3M
//   deliveries in the login-storm hour at 100k clients, each looked up, sent and
//   deleted). The ring grows to hold the mids between the oldest in flight and
//   the newest; when it would have to grow for a span beyond a few times the
//   entries (a straggler of a latency distribution with a long tail), the map
//   takes the other form instead.
// - General (any other mid: a string, a mid below one set before): entries in
//   insertion order in two parallel arrays, a deleted one leaving a hole; the
//   arrays are compacted in place once holes outnumber entries (not while an
//   iteration is under way). Positions are found through a MidTable (integer
//   mids in typed arrays).
// The change keeps the order; the map is sequential again once empty (clear, or
// its last entry deleted). Iteration order, `size`, and iteration while entries
// are set and deleted behave as a Map's, across the changes too.
import { MidTable } from '../trace/mid-table.js';
import type { Mid } from '../trace/recent.js';

/** A deleted entry's value slot. */
const HOLE: unique symbol = Symbol('hole');
/** Holes tolerated before a compaction is considered. */
const MIN_HOLES = 1024;
/** The ring's first size; it grows to hold the span of mids in flight up to SPAN_FACTOR × entries + SPAN_SLACK. */
const RING0 = 1024;
const SPAN_FACTOR = 4;
const SPAN_SLACK = 4096;

export class MidMap<V> {
  /** Sequential: the ring holds every entry (see the top of this file); general once false. */
  private seq = true;
  private ring: (V | typeof HOLE)[] = new Array<V | typeof HOLE>(RING0).fill(HOLE);
  private mask = RING0 - 1;
  /** No entry below lo; every mid set since the map was last empty is below hi (lo = hi when empty). */
  private lo = 0;
  private hi = 0;
  /**
   * For an iteration under way across a change: when the map turned general, how many entries the ring held then (the
   * first of ks, in mid order); how many times it has turned; and how many times it has started again from empty (a
   * set into an empty map, clear, the last entry of the general form deleted: every entry since is one an iteration
   * has not seen).
   */
  private turnedWith = 0;
  private turns = 0;
  private restarts = 0;

  private readonly pos = new MidTable();
  private readonly ks: Mid[] = [];
  private readonly vs: (V | typeof HOLE)[] = [];
  /** Slots in use (entries and holes), from 0. */
  private end = 0;
  private n = 0;
  /** Iterations under way: no compaction meanwhile. */
  private iterating = 0;

  get size(): number { return this.n; }

  /** Whether the map is in its sequential form (see the top of this file): for tests and diagnostics. */
  get sequential(): boolean { return this.seq; }

  get(k: Mid): V | undefined {
    if (this.seq) {
      if (!this.inRing(k)) return undefined;
      const v = this.ring[(k as number) & this.mask];
      return v === HOLE ? undefined : v;
    }
    const p = this.pos.get(k);
    return p === undefined ? undefined : (this.vs[p] as V);
  }

  has(k: Mid): boolean {
    if (this.seq) return this.inRing(k) && this.ring[(k as number) & this.mask] !== HOLE;
    return this.pos.has(k);
  }

  set(k: Mid, v: V): this {
    if (k === 0) k = 0; // -0 is the key 0, as in a Map
    if (this.seq) {
      if (typeof k === 'number' && Number.isSafeInteger(k)) {
        if (this.n === 0) { this.lo = this.hi = k; this.restarts++; }
        if (k >= this.hi) {
          if (k - this.lo <= this.mask || this.widen(k)) {
            this.ring[k & this.mask] = v;
            this.hi = k + 1;
            this.n++;
            return this;
          }
        } else if (k >= this.lo && this.ring[k & this.mask] !== HOLE) {
          this.ring[k & this.mask] = v;
          return this;
        }
      }
      this.turn();
    }
    const p = this.pos.get(k);
    if (p !== undefined) { this.vs[p] = v; return this; }
    const e = this.end++;
    if (e === this.ks.length) { this.ks.push(k); this.vs.push(v); } else { this.ks[e] = k; this.vs[e] = v; }
    this.pos.set(k, e);
    this.n++;
    return this;
  }

  delete(k: Mid): boolean {
    if (this.seq) {
      if (!this.inRing(k)) return false;
      const ring = this.ring;
      const mask = this.mask;
      const i = (k as number) & mask;
      if (ring[i] === HOLE) return false;
      ring[i] = HOLE;
      if (--this.n === 0) this.lo = this.hi;
      else if (k === this.lo) {
        let lo = this.lo + 1;
        while (ring[lo & mask] === HOLE) lo++; // stops: an entry lies above (n > 0)
        this.lo = lo;
      }
      return true;
    }
    const p = this.pos.get(k);
    if (p === undefined) return false;
    this.pos.delete(k);
    this.vs[p] = HOLE;
    this.ks[p] = 0;
    if (--this.n === 0) {
      // Empty: sequential again (for snc check, one mid out of order early in a trace need not cost the ring for the rest).
      this.end = 0;
      this.seq = true;
      this.lo = this.hi = 0;
      this.restarts++;
      return true;
    }
    const holes = this.end - this.n;
    if (holes > MIN_HOLES && holes > this.n && this.iterating === 0) this.compact();
    return true;
  }

  clear(): void {
    if (this.seq) {
      for (let k = this.lo; k < this.hi; k++) this.ring[k & this.mask] = HOLE;
    } else {
      for (let i = 0; i < this.end; i++) {
        if (this.vs[i] !== HOLE) this.pos.delete(this.ks[i]);
        this.ks[i] = 0;
        this.vs[i] = HOLE;
      }
      this.end = 0;
      this.seq = true; // empty: sequential again
    }
    this.restarts++;
    this.lo = this.hi = 0;
    this.n = 0;
  }

  forEach(fn: (v: V, k: Mid, map: this) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  *entries(): IterableIterator<[Mid, V]> {
    this.iterating++;
    try {
      // The next mid to look at in the ring (k) or index in ks (i). After a restart every entry is unseen: from the
      // start again. After a turn, on from the first of the ring's entries (now at the front of ks) at or above k.
      let k = this.lo;
      let i = 0;
      let turns = this.turns;
      let restarts = this.restarts;
      for (;;) {
        if (restarts !== this.restarts) { restarts = this.restarts; turns = this.turns; k = this.lo; i = 0; }
        else if (turns !== this.turns) {
          turns = this.turns;
          i = 0;
          while (i < this.turnedWith && (this.vs[i] === HOLE || (this.ks[i] as number) < k)) i++;
        }
        if (this.seq) {
          if (k < this.lo) k = this.lo;
          if (k >= this.hi) return;
          const v = this.ring[k & this.mask];
          k++;
          if (v !== HOLE) yield [k - 1, v];
        } else {
          if (i >= this.end) return;
          const v = this.vs[i];
          if (v !== HOLE) yield [this.ks[i], v];
          i++;
        }
      }
    } finally { this.iterating--; }
  }

  *keys(): IterableIterator<Mid> { for (const [k] of this.entries()) yield k; }
  *values(): IterableIterator<V> { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator](): IterableIterator<[Mid, V]> { return this.entries(); }
  get [Symbol.toStringTag](): string { return 'Map'; }

  /** Whether `k` names a ring slot between lo and hi (sequential). */
  private inRing(k: Mid): boolean {
    return typeof k === 'number' && k >= this.lo && k < this.hi && Number.isInteger(k);
  }

  /**
   * Grows the ring to hold mids lo … k, unless that span is too wide for the entries it holds (then false: the map
   * turns general).
   */
  private widen(k: number): boolean {
    const span = k - this.lo + 1;
    if (span > SPAN_FACTOR * this.n + SPAN_SLACK) return false;
    let size = this.ring.length;
    while (size < span) size *= 2;
    const ring = new Array<V | typeof HOLE>(size).fill(HOLE);
    const mask = size - 1;
    for (let j = this.lo; j < this.hi; j++) ring[j & mask] = this.ring[j & this.mask];
    this.ring = ring;
    this.mask = mask;
    return true;
  }

  /** Turns general: the ring's entries, in mid order, become the first of ks. */
  private turn(): void {
    const { ring, mask } = this;
    let e = 0;
    for (let k = this.lo; k < this.hi; k++) {
      const v = ring[k & mask];
      if (v === HOLE) continue;
      ring[k & mask] = HOLE;
      if (e === this.ks.length) { this.ks.push(k); this.vs.push(v); } else { this.ks[e] = k; this.vs[e] = v; }
      this.pos.set(k, e);
      e++;
    }
    this.end = e;
    this.turnedWith = e;
    this.turns++;
    this.lo = this.hi = 0;
    this.seq = false;
    // All holes now: a ring of the first size for when the map is empty again.
    this.ring = new Array<V | typeof HOLE>(RING0).fill(HOLE);
    this.mask = RING0 - 1;
  }

  /** Moves the entries down over the holes, in order (no allocation). */
  private compact(): void {
    const { ks, vs, pos } = this;
    let j = 0;
    for (let i = 0; i < this.end; i++) {
      const v = vs[i];
      if (v === HOLE) continue;
      if (i !== j) { ks[j] = ks[i]; vs[j] = v; pos.set(ks[j], j); }
      j++;
    }
    for (let i = j; i < this.end; i++) { ks[i] = 0; vs[i] = HOLE; }
    this.end = j;
  }
}
