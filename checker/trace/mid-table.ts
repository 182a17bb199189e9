// A table from message ids to numbers (the validator's in-flight mids: mid →
// line of its send) that allocates nothing in its steady state.
//
// Why not a Map: a Map used as a queue (a mid set at its send, deleted at its
// delivery, millions of times) rebuilds its hash table every few thousand
// operations, and each table lives until the next rebuild: long enough to be
// promoted to the old generation, where it is garbage that only a full GC frees.
// On the login-flood bench (issue #5) the validator's and the network's Maps
// were a sixth of what `snc check` promoted. Integer mids (what recorders and
// the simulator write) go in an open-addressing table over typed arrays, with
// linear probing and backward-shift deletion (no tombstones, so no rebuild
// but to grow); string mids go in a Map.
//
// The slot of the last integer mid looked up is remembered (where it is, or the
// free slot that ended its probe), until the table changes: its users look a mid
// up and then set or delete it (the validator: get, then set at a send; the
// checker's network: get, then delete at a delivery), and the second operation
// then costs no probe (each probe is a cache miss or two in a large table).
import type { Mid } from './recent.js';

const EMPTY = 0;
const FULL = 1;

export class MidTable {
  private mask = 1023;
  private used = new Uint8Array(1024);
  private keys = new Float64Array(1024);
  private vals = new Float64Array(1024);
  private n = 0;
  private readonly strings = new Map<string, number>();
  /** The last integer mid `find` looked up (NaN: none since the last change), its slot, and whether it was there. */
  private lastMid = NaN;
  private lastSlot = 0;
  private lastFound = false;

  /** Entries in the table. */
  get size(): number {
    return this.n + this.strings.size;
  }

  get(mid: Mid): number | undefined {
    if (typeof mid === 'string') return this.strings.get(mid);
    const i = this.find(mid);
    return i < 0 ? undefined : this.vals[i];
  }

  has(mid: Mid): boolean {
    return typeof mid === 'string' ? this.strings.has(mid) : this.find(mid) >= 0;
  }

  set(mid: Mid, value: number): void {
    if (typeof mid === 'string') { this.strings.set(mid, value); return; }
    const i = this.find(mid);
    if (i >= 0) { this.vals[i] = value; return; }
    const free = this.lastSlot; // where the probe of `find` ended
    this.used[free] = FULL;
    this.keys[free] = mid;
    this.vals[free] = value;
    this.lastFound = true;
    this.lastSlot = free;
    if (++this.n * 2 > this.mask) this.grow();
  }

  /** Removes `mid`; true if it was there. */
  delete(mid: Mid): boolean {
    if (typeof mid === 'string') return this.strings.delete(mid);
    let i = this.find(mid);
    if (i < 0) return false;
    // Backward-shift deletion: later entries of the probe run move into the hole
    // when their home slot allows it, so lookups never need tombstones.
    const { used, keys, vals, mask } = this;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (used[j] !== FULL) break;
      const home = hash(keys[j]) & mask;
      // Move j to i unless its home lies cyclically in (i, j].
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      keys[i] = keys[j];
      vals[i] = vals[j];
      i = j;
    }
    used[i] = EMPTY;
    this.n--;
    this.lastMid = NaN; // entries moved
    return true;
  }

  /** The slot of `mid`, or -1 (the free slot ending its probe is then `lastSlot`). */
  private find(mid: number): number {
    if (mid === this.lastMid) return this.lastFound ? this.lastSlot : -1;
    const mask = this.mask;
    let i = hash(mid) & mask;
    let found = false;
    while (this.used[i] === FULL) {
      if (this.keys[i] === mid) { found = true; break; }
      i = (i + 1) & mask;
    }
    this.lastMid = mid;
    this.lastSlot = i;
    this.lastFound = found;
    return found ? i : -1;
  }

  private grow(): void {
    const { used, keys, vals } = this;
    const len = used.length * 2;
    this.used = new Uint8Array(len);
    this.keys = new Float64Array(len);
    this.vals = new Float64Array(len);
    this.mask = len - 1;
    this.n = 0;
    this.lastMid = NaN;
    for (let i = 0; i < used.length; i++) if (used[i] === FULL) this.set(keys[i], vals[i]);
    this.lastMid = NaN;
  }
}

/** A number's hash: its two 32-bit halves mixed, then murmur3's finaliser. */
function hash(x: number): number {
  let h = (x | 0) ^ Math.imul((x / 4294967296) | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
