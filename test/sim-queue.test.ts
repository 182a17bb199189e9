// The simulator's event queue (checker/sim/heap.ts) against a plain sorted
// list: the same events in the same order, by (time, order, scheduling order),
// whether they fall in the current millisecond, in the ring of the next
// ~65 s, in the wheel beyond it (~49 days), past the wheel, or before the
// current time; and interleaved with pops.
// Some events are decided at one step and queued at a later one with the seq
// taken at the first (takeSeq/pushAs: the simulator's deferred timers): they
// must sort as if they had been pushed when decided.
// The keepalive acceleration's per-supernode ring (KeyedRing) against a sorted
// list too: the same entries in the same order after every push, re-key of the
// first entry and removal, through wrap-arounds of the ring and its growth.
import { strict as assert } from 'node:assert';
import { EventQueue, KeyedRing, Kind, LATE, kaOrder } from '../checker/sim/heap.js';
import { mulberry32 } from '../checker/sim/rng.js';

interface Ref { t: number; order: number; seq: number; a: number }

function check(seed: number, ops: number, span: (r: () => number, now: number) => number, deferShare = 0): void {
  const r = mulberry32(seed);
  const q = new EventQueue();
  const ref: Ref[] = [];
  let seq = 0;
  let now = 0;
  /** Decided, not queued yet (deferred). */
  const held: Ref[] = [];
  const popBoth = () => {
    ref.sort((x, y) => x.t - y.t || x.order - y.order || x.seq - y.seq);
    const want = ref.shift();
    assert.equal(q.peekTime(), want ? want.t : Infinity);
    const got = q.pop();
    if (!want) { assert.equal(got, undefined); return; }
    assert.ok(got);
    assert.deepEqual([got.t, got.order, got.a, got.kind, got.b, got.c, got.m], [want.t, want.order, want.a, Kind.Timer, 7, -3, `m${want.a}`]);
    now = got.t;
  };
  for (let i = 0; i < ops; i++) {
    if (r() < 0.45) { popBoth(); continue; }
    if (held.length && r() < 0.3) {
      // Queue a held event now, with the seq it was given when decided.
      const h = held.splice(Math.floor(r() * held.length), 1)[0];
      ref.push(h);
      q.pushAs(h.seq, h.t, Kind.Timer, h.a, 7, -3, `m${h.a}`, h.order);
      assert.equal(q.size, ref.length);
      continue;
    }
    const t = span(r, now);
    const order = r() < 0.3 ? kaOrder(Math.floor(r() * 3) as 0 | 1 | 2, Math.floor(r() * 4)) : LATE;
    if (r() < deferShare) { held.push({ t, order, seq: q.takeSeq(), a: i }); seq++; continue; }
    ref.push({ t, order, seq: seq++, a: i });
    q.push(t, Kind.Timer, i, 7, -3, `m${i}`, order);
    assert.equal(q.size, ref.length);
  }
  while (ref.length) popBoth();
  assert.equal(q.pop(), undefined);
  assert.equal(q.peekTime(), Infinity);
}

