// A fixed-size memory of recently settled (delivered or dropped) mids, so the
// validator can say "delivered twice" (TRC006) rather than "never sent"
// (TRC005), and catch a send that re-uses a mid just settled (TRC007).
//
// Why not a Map with a ring buffer: a Map of 64K string keys, touched on every
// send and deliver, misses the CPU cache and cost ~0.45 µs per event in the
// benchmark (about a quarter of `snc validate`'s time on a 1M-event trace).
// This is a direct-mapped cache instead: one slot per hash, a newer mid evicts
// an older one that shares its slot. Lookups are exact (the slot keeps the mid
// itself); forgetting is approximate: a mid is remembered until one of the
// next ~SLOTS settled mids lands in its slot (for the next 100 messages, with
// probability above 99.8%). Memory is fixed: SLOTS keys and SLOTS numbers.

/** A message id, as the trace schema allows. */
export type Mid = string | number;

const BITS = 16;
/** Number of slots: 65,536. */
export const SLOTS = 1 << BITS;

/** The slot of `mid`: FNV-1a over a string's characters, or the number's bits, then murmur3's finaliser. */
function slotOf(mid: Mid): number {
  let h: number;
  if (typeof mid === 'number') {
    h = (mid | 0) ^ Math.imul((mid / 4294967296) | 0, 0x9e3779b1);
  } else {
    h = 0x811c9dc5;
    for (let i = 0; i < mid.length; i++) h = Math.imul(h ^ mid.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> (32 - BITS);
}

/** Recently settled mids, each with the line that settled it (negative: dropped). */
export class RecentMids {
  private readonly keys: Array<Mid | null> = new Array<Mid | null>(SLOTS).fill(null);
  private readonly lines = new Float64Array(SLOTS);

  /** Remembers that `mid` was settled on `line` (pass `-line` for a drop). */
  add(mid: Mid, line: number): void {
    const i = slotOf(mid);
    this.keys[i] = mid;
    this.lines[i] = line;
  }

  /** The line that settled `mid` (negative: dropped), or undefined if not remembered. */
  get(mid: Mid): number | undefined {
    const i = slotOf(mid);
    return this.keys[i] === mid ? this.lines[i] : undefined;
  }
}
