// The simulator's event queue: a priority queue keyed by (time, order, seq).
// `order` puts a client's keepalive round (its keepalive timer, its Keepalive
// reaching the supernode, the KeepaliveAck reaching it) before every other
// event of the same millisecond, in a canonical order (by kind, then client),
// so that where such an event sits does not depend on when it was scheduled:
// the keepalive acceleration (checker/sim/engine.ts) can leave rounds out and
// put them back later without changing the run. Other events keep scheduling
// order (seq). A run is a deterministic function of the scenario and the seed.
//
// Layout, for speed (the keys are a total order, so any correct priority
// queue pops the same sequence). Events wait in a calendar of 1-ms buckets:
// a ring of RING buckets after the current millisecond (unsorted lists); a
// wheel of WHEEL buckets of RING ms each for events further ahead (~49 days),
// whose next bucket is moved into the ring when the clock reaches it; `far`
// (a binary heap) for events beyond the wheel (and at Infinity); and `near`
// (a small binary heap) for the events of the current millisecond, which are
// the only ones compared. An event's keys and payload (kind, a, b, c, m) live
// in slot records recycled through a free list, so no object is allocated per
// event. Before,
// one binary heap of event objects (~35k of them in outage-2010 at 4k
// clients) spent its pops in cache misses: 12% of the run in its comparison
// alone; on a replay of that run's 11M queue operations this queue takes
// about half the time of a binary heap with the same slot layout.
//
// Also here: KeyedRing, the keepalive acceleration's pending rounds of one
// supernode, sorted by (delivery, client).

