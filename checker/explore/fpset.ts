// The explorer's visited set: 53-bit state fingerprints in open addressing
// (linear probing) over one Float64Array, each slot holding fingerprint + 1
// (exact below 2^53; 0: empty). 8 bytes a slot, filled up to 70%: the 311k
// states of the main preset fit in 4 MB (the earlier map of (hi, lo, id)
// triples took 12 MB after two rehashes), so a probe misses the cache less;
// `add` looks up and inserts in one probe. The BFS keeps no node id here (it
// never read one back): a node's parent and action are in its own arrays.
export class FingerprintSet {
  /** fp + 1 per slot, 0 for an empty one. */
  private slots: Float64Array;
  private mask: number;
  /** Entries before the next growth. */
  private limit: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let n = 1;
    while (n * 0.7 < capacity) n <<= 1;
    this.slots = new Float64Array(n);
    this.mask = n - 1;
    this.limit = Math.floor(n * 0.7);
  }

  private static home(fp: number, mask: number): number {
    return (Math.imul((fp >>> 0) ^ (Math.floor(fp / 0x100000000) >>> 0), 0x9e3779b1) >>> 0) & mask;
  }

  /** Whether `fp` (0 ≤ fp < 2^53) is in the set. */
  has(fp: number): boolean {
    const slots = this.slots;
    const v = fp + 1;
    for (let i = FingerprintSet.home(fp, this.mask); ; i = (i + 1) & this.mask) {
      const s = slots[i];
      if (s === 0) return false;
      if (s === v) return true;
    }
  }

  /** Adds `fp` (0 ≤ fp < 2^53); false when it was there already. */
  add(fp: number): boolean {
    if (this.size >= this.limit) this.grow();
    const slots = this.slots;
    const v = fp + 1;
    for (let i = FingerprintSet.home(fp, this.mask); ; i = (i + 1) & this.mask) {
      const s = slots[i];
      if (s === v) return false;
      if (s === 0) { slots[i] = v; this.size++; return true; }
    }
  }

  private grow(): void {
    const old = this.slots;
    const n = old.length * 2;
    const slots = new Float64Array(n);
    const mask = n - 1;
    for (let j = 0; j < old.length; j++) {
      const v = old[j];
      if (v === 0) continue;
      let i = FingerprintSet.home(v - 1, mask);
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = v;
    }
    this.slots = slots;
    this.mask = mask;
    this.limit = Math.floor(n * 0.7);
  }
}
