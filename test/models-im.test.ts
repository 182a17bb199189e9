// Unit tests of the im role (PROTOCOL.md "Client" steps 5–6, "Faults": late
// replies from im, operator switches im off). Test names: `im: <from> --<event>--> <to>`.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { im, type ImContext } from '../models/im.js';
import type { Local, ModelEvent } from '../models/index.js';
import { configOf, deliver, drive, input, timeout } from './helpers/model-events.js';

type L = Local<ImContext>;
const step = (l: L, ev: ModelEvent) => im.step(l, ev);
const fetch = (from: string) => deliver(from, { kind: 'OfflineImFetch' });
const setMode = (mode: 'up' | 'slow' | 'overloaded' | 'down') => input({ kind: 'SetMode', mode });
const up = () => im.init(configOf('im'), 0).next;
const batch = (to: string) => ({ to, msg: { kind: 'OfflineImBatch', count: 0 } });

describe('im (offline instant messages)', () => {
  it('im: initial state up, no timers', () => {
    const r = im.init(configOf('im'), 0);
    assert.equal(r.next.value, 'up');
    assert.deepEqual(r.armed, []);
  });

  it('im: up --OfflineImFetch--> OfflineImBatch at once', () => {
    assert.deepEqual(step(up(), fetch('c1')).outbox, [batch('c1')]);
  });

  it('im: up --SetMode slow--> slow --OfflineImFetch--> waiting, reply timer (no answer yet)', () => {
    const s = step(up(), setMode('slow')).next;
    assert.equal(s.value, 'slow');
    const r = step(step(s, fetch('c2')).next, fetch('c1'));
    assert.deepEqual(r.outbox, []);
    assert.deepEqual(r.next.ctx.waiting, ['c1', 'c2']);
    assert.deepEqual(r.next.ctx.timers, ['reply']);
  });

  it('im: slow --timeout.reply--> OfflineImBatch to every waiting client (the late reply)', () => {
    const d = drive(configOf('im'), [setMode('slow'), fetch('c2'), fetch('c1'), timeout('reply')]);
    assert.deepEqual(d.lastResult.outbox, [batch('c1'), batch('c2')]);
    assert.deepEqual(d.last.ctx.waiting, []);
    assert.deepEqual(d.last.ctx.timers, []);
  });

  it('im: slow --OfflineImFetch--> slow (reply timer armed once per batch: later fetches do not push it back)', () => {
    const first = drive(configOf('im'), [setMode('slow'), fetch('c1')]);
    assert.deepEqual(first.lastResult.armed, ['reply']);
    const r = step(first.last, fetch('c2'));
    assert.deepEqual(r.armed, [], 'a second fetch re-armed the reply timer');
    assert.deepEqual(r.next.ctx.timers, ['reply']);
    assert.deepEqual(r.next.ctx.waiting, ['c1', 'c2']);
    const after = step(step(r.next, timeout('reply')).next, fetch('c3'));
    assert.deepEqual(after.armed, ['reply'], 'the first fetch of the next batch arms it again');
  });

  it('im: up --SetMode overloaded--> slow (an overloaded im replies late)', () => {
    assert.equal(step(up(), setMode('overloaded')).next.value, 'slow');
  });

  it('im: slow --SetMode up--> up (waiting fetches still answered when the reply timer fires)', () => {
    const d = drive(configOf('im'), [setMode('slow'), fetch('c1'), setMode('up'), timeout('reply')]);
    assert.equal(d.last.value, 'up');
    assert.deepEqual(d.lastResult.outbox, [batch('c1')]);
  });

  it('im: <any> --SetMode down--> down (operator switches im off: waiting fetches forgotten, no answers)', () => {
    const d = drive(configOf('im'), [setMode('slow'), fetch('c1'), setMode('down')]);
    assert.equal(d.last.value, 'down');
    assert.deepEqual(d.last.ctx.waiting, []);
    assert.deepEqual(d.last.ctx.timers, []);
    const r = step(d.last, fetch('c2'));
    assert.equal(r.taken, false);
    assert.deepEqual(step(d.last, timeout('reply')).outbox, []);
  });

  it('im: down --SetMode up--> up (answers again)', () => {
    const r = step(step(up(), setMode('down')).next, setMode('up'));
    assert.equal(r.next.value, 'up');
    assert.deepEqual(step(r.next, fetch('c1')).outbox, [batch('c1')]);
  });

  it('im: slow --OfflineImFetch*--> waiting is the sorted set of the fetchers, and no earlier state changes', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('c1', 'c2', 'c3', 'c10', 'c20', 'x'), { maxLength: 12 }), (froms) => {
      let l = step(up(), setMode('slow')).next;
      const states: { l: L; waiting: string[] }[] = [];
      for (const f of froms) {
        states.push({ l, waiting: [...l.ctx.waiting] });
        l = step(l, fetch(f)).next;
      }
      assert.deepEqual(l.ctx.waiting, [...new Set(froms)].sort());
      for (const s of states) assert.deepEqual(s.l.ctx.waiting, s.waiting, 'a fetch changed an earlier state');
    }));
  });
});
