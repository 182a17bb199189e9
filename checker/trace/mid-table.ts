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
    const mask = this.mask;
    let i = hash(mid) & mask;
    while (this.used[i] === FULL) {
      if (this.keys[i] === mid) { this.vals[i] = value; return; }
      i = (i + 1) & mask;
    }
    this.used[i] = FULL;
    this.keys[i] = mid;
    this.vals[i] = value;
    if (++this.n * 2 > mask) this.grow();
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
    return true;
  }

  private find(mid: number): number {
    const mask = this.mask;
    let i = hash(mid) & mask;
    while (this.used[i] === FULL) {
      if (this.keys[i] === mid) return i;
      i = (i + 1) & mask;
    }
    return -1;
  }

  private grow(): void {
    const { used, keys, vals } = this;
    const len = used.length * 2;
    this.used = new Uint8Array(len);
    this.keys = new Float64Array(len);
    this.vals = new Float64Array(len);
    this.mask = len - 1;
    this.n = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === FULL) this.set(keys[i], vals[i]);
  }
}

/** A number's hash: its two 32-bit halves mixed, then murmur3's finaliser. */
function hash(x: number): number {
  let h = (x | 0) ^ Math.imul((x / 4294967296) | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
