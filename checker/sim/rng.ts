// A small seeded pseudo-random generator for the simulator (mulberry32: 32-bit
// state, fast, good enough for latencies and behaviour draws) and the
// distributions the scenarios use. Never Math.random: a seed reproduces a run.

/** mulberry32 as a function: uniform floats in [0, 1) from `seed` (unmixed), for workloads and test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator of uniform floats in [0, 1). */
export class Rng {
  private s: number;

  constructor(seed: number) {
    // Mix the seed so that 0, 1, 2 … start far apart.
    this.s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0x27d4eb2f) >>> 0;
  }

  /** Restarts the stream from a raw 32-bit state (a counter-based draw: see `hash32`). */
  reset(state: number): this {
    this.s = state >>> 0;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponential with mean `mean` (0 when mean is 0). */
  exp(mean: number): number {
    return mean <= 0 ? 0 : -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller; one value per call, the other discarded for simplicity). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** `k` distinct elements of `list` (k ≥ list.length: a shuffled copy), by a partial Fisher–Yates. */
  sample<T>(list: readonly T[], k: number): T[] {
    const a = list.slice();
    const n = Math.min(k, a.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(a.length - i);
      const x = a[i]; a[i] = a[j]; a[j] = x;
    }
    return a.slice(0, n);
  }

  /** A new generator whose stream depends on this one's seed and `salt` (independent sub-streams). */
  fork(salt: number): Rng {
    return new Rng((this.next() * 4294967296) ^ Math.imul(salt + 1, 0x9e3779b1));
  }
}

/** A latency distribution of the scenario's network, in ms. */
export type Latency =
  | { readonly distribution: 'uniform'; readonly min: number; readonly max: number }
  | { readonly distribution: 'exponential'; readonly min: number; readonly mean: number }
  | { readonly distribution: 'lognormal'; readonly median: number; readonly sigma: number };

/** A latency drawn from `d`: a whole number of ms, at least 1 (a message never arrives in the instant it left). */
export function drawLatency(rng: Rng, d: Latency): number {
  let x: number;
  switch (d.distribution) {
    case 'uniform': x = d.min + rng.next() * (d.max - d.min); break;
    case 'exponential': x = d.min + rng.exp(d.mean); break;
    case 'lognormal': x = d.median * Math.exp(d.sigma * rng.normal()); break;
  }
  return Math.max(1, Math.round(x));
}

/**
 * A bound on every latency `drawLatency` can return for `d` (ms). Each draw
 * takes its uniforms from `Rng.next`, whose values are multiples of 2^-32 in
 * [0, 1 - 2^-32]: so `1 - next()` is at least 2^-32, the exponential at most
 * `mean` × 32 ln 2, and Box–Muller's normal at most sqrt(2 × 32 ln 2) ≈ 6.66 in
 * absolute value. One ms on top covers the rounding. Lets the simulator skip a
 * draw whose only use is to compare with a much longer interval.
 */
export function maxLatency(d: Latency): number {
  const ln = 32 * Math.LN2;
  let x: number;
  switch (d.distribution) {
    case 'uniform': x = Math.max(d.min, d.max); break;
    case 'exponential': x = d.min + Math.max(0, d.mean) * ln; break;
    case 'lognormal': x = d.median * Math.exp(Math.abs(d.sigma) * Math.sqrt(2 * ln)); break;
  }
  return Math.max(1, Math.round(x)) + 1;
}

/**
 * For a lognormal `d`, what a draw's first uniform alone says: `bound[k]` (1 ≤ k < n) is a value of `1 - next()`,
 * the first number `normal()` takes, at and above which `drawLatency` returns at most k ms whatever the second
 * (Box–Muller's |z| is at most sqrt(-2 ln u)); Infinity when k + 0.5 is not above the median (within 1e-9), and
 * above 1 when no first uniform is large enough. Relative margins of 1e-9 cover the rounding of log, sqrt and exp.
 * Lets the simulator tell that a latency is at most k from one uniform, without drawing it (null for the other
 * distributions).
 */
export function latencyBounds(d: Latency, n: number): Float64Array | null {
  if (d.distribution !== 'lognormal') return null;
  const bound = new Float64Array(Math.max(0, n)).fill(Infinity);
  const sigma = Math.abs(d.sigma);
  for (let k = 1; k < n; k++) {
    // round(x) ≤ k when x < k + 0.5.
    const lim = (k + 0.5) * (1 - 1e-9);
    if (!(lim > d.median)) continue;
    if (sigma === 0) { bound[k] = 0; continue; }
    const z = Math.log(lim / d.median) / sigma;
    bound[k] = Math.exp((-z * z) / 2) * (1 + 1e-9);
  }
  return bound;
}

/** A 32-bit mix of four integers (murmur3 rounds and finaliser): the key of a counter-based draw. */
export function hash32(a: number, b: number, c: number, d: number): number {
  let h = a >>> 0;
  h = mixIn(h, b); h = mixIn(h, c); h = mixIn(h, d);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mixIn(h: number, x: number): number {
  let k = Math.imul(x >>> 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
