// The reference overlay's clock, timers and recorder. One monotonic clock
// (ms since start) stamps every recorded event. Timers are real (setTimeout),
// but they are kept in a deadline heap and every event the overlay records
// first runs the timers whose deadline lies strictly before its time, in
// deadline order: a timer that fires a little late (a loaded machine) still
// takes effect before anything that happened after its deadline. That is the
// rule `snc check` uses for ms traces, so timeouts need not be recorded.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TimerName } from '../schemas/generated/trace.js';

/** Something that owns timers: an actor of the overlay. */
export interface TimerOwner {
  readonly id: string;
  /** Armed timers: generation of the live arming, or -1 (fired but not taken: armed, never fires). */
  readonly armed: Map<TimerName, number>;
  /** Handles a timer that fired at logical time `now`; false when the actor had no use for it. */
  fire(timer: TimerName, now: number): boolean;
}

interface Entry { readonly at: number; readonly seq: number; readonly owner: TimerOwner; readonly timer: TimerName; readonly gen: number }

/** A trace event without `t` (the runtime stamps it). */
export type Unstamped = { type: string; [k: string]: unknown };

export class Runtime {
  private readonly t0 = performance.now();
  private last = 0;
  private readonly heap: Entry[] = [];
  private seq = 0;
  private gen = 0;
  private real: NodeJS.Timeout | undefined;
  private realAt = Infinity;
  private firing = false;
  private stopped = false;
  private readonly lines: string[] = [];
  private fd: number | undefined;
  /** Events recorded so far (header excluded). */
  events = 0;
  /** Wall time (performance.now) of the last recorded send or deliver. */
  lastActivity = performance.now();
  /** Events recorded so far, by type (for summaries and tests). */
  readonly counts = new Map<string, number>();
  /** Messages sent so far, by kind (for summaries and tests). */
  readonly sent = new Map<string, number>();
  /** Time at which the event being handled happened (sends it causes are stamped with it). */
  stamp = 0;

  constructor(readonly file: string | undefined, private readonly onError: (err: unknown) => void = () => {}) {
    if (file) this.fd = openSync(file, 'w');
  }

  /** ms since start, monotonic, to the microsecond. */
  now(): number {
    const t = Math.round((performance.now() - this.t0) * 1000) / 1000;
    if (t > this.last) this.last = t;
    return this.last;
  }

  /**
   * The time of a new event: takes the clock, first runs every timer due strictly
   * before it (in deadline order, each at its own deadline), and sets `stamp`.
   */
  gate(): number {
    const t = this.now();
    this.runDue(t);
    this.stamp = t;
    return t;
  }

  /** Arms (or re-arms) `timer` of `owner` to fire `ms` after the logical time `base`. */
  arm(owner: TimerOwner, timer: TimerName, base: number, ms: number): void {
    const gen = ++this.gen;
    owner.armed.set(timer, gen);
    this.push({ at: base + ms, seq: this.seq++, owner, timer, gen });
    this.schedule();
  }

  /** Writes one event, stamped `t` (default: the current stamp). */
  record(ev: Unstamped, t = this.stamp): void {
    if (this.stopped) return;
    const { type, ...rest } = ev;
    const line = JSON.stringify({ type, t, ...rest });
    this.lines.push(line);
    this.events++;
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (ev.type === 'send' || ev.type === 'deliver') this.lastActivity = performance.now();
    if (ev.type === 'send') { const k = (ev.msg as { kind: string }).kind; this.sent.set(k, (this.sent.get(k) ?? 0) + 1); }
    if (this.lines.length >= 512) this.flush();
  }

  /** Writes the header line (before any event). */
  header(h: object): void {
    this.lines.unshift(JSON.stringify(h));
  }

  flush(): void {
    if (this.fd === undefined) { this.lines.length = 0; return; }
    if (this.lines.length === 0) return;
    writeSync(this.fd, this.lines.join('\n') + '\n');
    this.lines.length = 0;
  }

  /** Stops the timers and closes the recording. */
  close(): void {
    this.stopped = true;
    if (this.real) clearTimeout(this.real);
    this.real = undefined;
    this.heap.length = 0;
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Runs every live timer due strictly before `t`, including ones armed meanwhile. */
  private runDue(t: number): void {
    if (this.firing) return;
    this.firing = true;
    try {
      for (let e = this.popDue(t); e; e = this.popDue(t)) {
        if (e.owner.armed.get(e.timer) !== e.gen) continue; // cancelled or re-armed since
        e.owner.armed.delete(e.timer);
        this.stamp = t;
        const taken = e.owner.fire(e.timer, e.at);
        if (!taken && !e.owner.armed.has(e.timer)) e.owner.armed.set(e.timer, -1);
      }
    } finally {
      this.firing = false;
    }
    this.schedule();
  }

  private popDue(t: number): Entry | undefined {
    const h = this.heap;
    if (!h.length || h[0].at >= t) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) { h[0] = last; this.down(0); }
    return top;
  }

  /** One real timer, for the earliest deadline; it wakes the gate a little after it. */
  private schedule(): void {
    if (this.stopped) return;
    while (this.heap.length && this.heap[0].owner.armed.get(this.heap[0].timer) !== this.heap[0].gen) this.popDue(Infinity);
    const at = this.heap.length ? this.heap[0].at : Infinity;
    if (at === this.realAt) return;
    if (this.real) clearTimeout(this.real);
    this.real = undefined;
    this.realAt = at;
    if (at === Infinity) return;
    const wait = Math.max(0, at - (performance.now() - this.t0)) + 1;
    this.real = setTimeout(() => {
      this.real = undefined;
      this.realAt = Infinity;
      try { this.gate(); } catch (err) { this.onError(err); }
      this.schedule();
    }, wait);
  }

  private less(a: Entry, b: Entry): boolean { return a.at < b.at || (a.at === b.at && a.seq < b.seq); }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
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
