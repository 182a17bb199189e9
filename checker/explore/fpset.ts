// A set of 53-bit state fingerprints mapping each to a node id: open
// addressing over typed arrays (two uint32 lanes + an int32 id), which is
// several times faster and ~5x smaller than a Map with floating-point keys.
export class FingerprintMap {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private val: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let n = 1;
    while (n < capacity * 2) n <<= 1;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.val = new Int32Array(n).fill(-1);
    this.mask = n - 1;
  }

  /** The id stored for `fp`, or -1. */
  get(fp: number): number {
    const h = Math.floor(fp / 0x100000000) >>> 0;
    const l = fp >>> 0;
    let i = (Math.imul(l ^ h, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const v = this.val[i];
      if (v < 0) return -1;
      if (this.lo[i] === l && this.hi[i] === h) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `fp → id` (fp must not be present). */
  set(fp: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const h = Math.floor(fp / 0x100000000) >>> 0;
    const l = fp >>> 0;
    let i = (Math.imul(l ^ h, 0x9e3779b1) >>> 0) & this.mask;
    while (this.val[i] >= 0) i = (i + 1) & this.mask;
    this.hi[i] = h; this.lo[i] = l; this.val[i] = id;
    this.size++;
  }

  private grow(): void {
    const { hi, lo, val } = this;
    const n = (this.mask + 1) * 2;
    this.hi = new Uint32Array(n); this.lo = new Uint32Array(n); this.val = new Int32Array(n).fill(-1);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < val.length; i++) if (val[i] >= 0) this.set(hi[i] * 0x100000000 + lo[i], val[i]);
  }
}