describe('simulator event queue', () => {
  it('pops as a sorted list does: near, in the ring, far ahead and in the past', () => {
    for (let seed = 1; seed <= 20; seed++) {
      check(seed, 3000, (r, now) => {
        const x = r();
        if (x < 0.3) return now + Math.floor(r() * 3); // this ms and the next ones: ties
        if (x < 0.6) return now + Math.floor(r() * 200);
        if (x < 0.8) return now + Math.floor(r() * 70_000); // across the ring's end
        if (x < 0.9) return now + Math.floor(r() * 10_000_000); // far
        if (x < 0.95) return Math.max(0, now - Math.floor(r() * 5)); // before the current time
        return now + r() * 100; // fractional times
      });
    }
  });

  it('sorts an event queued later with a seq taken earlier (pushAs) as if it had been pushed then', () => {
    for (let seed = 21; seed <= 40; seed++) {
      check(seed, 3000, (r, now) => now + Math.floor(r() * (r() < 0.5 ? 3 : 80_000)), 0.4);
    }
  });

  it('moves events across the ring and wheel boundaries (multiples of 65,536 ms) in order', () => {
    const W = 65_536;
    for (let seed = 41; seed <= 60; seed++) {
      check(seed, 3000, (r, now) => {
        const x = r();
        // At a boundary of the ring's reach or of a wheel bucket, or a ms either side, some buckets ahead.
        const edge = (Math.floor(now / W) + Math.floor(r() * 4)) * W + Math.floor(r() * 3) - 1;
        if (x < 0.4) return Math.max(now, edge);
        if (x < 0.6) return now + W + Math.floor(r() * 3) - 1; // the ring's reach from now
        if (x < 0.8) return now + Math.floor(r() * 3); // ties
        return now + Math.floor(r() * 40 * W); // the wheel, with empty stretches of the ring between
      });
    }
  });

  it('handles sparse times (long gaps, large clock values) and Infinity', () => {
    check(99, 2000, (r, now) => (r() < 0.02 ? Infinity : now + Math.floor(r() * 2 ** 36)));
    check(98, 2000, (r, now) => 2 ** 40 + now + Math.floor(r() * 100_000));
    // Around the wheel's far edge (2^32 ms ahead: its last bucket, and the first beyond it), and -Infinity.
    check(97, 2000, (r, now) => (r() < 0.02 ? -Infinity : now + 2 ** 32 + Math.floor((r() - 0.5) * 4 * 65_536)));
  });

  it('pops times past 2^53 ms (where ms + 1 is ms) in order, and does not hang', () => {
    check(96, 500, (r, now) => 2 ** 53 + (r() < 0.5 ? 0 : now - 2 ** 53) + 2 * Math.floor(r() * 8));
  });
});

describe('keepalive ring (KeyedRing)', () => {
  /** An entry as the ring holds it: key, client, payload. */
  type Entry = [number, number, number, number];
  const byKey = (x: Entry, y: Entry) => x[0] - y[0] || x[1] - y[1];
  const contents = (h: KeyedRing): Entry[] => Array.from({ length: h.size }, (_, i) => [h.keyAt(i), h.clientAt(i), h.xAt(i), h.yAt(i)]);

  it('holds its entries sorted by (key, client) through pushes, re-keys of the first and removals', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = mulberry32(seed);
      const h = new KeyedRing();
      const ref: Entry[] = [];
      // Some seeds keep few entries (wrap-arounds of the 32 slots), others many (growth).
      const most = seed % 3 === 0 ? 300 : 40;
      for (let op = 0; op < 3000; op++) {
        const x = r();
        // Few distinct keys: ties are broken by client.
        const key = Math.floor(r() * 50);
        if (x < (ref.length < most ? 0.4 : 0.1)) {
          const c = Math.floor(r() * 1000);
          if (ref.some((e) => e[1] === c)) continue;
          const e: Entry = [key, c, op, -op];
          h.push(...e); ref.push(e);
        } else if (x < 0.8 && ref.length) {
          // Mostly the common case, a key past every other one; sometimes anywhere after the old one.
          const k = r() < 0.7 ? ref[ref.length - 1][0] + key : ref[0][0] + key;
          const [, c] = ref.shift()!;
          if (r() < 0.5) { h.rekeyTop(k, op, op + 1); ref.push([k, c, op, op + 1]); }
          else { const [ox, oy] = [h.topX(), h.topY()]; h.rekeyTop(k); ref.push([k, c, ox, oy]); }
        } else if (ref.length) {
          const i = Math.floor(r() * ref.length);
          if (r() < 0.5) h.removeAt(i);
          else { h.remove(ref[i][1]); h.remove(5000); } // (5000: absent, no change)
          ref.splice(i, 1);
        }
        ref.sort(byKey);
        assert.equal(h.size, ref.length);
        assert.deepEqual(contents(h), ref);
        assert.equal(h.topKey(), ref.length ? ref[0][0] : Infinity);
        if (ref.length) {
          assert.deepEqual([h.topClient(), h.topX(), h.topY()], [ref[0][1], ref[0][2], ref[0][3]]);
          const c = ref[Math.floor(r() * ref.length)][1];
          assert.equal(h.clientAt(h.indexOf(c)), c);
        }
        assert.equal(h.indexOf(5000), -1);
        assert.equal(h.warm(), ref.filter((_, i) => i % 2 === 0).reduce((z, e) => z + e[0], 0) + (ref.length ? ref[ref.length - 1][0] : 0));
      }
    }
  });
});
