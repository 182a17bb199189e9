// The simulator's event queue: a binary min-heap keyed by (time, order, seq).
// `order` puts a client's keepalive round (its keepalive timer, its Keepalive
// reaching the supernode, the KeepaliveAck reaching it) before every other
// event of the same millisecond, in a canonical order (by kind, then client),
// so that where such an event sits does not depend on when it was scheduled:
// the keepalive acceleration (checker/sim/engine.ts) can leave rounds out and
// put them back later without changing the run. Other events keep scheduling
// order (seq). A run is a deterministic function of the scenario and the seed.

/** What kind of thing happens at a queued time (see checker/sim/engine.ts). */
export const Kind = {
  Deliver: 0, Timer: 1, Login: 2, Logout: 3, Restart: 4, Crash: 5, Action: 6, Sample: 7, Lookup: 8,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** `order` of every event that is not part of a keepalive round. */
export const LATE = 2 ** 40;
/** `order` of a keepalive-round event: rank 0 timer, 1 Keepalive delivered, 2 KeepaliveAck delivered; then the client. */
export const kaOrder = (rank: 0 | 1 | 2, client: number): number => rank * 2 ** 32 + client;

/** One scheduled event. `a`/`b`/`c` are kind-specific integers; `m` carries a message or other payload. */
export interface Queued {
  t: number;
  /** Tie-break among events of the same ms before `seq` (LATE, or kaOrder for keepalive rounds). */
  order: number;
  seq: number;
  kind: Kind;
  a: number;
  b: number;
  c: number;
  m: unknown;
}

export class EventQueue {
  private readonly h: Queued[] = [];
  private seq = 0;

  get size(): number {
    return this.h.length;
  }

  /** Schedules an event at `t`. */
  push(t: number, kind: Kind, a = 0, b = 0, c = 0, m: unknown = null, order = LATE): void {
    const e: Queued = { t, order, seq: this.seq++, kind, a, b, c, m };
    const h = this.h;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.h.length ? this.h[0].t : Infinity;
  }

  /** Removes and returns the earliest event. */
  pop(): Queued | undefined {
    const h = this.h;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(h[r], h[l]) ? r : l;
        if (!less(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

const less = (x: Queued, y: Queued) => x.t < y.t || (x.t === y.t && (x.order < y.order || (x.order === y.order && x.seq < y.seq)));
