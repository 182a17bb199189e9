// The allocation-free tables of `snc check` (issue #5, peak RSS) against plain
// reference versions: the validator's in-flight mid table and the checker's
// network (MidMap, with its in-place compaction) behave as Maps;
// obligations give the same answers whether an actor's closed list keeps its
// key or not; every timer name fits a timer-heap slot.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MidTable } from '../checker/trace/mid-table.js';
import { MidMap } from '../checker/system/mid-map.js';
import { Obligations } from '../checker/props/obligations.js';
import { slotOf } from '../checker/conform/timers.js';
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import type { TimerName } from '../schemas/generated/trace.js';

describe('snc check memory', () => {
  it('MidTable behaves as a Map (integer and string mids, growth, backward-shift deletion)', () => {
    const mid = fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.constantFrom('a', 'b', '1', '__proto__'), fc.constantFrom(2 ** 40, 2 ** 53 - 1, -(2 ** 33)));
    const op = fc.record({ kind: fc.constantFrom('set', 'delete', 'get', 'has'), mid, v: fc.nat(1000) });
    fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      const t = new MidTable();
      const ref = new Map<string | number, number>();
      for (const o of ops) {
        if (o.kind === 'set') { t.set(o.mid, o.v); ref.set(o.mid, o.v); }
        else if (o.kind === 'delete') assert.equal(t.delete(o.mid), ref.delete(o.mid));
        else if (o.kind === 'get') assert.equal(t.get(o.mid), ref.get(o.mid));
        else assert.equal(t.has(o.mid), ref.has(o.mid));
        assert.equal(t.size, ref.size);
      }
      for (const [k, v] of ref) assert.equal(t.get(k), v);
    }), { numRuns: 200 });
  });

  it('MidTable: a queue of sequential mids (the common case) stays exact', () => {
    const t = new MidTable();
    for (let m = 1; m <= 200_000; m++) {
      t.set(m, m * 2);
      if (m > 5000) assert.equal(t.get(m - 5000), (m - 5000) * 2), assert.ok(t.delete(m - 5000));
    }
    assert.equal(t.size, 5000);
    assert.equal(t.get(1), undefined);
    assert.equal(t.get(200_000), 400_000);
  });

  it('MidMap behaves as a Map: values, size, insertion order, iteration while deleting, compaction', () => {
    const mid = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4000 }) }, { weight: 1, arbitrary: fc.constantFrom('a', 'b', '0', 'constructor') });
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), mid, v: fc.nat(100) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), mid }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('iterate' as const), every: fc.integer({ min: 2, max: 5 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('queue' as const), n: fc.integer({ min: 100, max: 3000 }) }) },
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const m = new MidMap<number>();
      const ref = new Map<string | number, number>();
      let next = 10_000;
      for (const o of ops) {
        if (o.kind === 'set') { m.set(o.mid, o.v); ref.set(o.mid, o.v); }
        else if (o.kind === 'delete') assert.equal(m.delete(o.mid), ref.delete(o.mid));
        else if (o.kind === 'queue') {
          // A burst of sends and deliveries, oldest first (holes at the front: compactions).
          for (let i = 0; i < o.n; i++) { m.set(next, i); ref.set(next, i); next++; }
          const old = [...ref.keys()].filter((k) => typeof k === 'number' && k >= 10_000).slice(0, o.n - 50);
          for (const k of old) assert.equal(m.delete(k), ref.delete(k));
        } else {
          // Iterate, deleting every `every`-th entry and adding one, on both.
          const seenM: (string | number)[] = [];
          let i = 0;
          for (const [k] of m) { seenM.push(k); if (++i % o.every === 0) { m.delete(k); if (i < 20) m.set(`x${i}`, i); } }
          const seenR: (string | number)[] = [];
          i = 0;
          for (const [k] of ref) { seenR.push(k); if (++i % o.every === 0) { ref.delete(k); if (i < 20) ref.set(`x${i}`, i); } }
          assert.deepEqual(seenM, seenR);
        }
        assert.equal(m.size, ref.size);
      }
      assert.deepEqual([...m.entries()], [...ref.entries()]);
      assert.deepEqual([...m.values()], [...ref.values()]);
      const fe: [string | number, number][] = [];
      m.forEach((v, k) => fe.push([k, v]));
      assert.deepEqual(fe, [...ref]);
      for (const k of ref.keys()) { assert.equal(m.get(k), ref.get(k)); assert.ok(m.has(k)); }
      m.clear();
      assert.equal(m.size, 0);
      assert.deepEqual([...m], []);
    }), { numRuns: 150 });
  });

  it('MidMap in its sequential form behaves as a Map too: sends and deliveries out of order, stragglers, clears, iteration while setting and deleting', () => {
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), n: fc.integer({ min: 1, max: 400 }), gap: fc.nat(3) }) },
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 400 }), pick: fc.nat(1000) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('straggle' as const), jump: fc.integer({ min: 1000, max: 40_000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('odd' as const), mid: fc.oneof(fc.nat(50_000), fc.constantFrom('a', '7', 1.5)) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('iterate' as const), every: fc.integer({ min: 2, max: 5 }), add: fc.nat(3), empty: fc.boolean(), turn: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
    );
    let turned = 0;
    let stayed = 0;
    fc.assert(fc.property(fc.integer({ min: -300, max: 300 }), fc.array(op, { maxLength: 60 }), (start, ops) => {
      const m = new MidMap<number>();
      const ref = new Map<string | number, number>();
      const both = { set: (k: string | number, v: number) => { m.set(k, v); ref.set(k, v); }, del: (k: string | number) => assert.equal(m.delete(k), ref.delete(k), `delete ${k}`) };
      // Negative mids too, and -0 (the key 0, as in a Map).
      let next = start === 0 ? -0 : start;
      for (const o of ops) {
        if (o.kind === 'send') { for (let i = 0; i < o.n; i++) both.set(next++, i); next += o.gap; }
        else if (o.kind === 'deliver') {
          // Mostly the oldest first, some from further in (latencies differ), and one that is not there.
          const keys = [...ref.keys()];
          for (let i = 0; i < o.n && keys.length; i++) both.del(keys.splice((o.pick * (i + 1)) % 7 === 0 ? (o.pick + i) % keys.length : 0, 1)[0]);
          both.del(next + 5);
        } else if (o.kind === 'straggle') next += o.jump;
        else if (o.kind === 'odd') both.set(o.mid, 1);
        else if (o.kind === 'clear') { m.clear(); ref.clear(); }
        else {
          const run = (map: Map<string | number, number> | MidMap<number>, start: number) => {
            const seen: (string | number)[] = [];
            let i = 0;
            let k = start;
            for (const [key] of map) {
              seen.push(key);
              if (++i % o.every === 0) map.delete(key);
              if (i <= o.add) map.set(k++, i); // sends during the iteration: visited later in it
              if (i === 40) { map.clear(); map.set(k++, 0); } // a clear, then a send: only that one is left to visit
              // Emptied by deliveries, then a mid below those seen: also left to visit.
              if (i === 25 && o.empty) { for (const d of [...map.keys()]) map.delete(d); map.set(3, 0); }
              // A mid that turns the map general, then a delivery of the first entry seen: the rest is visited once.
              if (i === 10 && o.turn) { map.set(`t${k}`, 0); map.delete(seen[0]); }
            }
            return { seen, k };
          };
          const a = run(m, next);
          const b = run(ref, next);
          assert.deepEqual(a.seen, b.seen);
          next = a.k;
        }
        assert.equal(m.size, ref.size);
        for (const k of [...ref.keys()].slice(0, 50)) { assert.equal(m.get(k), ref.get(k)); assert.ok(m.has(k)); }
        assert.equal(m.has(next + 1), false);
        assert.equal(m.get(start - 1_000_000), undefined);
      }
      if (m.sequential) stayed++; else turned++;
      assert.deepEqual([...m.entries()], [...ref.entries()]);
      const fe: [string | number, number][] = [];
      m.forEach((v, k) => fe.push([k, v]));
      assert.deepEqual(fe, [...ref]);
    }), { numRuns: 300 });
    // Both forms were exercised.
    assert.ok(turned > 10 && stayed > 10, `turned ${turned}, stayed ${stayed}`);
    // -0 is the key 0, as in a Map, in both forms.
    const z = new MidMap<number>();
    z.set(-0, 1);
    z.set('x', 2);
    assert.ok(Object.is([...z.keys()][0], 0));
    assert.deepEqual([...z.keys()], [...new Map<string | number, number>([[-0, 1], ['x', 2]]).keys()]);
  });

  it('Obligations answer the same with closed lists kept (open, discharge, tick, expiry, clones)', () => {
    const op = fc.record({ kind: fc.constantFrom('open', 'discharge', 'dischargeAll', 'tick', 'expire', 'clone'), actor: fc.nat(5), other: fc.nat(3), dt: fc.nat(4) });
    fc.assert(fc.property(fc.constantFrom('global', 'actor', 'time') as fc.Arbitrary<'global' | 'actor' | 'time'>, fc.array(op, { maxLength: 200 }), (measure, ops) => {
      let ob = new Obligations(measure, 3);
      // Reference: the same operations on a plain list.
      let ref: { actor: number; other: number; start: number; count: number }[] = [];
      let step = 0;
      const age = (o: (typeof ref)[number]) => (measure === 'actor' ? o.count : step - o.start);
      const ids = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
      for (const o of ops) {
        step += o.dt;
        if (o.kind === 'open') {
          ob.open(o.actor, o.other, step, step);
          if (!ref.some((e) => e.actor === o.actor && e.other === o.other)) ref.push({ actor: o.actor, other: o.other, start: step, count: 0 });
        } else if (o.kind === 'discharge') {
          ob.discharge(o.actor, o.other);
          ref = ref.filter((e) => !(e.actor === o.actor && e.other === o.other));
        } else if (o.kind === 'dischargeAll') {
          ob.discharge(o.actor);
          ref = ref.filter((e) => e.actor !== o.actor);
        } else if (o.kind === 'tick') {
          ob.tick(o.actor);
          if (measure === 'actor') ref = ref.map((e) => (e.actor === o.actor ? { ...e, count: e.count + 1 } : e));
        } else if (o.kind === 'expire') {
          const gone = ob.takeExpired(step, step, measure === 'actor' ? [{ idx: o.actor }] : undefined);
          const due = ref.filter((e) => age(e) > 3 && (measure !== 'actor' || e.actor === o.actor));
          assert.deepEqual(gone.map((e) => `${e.actor}:${e.other}`).sort(), due.map((e) => `${e.actor}:${e.other}`).sort());
          ref = ref.filter((e) => !due.includes(e));
        } else {
          const c = ob.clone();
          ob.discharge(o.actor); // the original moves on; the clone must not see it
          ob = c;
        }
        const actors = new Set(ref.map((e) => e.actor));
        assert.equal(ob.size, actors.size);
        for (let a = 0; a <= 5; a++) {
          assert.equal(ob.has(a), actors.has(a));
          assert.equal(ob.of(a).length, ref.filter((e) => e.actor === a).length);
        }
        assert.equal(ob.list.length, ref.length);
        if (!ref.length) assert.equal(ob.key(step, step, ids), '');
      }
    }), { numRuns: 300 });
  });

  it('every timer name of the schema has a timer-heap slot', () => {
    const names = (traceSchema.$defs as unknown as Record<string, { enum?: string[] }>).TimerName?.enum;
    assert.ok(names && names.length > 0, 'trace.schema.json has $defs/TimerName with an enum');
    const slots = new Set(names.map((n) => slotOf(1, n as TimerName)));
    assert.equal(slots.size, names.length);
    for (const s of slots) assert.equal(s >> 4, 1);
  });
});