/** What kind of thing happens at a queued time (see checker/sim/engine.ts). */
export const Kind = {
  Deliver: 0, Timer: 1, Login: 2, Logout: 3, Restart: 4, Crash: 5, Action: 6, Sample: 7, Lookup: 8,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** `order` of every event that is not part of a keepalive round. */
export const LATE = 2 ** 40;
/** `order` of a keepalive-round event: rank 0 timer, 1 Keepalive delivered, 2 KeepaliveAck delivered; then the client. */
export const kaOrder = (rank: 0 | 1 | 2, client: number): number => rank * 2 ** 32 + client;

/** One scheduled event. `a`/`b`/`c` are kind-specific 32-bit integers; `m` carries a message or other payload. */
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

/** A slot's record in `rec` (EventQueue): its keys, the next slot of its ring or wheel bucket, its payload (REC doubles). */
const NEXT = 3;
const KIND = 4;
const REC = 8;
/** log2(REC). */
const SHIFT = 3;
/** Buckets of the ring (ms): 65 s, beyond a keepaliveInterval and the connect timeouts. */
const RING = 1 << 16;
const MASK = RING - 1;
/**
 * Buckets of the wheel, RING ms each: 2^32 ms, ~49 days. Events further ahead than the ring (a user's next login
 * or logout, a credential's renewal: ~270k of them at 100k clients) waited in the binary heap `far`, and each
 * pop from it, ~50k an hour, walked its 18 levels through cold slots (a fifth of refill's samples). In the wheel
 * a push links the event into its bucket, and the move into the ring reads it once.
 */
const WHEEL = 1 << 16;
const WMASK = WHEEL - 1;

export class EventQueue {
  private count = 0;
  private seq = 0;
  // Per slot: one record of keys (t, order, seq), the next slot in its ring or wheel bucket (NEXT) and payload (kind, a, b,
  // c), 64 bytes; and m. An event's slot is written when it is pushed and read when it is popped, a cache miss for
  // each array it spans: the link in an array of its own was 30% of refill's time in a line profile (refill 6% of a
  // quiet hour), the payload in another (an Int32Array) more than half of the run loop's own time (the pop inlined).
  private rec = new Float64Array(REC * 1024);
  private pm: unknown[] = new Array(1024).fill(null);
  private free = new Int32Array(1024);
  private nFree = 0;
  private slots = 0;
  /**
   * The current ms. Every queued event of a ms ≤ cur is in `near`; the ring holds events of ms in (cur, cur + RING);
   * the wheel, events of buckets in (curW, curW + WHEEL) not yet moved (an event pushed RING ms ahead or more stays
   * in its bucket as cur comes closer: the bucket moves into the ring, or near, when the clock enters it); `far`,
   * the others: beyond the wheel, at Infinity or past 2^53 ms, and all those pushed while cur was -Infinity.
   */
  private cur = -Infinity;
  /** floor(cur / RING): the wheel's current bucket, whose events have all moved into the ring. */
  private curW = -Infinity;
  /** First slot of each ring bucket (-1: empty); bucket b of ms b & MASK. */
  private readonly head = new Int32Array(RING).fill(-1);
  private inRing = 0;
  /** First slot of each wheel bucket (-1: empty); bucket w (ms w·RING to (w + 1)·RING - 1) at w & WMASK. */
  private readonly whead = new Int32Array(WHEEL).fill(-1);
  private inWheel = 0;
  private near: Int32Array = new Int32Array(64);
  private nNear = 0;
  private far: Int32Array = new Int32Array(1024);
  private nFar = 0;
  /** What pop() returns: one object, overwritten by the next pop. */
  private readonly out: Queued = { t: 0, order: 0, seq: 0, kind: Kind.Deliver, a: 0, b: 0, c: 0, m: null };

  get size(): number {
    return this.count;
  }

  /** Schedules an event at `t` (a number, not NaN). */
  push(t: number, kind: Kind, a = 0, b = 0, c = 0, m: unknown = null, order = LATE): void {
    this.pushAs(this.seq++, t, kind, a, b, c, m, order);
  }

  /**
   * Takes the `seq` that the next push would get, for an event decided now
   * but queued later with pushAs (a deferred timer: checker/sim/engine.ts).
   */
  takeSeq(): number {
    return this.seq++;
  }

  /** Schedules an event with a `seq` taken earlier: it sorts as if it had been pushed then. */
  pushAs(seq: number, t: number, kind: Kind, a: number, b: number, c: number, m: unknown, order: number): void {
    let s: number;
    if (this.nFree > 0) s = this.free[--this.nFree];
    else {
      s = this.slots++;
      if (s === this.pm.length) this.grow();
    }
    const k = s << SHIFT;
    const { rec } = this;
    rec[k] = t; rec[k + 1] = order; rec[k + 2] = seq;
    rec[k + KIND] = kind; rec[k + KIND + 1] = a; rec[k + KIND + 2] = b; rec[k + KIND + 3] = c;
    this.pm[s] = m;
    this.count++;
    this.place(s, t);
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    if (!this.nNear && !this.refill()) return Infinity;
    return this.rec[this.near[0] << SHIFT];
  }

  /**
   * Removes the earliest event and returns it (undefined when empty). The
   * returned object is the queue's own and is overwritten by the next pop:
   * read it before popping again, do not keep it.
   */
  pop(): Queued | undefined {
    if (!this.nNear && !this.refill()) return undefined;
    const s = this.heapPop(this.near, --this.nNear);
    const { out, rec } = this;
    const k = s << SHIFT;
    out.t = rec[k]; out.order = rec[k + 1]; out.seq = rec[k + 2];
    // Ints again (32-bit when pushed): the fields stay small integers, not boxed doubles.
    out.kind = (rec[k + KIND] | 0) as Kind; out.a = rec[k + KIND + 1] | 0; out.b = rec[k + KIND + 2] | 0; out.c = rec[k + KIND + 3] | 0;
    out.m = this.pm[s];
    this.pm[s] = null;
    this.free[this.nFree++] = s;
    this.count--;
    return out;
  }

  private place(s: number, t: number): void {
    const b = Math.floor(t);
    if (b <= this.cur) {
      if (this.nNear === this.near.length) this.near = doubled(this.near);
      this.heapPush(this.near, this.nNear++, s);
    } else if (b - this.cur < RING && b <= Number.MAX_SAFE_INTEGER) {
      // Order within a bucket does not matter: `near` sorts it. (Past 2^53, ms + 1 is ms: the scan for the ring's
      // next bucket would never end. Such events wait in `far` until they are due.)
      const r = b & MASK;
      this.rec[(s << SHIFT) + NEXT] = this.head[r];
      this.head[r] = s;
      this.inRing++;
    } else {
      // A later wheel bucket than the current one (b ≥ cur + RING).
      const w = Math.floor(b / RING);
      if (w - this.curW < WHEEL && b <= Number.MAX_SAFE_INTEGER) {
        const r = w & WMASK;
        this.rec[(s << SHIFT) + NEXT] = this.whead[r];
        this.whead[r] = s;
        this.inWheel++;
      } else {
        if (this.nFar === this.far.length) this.far = doubled(this.far);
        this.heapPush(this.far, this.nFar++, s);
      }
    }
  }

  /** Makes the next ms with events current (its events into `near`); false when the queue is empty. */
  private refill(): boolean {
    if (this.count === 0) return false;
    do {
      if (this.inRing > 0) {
        // The next ms with a ring bucket. If it is in the wheel's next bucket, that bucket's events of earlier ms
        // go into near with it, where they sort first.
        let b = this.cur + 1;
        while (this.head[b & MASK] < 0) b++;
        this.enter(b);
      } else if (this.inWheel > 0) {
        // The ring is empty: on to the wheel's next bucket with events.
        let w = this.curW + 1;
        while (this.whead[w & WMASK] < 0) w++;
        this.enter(w * RING);
      } else {
        // Only far events (the first ones queued, or beyond the wheel).
        this.enter(Math.floor(this.rec[this.far[0] << SHIFT]), true);
      }
    } while (this.nNear === 0);
    return true;
  }

  /**
   * Makes ms b current (b > cur; no ring event before it): the wheel's bucket of b, if it is a later one (the next,
   * or the first with events when the ring is empty), and the far events now within the wheel's reach or due (at
   * a later bucket, or `fromFar`: b is the far top's ms) move into near (ms ≤ b), the ring or the wheel, then the
   * ring's bucket of b into near.
   */
  private enter(b: number, fromFar = false): void {
    this.cur = b;
    const w = Math.floor(b / RING);
    if (w !== this.curW) {
      this.curW = w;
      if (this.inWheel > 0) {
        const r = w & WMASK;
        let s = this.whead[r];
        this.whead[r] = -1;
        while (s >= 0) {
          const n = this.rec[(s << SHIFT) + NEXT] | 0;
          this.inWheel--;
          this.place(s, this.rec[s << SHIFT]);
          s = n;
        }
      }
      fromFar = true;
    }
    // (In the same bucket, only a jump to the far top can find far events to move: the ms past 2^53 share buckets.)
    if (fromFar) {
      while (this.nFar > 0) {
        const f = Math.floor(this.rec[this.far[0] << SHIFT]);
        if (!(f <= b || (Math.floor(f / RING) - w < WHEEL && f <= Number.MAX_SAFE_INTEGER))) break;
        const x = this.heapPop(this.far, --this.nFar);
        this.place(x, this.rec[x << SHIFT]);
      }
    }
    if (this.inRing === 0) return;
    const r = b & MASK;
    let s = this.head[r];
    if (s < 0) return;
    this.head[r] = -1;
    while (s >= 0) {
      const n = this.rec[(s << SHIFT) + NEXT] | 0; // an int again (rec holds doubles), as head and the heaps hold slots
      if (this.nNear === this.near.length) this.near = doubled(this.near);
      this.heapPush(this.near, this.nNear++, s);
      this.inRing--;
      s = n;
    }
  }

  /** Whether slot x's keys are below slot y's. */
  private less(x: number, y: number): boolean {
    const rec = this.rec;
    const i = x << SHIFT;
    const j = y << SHIFT;
    const a = rec[i];
    const b = rec[j];
    if (a !== b) return a < b;
    const oa = rec[i + 1];
    const ob = rec[j + 1];
    if (oa !== ob) return oa < ob;
    return rec[i + 2] < rec[j + 2];
  }

  /** Adds slot s to binary heap h holding n slots (h has room). */
  private heapPush(h: Int32Array, n: number, s: number): void {
    let i = n;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(s, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = s;
  }

  /** Removes and returns the top of binary heap h, which holds n slots after the removal. */
  private heapPop(h: Int32Array, n: number): number {
    const top = h[0];
    if (n > 0) {
      const last = h[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(h[r], h[l]) ? r : l;
        if (!this.less(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  private grow(): void {
    const cap = this.pm.length * 2;
    this.rec = copied(new Float64Array(REC * cap), this.rec);
    this.free = copied(new Int32Array(cap), this.free);
    for (let i = this.pm.length; i < cap; i++) this.pm.push(null);
  }
}

function doubled(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function copied<A extends Float64Array | Int32Array>(to: A, from: A): A {
  to.set(from as never);
  return to;
}

/**
 * The keepalive acceleration's pending rounds of one supernode (checker/sim/engine.ts): accelerated clients
 * sorted by (key, client), the key being the next virtual Keepalive delivery (or a lower bound of it). Each entry
 * holds its key beside the client and two numbers of payload (x, y: what the engine needs to account the round
 * without reading its per-client record), four doubles in one Float64Array, so comparisons and accounting read the
 * ring's own memory instead of per-client arrays at scattered indices.
 *
 * A sorted ring rather than a binary heap: nearly every operation takes the first entry and gives it its next
 * round's key, a keepaliveInterval later, which sorts after every other entry (all wait less than an interval plus
 * the latency bound): 97% of the re-keys at 30k clients go straight to the end, where a heap sifts them down every
 * level (~25 ns a round of the ~110M of the 100k-client day, in a microbenchmark: 49 → 24 ns). Others find their
 * place by binary search and move the shorter side. Positions (clientAt, keyAt, …) are in key order.
 */
export class KeyedRing {
  /** Entries at physical slots head, head + 1, … (mod capacity): key, client, x, y. */
  private h = new Float64Array(4 * 32);
  /** Capacity - 1 (capacity: a power of two). */
  private mask = 31;
  private head = 0;
  size = 0;

  /** Where position i (0 ≤ i < capacity) starts in h. */
  private at(i: number): number {
    return ((this.head + i) & this.mask) << 2;
  }

  /** The client with the earliest key (the ring is not empty). */
  topClient(): number {
    return this.h[(this.head << 2) + 1];
  }

  /** The earliest key (Infinity when empty). */
  topKey(): number {
    return this.size ? this.h[this.head << 2] : Infinity;
  }

  /** The first entry's payload (the ring is not empty). */
  topX(): number {
    return this.h[(this.head << 2) + 2];
  }

  topY(): number {
    return this.h[(this.head << 2) + 3];
  }

  /** The client at position i (0 ≤ i < size), in key order. */
  clientAt(i: number): number {
    return this.h[this.at(i) + 1];
  }

  /** The key at position i. */
  keyAt(i: number): number {
    return this.h[this.at(i)];
  }

  /** The first number of the payload at position i (the engine's kaX says what it holds). */
  xAt(i: number): number {
    return this.h[this.at(i) + 2];
  }

  /** The second number of the payload at position i. */
  yAt(i: number): number {
    return this.h[this.at(i) + 3];
  }

  /**
   * Reads one number of each cache line the entries take, in position order, and returns their sum: the loads do
   * not depend on each other, so their cache misses overlap, where flush's walk waits for each in turn (the
   * engine's flush calls it first). Two entries a line; the array is only 16-byte aligned, so an entry can
   * straddle two lines: the next position's read covers the second.
   */
  warm(): number {
    const h = this.h;
    let z = 0;
    const n = this.size;
    for (let i = 0; i < n; i += 2) z += h[this.at(i)];
    // And the last entry's key (the lines the stride may leave out at the end).
    if (n) z += h[this.at(n - 1)];
    return z;
  }

  /** The position of `client` (-1: absent). */
  indexOf(client: number): number {
    for (let i = 0; i < this.size; i++) if (this.h[this.at(i) + 1] === client) return i;
    return -1;
  }

  push(key: number, client: number, x = 0, y = 0): void {
    if (this.size > this.mask) this.grow();
    this.insert(key, client, x, y);
  }

  /** Gives the first entry a new key (a later one) and payload, and puts it in its place. */
  rekeyTop(key: number, x = this.topX(), y = this.topY()): void {
    const c = this.topClient();
    this.head = (this.head + 1) & this.mask;
    this.size--;
    this.insert(key, c, x, y);
  }

  /** Removes `client` (if present); a linear search (the engine removes by position: removeAt). */
  remove(client: number): void {
    const i = this.indexOf(client);
    if (i >= 0) this.removeAt(i);
  }

  /** Removes the entry at position i (0 ≤ i < size), moving the shorter side into its place. */
  removeAt(i: number): void {
    const n = this.size;
    if (i < n - 1 - i) {
      for (let j = i; j > 0; j--) this.move(j - 1, j);
      this.head = (this.head + 1) & this.mask;
    } else {
      for (let j = i; j < n - 1; j++) this.move(j + 1, j);
    }
    this.size = n - 1;
  }

  /** Inserts an entry (there is room): at the end when it sorts after the last, else by binary search. */
  private insert(key: number, c: number, x: number, y: number): void {
    const h = this.h;
    const n = this.size;
    let p: number;
    if (n === 0 || after(h, this.at(n - 1), key, c)) p = this.at(n);
    else {
      // The first position whose entry sorts after (key, c).
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (after(h, this.at(mid), key, c)) lo = mid + 1;
        else hi = mid;
      }
      if (lo < n - lo) {
        // The entries before it one slot back (the head moves back), the new one just before it.
        this.head = (this.head - 1) & this.mask;
        for (let j = 0; j < lo; j++) this.move(j + 1, j);
      } else {
        for (let j = n; j > lo; j--) this.move(j - 1, j);
      }
      p = this.at(lo);
    }
    h[p] = key;
    h[p + 1] = c;
    h[p + 2] = x;
    h[p + 3] = y;
    this.size = n + 1;
  }

  /** Copies the entry at position `from` to position `to`. */
  private move(from: number, to: number): void {
    const h = this.h;
    const a = this.at(to);
    const b = this.at(from);
    h[a] = h[b];
    h[a + 1] = h[b + 1];
    h[a + 2] = h[b + 2];
    h[a + 3] = h[b + 3];
  }

  /** Twice the capacity, the entries from slot 0. */
  private grow(): void {
    const cap = 2 * (this.mask + 1);
    const g = new Float64Array(4 * cap);
    for (let i = 0; i < this.size; i++) g.set(this.h.subarray(this.at(i), this.at(i) + 4), 4 * i);
    this.h = g;
    this.mask = cap - 1;
    this.head = 0;
  }
}

/** Whether (key, c) sorts after the entry at p of h. */
function after(h: Float64Array, p: number, key: number, c: number): boolean {
  const k = h[p];
  return key > k || (key === k && c > h[p + 1]);
}
