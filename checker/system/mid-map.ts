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
// Entries sit in insertion order in two parallel arrays, a deleted one leaving a
// hole; the arrays are compacted in place once holes outnumber entries (not while
// an iteration is under way). Positions are found through a MidTable (integer mids
// in typed arrays). Iteration order, `size`, and iteration while entries are
// deleted behave as a Map's.
import { MidTable } from '../trace/mid-table.js';
import type { Mid } from '../trace/recent.js';

/** A deleted entry's value slot. */
const HOLE: unique symbol = Symbol('hole');
/** Holes tolerated before a compaction is considered. */
const MIN_HOLES = 1024;

export class MidMap<V> {
  private readonly pos = new MidTable();
  private readonly ks: Mid[] = [];
  private readonly vs: (V | typeof HOLE)[] = [];
  /** Slots in use (entries and holes), from 0. */
  private end = 0;
  private n = 0;
  /** Iterations under way: no compaction meanwhile. */
  private iterating = 0;

  get size(): number { return this.n; }

  get(k: Mid): V | undefined {
    const p = this.pos.get(k);
    return p === undefined ? undefined : (this.vs[p] as V);
  }

  has(k: Mid): boolean { return this.pos.has(k); }

  set(k: Mid, v: V): this {
    const p = this.pos.get(k);
    if (p !== undefined) { this.vs[p] = v; return this; }
    const e = this.end++;
    if (e === this.ks.length) { this.ks.push(k); this.vs.push(v); } else { this.ks[e] = k; this.vs[e] = v; }
    this.pos.set(k, e);
    this.n++;
    return this;
  }

  delete(k: Mid): boolean {
    const p = this.pos.get(k);
    if (p === undefined) return false;
    this.pos.delete(k);
    this.vs[p] = HOLE;
    this.ks[p] = 0;
    this.n--;
    const holes = this.end - this.n;
    if (holes > MIN_HOLES && holes > this.n && this.iterating === 0) this.compact();
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.end; i++) {
      if (this.vs[i] !== HOLE) this.pos.delete(this.ks[i]);
      this.ks[i] = 0;
      this.vs[i] = HOLE;
    }
    this.end = 0;
    this.n = 0;
  }

  forEach(fn: (v: V, k: Mid, map: this) => void, thisArg?: unknown): void {
    this.iterating++;
    try {
      for (let i = 0; i < this.end; i++) {
        const v = this.vs[i];
        if (v !== HOLE) fn.call(thisArg, v, this.ks[i], this);
      }
    } finally { this.iterating--; }
  }

  *entries(): IterableIterator<[Mid, V]> {
    this.iterating++;
    try {
      for (let i = 0; i < this.end; i++) {
        const v = this.vs[i];
        if (v !== HOLE) yield [this.ks[i], v];
      }
    } finally { this.iterating--; }
  }

  *keys(): IterableIterator<Mid> { for (const [k] of this.entries()) yield k; }
  *values(): IterableIterator<V> { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator](): IterableIterator<[Mid, V]> { return this.entries(); }
  get [Symbol.toStringTag](): string { return 'Map'; }

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
