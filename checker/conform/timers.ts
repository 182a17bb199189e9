// The deadlines of armed timers in an `ms` trace, as a binary min-heap keyed
// by (deadline, arming order) so equal deadlines fire in a fixed order.
//
// Performance (issue #5): an indexed heap over typed arrays. Each (actor,
// timer) is a numeric slot holding at most one heap entry; re-arming a timer
// moves its entry in place instead of pushing a new one and leaving the old
// one behind to be skipped when popped (a third of all pops on the login-flood
// bench were such stale entries, and the heap was 5k objects deep). No object
// is allocated per arming or per firing. The order in which live timers fire
// is the same as with stale entries left behind: (deadline, arming order).
import type { TimerName } from '../../schemas/generated/trace.js';

/**
 * Timer names by their number within a slot (a slot is `actor * 16 + number`):
 * the schema has 12 timer names. 16 slots per actor, not 32: the per-slot arrays
 * are 2 MB at 10k actors rather than 4 (issue #5, peak RSS).
 */
const TIMER_NAMES: TimerName[] = [];
const TIMER_NUM = new Map<string, number>();
const SLOT_BITS = 4;

/** A number for (actor, timer): no string building on the hot path. */
export function slotOf(idx: number, timer: TimerName): number {
  let k = TIMER_NUM.get(timer);
  if (k === undefined) {
    k = TIMER_NAMES.length;
    if (k >= 1 << SLOT_BITS) throw new Error(`more than ${1 << SLOT_BITS} timer names`);
    TIMER_NUM.set(timer, k);
    TIMER_NAMES.push(timer);
  }
  return (idx << SLOT_BITS) + k;
}

export class TimerHeap {
  // The heap as three parallel arrays by heap position (slot, deadline, arming
  // order): a comparison reads two neighbouring entries, not two random slots.
  private hSlot = new Int32Array(256);
  private hAt = new Float64Array(256);
  private hSeq = new Float64Array(256);
  private n = 0;
  /** Per slot: its position in the heap, or -1 when it has no entry. */
  private pos = new Int32Array(0);
  /** Per slot: the deadline of its latest arming (NaN: never armed). Kept after it fires. */
  private at = new Float64Array(0);
  private nextSeq = 0;

  get size(): number { return this.n; }

  /** (Re)arms `timer` of actor `idx` to fire at `at`. */
  arm(idx: number, timer: TimerName, at: number): void {
    const s = slotOf(idx, timer);
    if (s >= this.pos.length) this.grow(s);
    this.at[s] = at;
    const seq = this.nextSeq++;
    const p = this.pos[s];
    if (p < 0) {
      if (this.n === this.hSlot.length) this.growHeap();
      this.sift(this.n++, s, at, seq);
    } else {
      this.sift(p, s, at, seq);
    }
  }

  /** The deadline of the latest arming of `timer` of actor `idx` (whether or not the model still has it armed). */
  deadline(idx: number, timer: TimerName): number | undefined {
    const s = slotOf(idx, timer);
    if (s >= this.at.length) return undefined;
    const a = this.at[s];
    return a === a ? a : undefined; // NaN: never armed
  }

  /**
   * Removes the earliest deadline strictly before `t` and returns its slot, or -1.
   * At equal times the recorded event goes first: whether it caused or followed a
   * timer firing in the same millisecond, the hidden-step search (K ≥ 1) sorts out.
   */
  popDue(t: number): number {
    if (this.n === 0 || this.hAt[0] >= t) return -1;
    const top = this.hSlot[0];
    this.pos[top] = -1;
    const last = --this.n;
    if (last > 0) this.sift(0, this.hSlot[last], this.hAt[last], this.hSeq[last]);
    return top;
  }

  /** The actor of a slot returned by `popDue`. */
  actorOf(s: number): number { return s >> SLOT_BITS; }
  /** The timer of a slot. */
  timerOf(s: number): TimerName { return TIMER_NAMES[s & ((1 << SLOT_BITS) - 1)]; }
  /** The deadline of a slot's latest arming. */
  atOf(s: number): number { return this.at[s]; }

  /** Puts entry (s, at, seq) at heap position `i` (a hole), moved up or down to where it belongs. */
  private sift(i: number, s: number, at: number, seq: number): void {
    const hs = this.hSlot;
    const ha = this.hAt;
    const hq = this.hSeq;
    const pos = this.pos;
    // Up, while it is earlier than its parent.
    let moved = false;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = ha[p];
      if (!(at < pa || (at === pa && seq < hq[p]))) break;
      hs[i] = hs[p]; ha[i] = pa; hq[i] = hq[p]; pos[hs[i]] = i;
      i = p;
      moved = true;
    }
    // Else down, while a child is earlier.
    const n = this.n;
    if (!moved) {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let m = l;
        if (r < n && (ha[r] < ha[l] || (ha[r] === ha[l] && hq[r] < hq[l]))) m = r;
        const ma = ha[m];
        if (!(ma < at || (ma === at && hq[m] < seq))) break;
        hs[i] = hs[m]; ha[i] = ma; hq[i] = hq[m]; pos[hs[i]] = i;
        i = m;
      }
    }
    hs[i] = s; ha[i] = at; hq[i] = seq; pos[s] = i;
  }

  private growHeap(): void {
    const len = this.hSlot.length * 2;
    const hs = new Int32Array(len); hs.set(this.hSlot); this.hSlot = hs;
    const ha = new Float64Array(len); ha.set(this.hAt); this.hAt = ha;
    const hq = new Float64Array(len); hq.set(this.hSeq); this.hSeq = hq;
  }

  private grow(s: number): void {
    let len = Math.max(64, this.pos.length);
    while (len <= s) len *= 2;
    const pos = new Int32Array(len).fill(-1);
    pos.set(this.pos);
    const at = new Float64Array(len).fill(NaN);
    at.set(this.at);
    this.pos = pos; this.at = at;
  }
}
