// The deadlines of armed timers in an `ms` trace, as a binary min-heap keyed
// by (deadline, arming order) so equal deadlines fire in a fixed order. A
// re-armed timer leaves its old entry behind; a generation number per
// (actor, timer) makes such stale entries skip themselves when popped.
import type { TimerName } from '../../schemas/generated/trace.js';

export interface Deadline { readonly at: number; readonly seq: number; readonly idx: number; readonly timer: TimerName; readonly gen: number }

const TIMER_SLOT = new Map<string, number>();
/** A number for (actor, timer): no string building on the hot path. */
function slot(idx: number, timer: TimerName): number {
  let k = TIMER_SLOT.get(timer);
  if (k === undefined) { k = TIMER_SLOT.size; TIMER_SLOT.set(timer, k); }
  return idx * 32 + k;
}

export class TimerHeap {
  private readonly heap: Deadline[] = [];
  private readonly gens = new Map<number, number>();
  /** The deadline of the latest arming of each (actor, timer). */
  private readonly ats = new Map<number, number>();
  private seq = 0;

  get size(): number { return this.heap.length; }

  /** (Re)arms `timer` of actor `idx` to fire at `at`. */
  arm(idx: number, timer: TimerName, at: number): void {
    const key = slot(idx, timer);
    const gen = (this.gens.get(key) ?? 0) + 1;
    this.gens.set(key, gen);
    this.ats.set(key, at);
    this.push({ at, seq: this.seq++, idx, timer, gen });
  }

  /** The deadline of the latest arming of `timer` of actor `idx` (whether or not the model still has it armed). */
  deadline(idx: number, timer: TimerName): number | undefined {
    return this.ats.get(slot(idx, timer));
  }

  /** Whether `d` is the latest arming of its timer. */
  current(d: Deadline): boolean {
    return this.gens.get(slot(d.idx, d.timer)) === d.gen;
  }

  /**
   * Removes and returns the earliest deadline strictly before `t`, or undefined.
   * At equal times the recorded event goes first: whether it caused or followed a
   * timer firing in the same millisecond, the hidden-step search (K ≥ 1) sorts out.
   */
  popDue(t: number): Deadline | undefined {
    const h = this.heap;
    if (!h.length || h[0].at >= t) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) { h[0] = last; this.down(0); }
    return top;
  }

  private less(a: Deadline, b: Deadline): boolean { return a.at < b.at || (a.at === b.at && a.seq < b.seq); }

  private push(d: Deadline): void {
    const h = this.heap;
    h.push(d);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
