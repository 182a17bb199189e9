// The deadlines of armed timers in an `ms` trace, fired in (deadline, arming
// order), so equal deadlines fire in a fixed order.
//
// Performance (issue #5): one queue per timer name, over typed arrays, rather
// than one binary heap. The checker arms a timer at the current time plus that
// timer's duration, the time never goes back, and every actor has the same
// durations, so each name's deadlines come in order: an arming is appended to
// its queue, and the next timer to fire is the earliest of at most 16 queue
// heads. Re-arming a timer appends a new entry and leaves the old one stale
// (each slot knows the arming order of its live entry); stale entries are
// skipped when they reach the head. (A binary heap moved each re-armed entry
// down ~14 levels of three typed arrays: 2-3% of `snc check` at 10k actors.)
// A deadline earlier than the last of its queue, which the checker does not
// produce, is inserted in order, so the order of firing is exact for any input.
// No object is allocated per arming or per firing. The order in which live
// timers fire is the same as the heap's: (deadline, arming order).
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
  /** Per timer number: the queue's entries (slot, deadline, arming order) from `qHead` to `qEnd`. */
  private qSlot: Int32Array[] = [];
  private qAt: Float64Array[] = [];
  private qSeq: Float64Array[] = [];
  private qHead: number[] = [];
  private qEnd: number[] = [];
  /** A lower bound of the earliest live deadline: no queue is looked at while `t` is not past it. */
  private nextAt = Infinity;
  /**
   * Per queue, (deadline, arming order) of an entry at or before its first live
   * one (Infinity: empty): a lower bound, in one small array, so that finding the
   * earliest queue reads no queue; only the chosen queue's head is checked.
   */
  private readonly headAt = new Float64Array(1 << SLOT_BITS).fill(Infinity);
  private readonly headSeq = new Float64Array(1 << SLOT_BITS);
  /** Live entries (armed timers not yet popped). */
  private live = 0;
  /** Per slot: the arming order of its live entry, or -1 when it has none. */
  private cur = new Float64Array(0);
  /** Per slot: the deadline of its latest arming (NaN: never armed). Kept after it fires. */
  private at = new Float64Array(0);
  private nextSeq = 0;

  constructor() {
    for (let k = 0; k < 1 << SLOT_BITS; k++) {
      this.qSlot.push(new Int32Array(16));
      this.qAt.push(new Float64Array(16));
      this.qSeq.push(new Float64Array(16));
      this.qHead.push(0);
      this.qEnd.push(0);
    }
  }

  get size(): number { return this.live; }

  /** (Re)arms `timer` of actor `idx` to fire at `at`. */
  arm(idx: number, timer: TimerName, at: number): void {
    const s = slotOf(idx, timer);
    if (s >= this.cur.length) this.grow(s);
    this.at[s] = at;
    const seq = this.nextSeq++;
    if (this.cur[s] < 0) this.live++;
    this.cur[s] = seq;
    if (at < this.nextAt) this.nextAt = at;
    const k = s & ((1 << SLOT_BITS) - 1);
    let e = this.qEnd[k];
    if (e === this.qSlot[k].length) e = this.makeRoom(k);
    const qa = this.qAt[k];
    const qs = this.qSlot[k];
    const qq = this.qSeq[k];
    // In order (the checker's case): append. Else shift the later entries up by one.
    let i = e;
    const head = this.qHead[k];
    while (i > head && qa[i - 1] > at) { qs[i] = qs[i - 1]; qa[i] = qa[i - 1]; qq[i] = qq[i - 1]; i--; }
    qs[i] = s; qa[i] = at; qq[i] = seq;
    this.qEnd[k] = e + 1;
    if (i === head) { this.headAt[k] = at; this.headSeq[k] = seq; }
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
    if (!(this.nextAt < t)) return -1;
    const { headAt, headSeq, cur } = this;
    for (;;) {
      let best = -1;
      let bestAt = Infinity;
      let bestSeq = Infinity;
      // Only the queues of timer numbers given out so far (slotOf numbers them in order of first
      // use): the others are empty. A handful, not 16, scanned at each timer due (issue #5).
      const used = TIMER_NAMES.length;
      for (let k = 0; k < used; k++) {
        const a = headAt[k];
        if (a < bestAt || (a === bestAt && headSeq[k] < bestSeq)) { best = k; bestAt = a; bestSeq = headSeq[k]; }
      }
      if (!(bestAt < t)) { this.nextAt = bestAt; return -1; }
      // The chosen queue's first live entry: if it is the one its bound names, it fires.
      const qs = this.qSlot[best];
      const qa = this.qAt[best];
      const qq = this.qSeq[best];
      const e = this.qEnd[best];
      let h = this.qHead[best];
      while (h < e && cur[qs[h]] !== qq[h]) h++; // stale: re-armed or fired since
      if (h === e) { this.qHead[best] = this.qEnd[best] = 0; headAt[best] = Infinity; continue; }
      this.qHead[best] = h;
      if (qa[h] !== bestAt || qq[h] !== bestSeq) { headAt[best] = qa[h]; headSeq[best] = qq[h]; continue; }
      const s = qs[h];
      this.qHead[best] = h + 1;
      if (h + 1 < e) { headAt[best] = qa[h + 1]; headSeq[best] = qq[h + 1]; } else { this.qHead[best] = this.qEnd[best] = 0; headAt[best] = Infinity; }
      cur[s] = -1;
      this.live--;
      return s;
    }
  }

  /** The actor of a slot returned by `popDue`. */
  actorOf(s: number): number { return s >> SLOT_BITS; }
  /** The timer of a slot. */
  timerOf(s: number): TimerName { return TIMER_NAMES[s & ((1 << SLOT_BITS) - 1)]; }
  /** The deadline of a slot's latest arming. */
  atOf(s: number): number { return this.at[s]; }

  /** Room at the end of queue `k`: its entries moved down to 0, or a queue twice as long; returns its new end. */
  private makeRoom(k: number): number {
    const h = this.qHead[k];
    const n = this.qEnd[k] - h;
    const len = this.qSlot[k].length;
    if (h > 0 && n <= len / 2) {
      this.qSlot[k].copyWithin(0, h, h + n);
      this.qAt[k].copyWithin(0, h, h + n);
      this.qSeq[k].copyWithin(0, h, h + n);
    } else {
      const qs = new Int32Array(len * 2); qs.set(this.qSlot[k].subarray(h, h + n)); this.qSlot[k] = qs;
      const qa = new Float64Array(len * 2); qa.set(this.qAt[k].subarray(h, h + n)); this.qAt[k] = qa;
      const qq = new Float64Array(len * 2); qq.set(this.qSeq[k].subarray(h, h + n)); this.qSeq[k] = qq;
    }
    this.qHead[k] = 0;
    this.qEnd[k] = n;
    return n;
  }

  private grow(s: number): void {
    let len = Math.max(64, this.cur.length);
    while (len <= s) len *= 2;
    const cur = new Float64Array(len).fill(-1);
    cur.set(this.cur);
    const at = new Float64Array(len).fill(NaN);
    at.set(this.at);
    this.cur = cur; this.at = at;
  }
}

/**
 * A set of slots (`slotOf`) as one flag byte per slot and a count: what a Set<number> of them
 * does for the conformer's timers fired by their deadline (add, delete, size), without its
 * hash table (issue #5: nearly every recorded timeout of the login-flood bench asks it to
 * delete, a builtin call with hashing; a firing adds).
 */
export class SlotSet {
  private flags = new Uint8Array(0);
  private n = 0;

  get size(): number { return this.n; }

  add(s: number): void {
    if (s >= this.flags.length) this.grow(s);
    if (this.flags[s] === 0) { this.flags[s] = 1; this.n++; }
  }

  /** Removes slot `s`; whether it was there. */
  delete(s: number): boolean {
    if (s >= this.flags.length || this.flags[s] === 0) return false;
    this.flags[s] = 0;
    this.n--;
    return true;
  }

  private grow(s: number): void {
    let len = Math.max(64, this.flags.length);
    while (len <= s) len *= 2;
    const flags = new Uint8Array(len);
    flags.set(this.flags);
    this.flags = flags;
  }
}
