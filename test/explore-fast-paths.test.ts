// The explorer's and the models' speed paths give exactly what the plain code
// gives: a successor's fingerprint computed against its parent (Fingerprinter)
// equals the full fingerprint, on random walks of presets with faults; the
// interned timer sets of models/effects.ts hold what the copying sorted insert
// held, and never change an array an earlier state holds; the shared constant
// messages cannot be written.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PRESETS } from '../models/presets.js';
import { instantiate } from '../checker/props/index.js';
import { initialState, systemFor } from '../checker/explore/setup.js';
import { applyAction, enabledActions } from '../checker/explore/actions.js';
import { Fingerprinter, fingerprint } from '../checker/explore/fingerprint.js';
import { arm, cancel, MSG } from '../models/effects.js';
import type { BaseContext, TimerName } from '../models/types.js';

const TIMERS: TimerName[] = ['connect', 'retry', 'login', 'keepalive', 'renew', 'im', 'query', 'warmup', 'cooldown', 'loadWindow', 'join', 'reply'];

describe('explore: incremental fingerprints', () => {
  for (const preset of ['tiny', 'supernode-crash', 'late-im-crash', 'outage-small']) {
    it(`${preset}: every successor's Fingerprinter.of equals fingerprint() (random walks)`, () => {
      const cfg = PRESETS[preset];
      const sys = systemFor(cfg, instantiate());
      const fps = new Fingerprinter(sys);
      fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (choices) => {
        const { state } = initialState(sys, cfg);
        for (const c of choices) {
          const acts = enabledActions(sys, state, { timers: 'after-network' });
          if (!acts.length) break;
          fps.base(state);
          for (const a of acts) {
            const next = state.clone();
            applyAction(sys, next, a);
            assert.equal(fps.of(next), fingerprint(sys, next));
          }
          applyAction(sys, state, acts[c % acts.length]);
        }
      }), { numRuns: 40, seed: 4 });
    });
  }
});

describe('models: interned timer sets', () => {
  /** The copying versions that interning replaced (a sorted insert into a fresh array; a filtered copy). */
  const refArm = (ts: readonly TimerName[], t: TimerName): readonly TimerName[] => (ts.includes(t) ? ts : [...ts, t].sort());
  const refCancel = (ts: readonly TimerName[], t: TimerName): readonly TimerName[] => (ts.includes(t) ? ts.filter((x) => x !== t) : ts);

  it('arm and cancel give the sorted sets and armed lists of the copying code; no array a state holds changes', () => {
    const op = fc.record({ arm: fc.boolean(), timer: fc.constantFrom(...TIMERS) });
    fc.assert(fc.property(fc.array(fc.array(op, { maxLength: 4 }), { maxLength: 30 }), (steps) => {
      let timers: TimerName[] = [];
      let ref: readonly TimerName[] = [];
      const held: { arr: readonly TimerName[]; copy: TimerName[] }[] = [];
      for (const ops of steps) {
        // One step: a fresh draft (as role.ts's clone makes it), its effects, then the next state holds its timers.
        const d = { timers, armed: [], outbox: [] } as unknown as BaseContext;
        const armed: TimerName[] = [];
        for (const o of ops) {
          if (o.arm) { arm(d, o.timer); ref = refArm(ref, o.timer); armed.push(o.timer); } else { cancel(d, o.timer); ref = refCancel(ref, o.timer); }
        }
        assert.deepEqual(d.timers, ref);
        assert.deepEqual(d.armed, armed);
        timers = d.timers;
        held.push({ arr: d.timers, copy: [...d.timers] }, { arr: d.armed, copy: [...d.armed] });
      }
      for (const h of held) assert.deepEqual(h.arr, h.copy, 'an earlier state\'s array was written in place');
    }), { numRuns: 300, seed: 7 });
  });

  it('an unsorted timers array (no model makes one) takes the copying path and gets its old result', () => {
    const d = { timers: ['retry', 'connect'], armed: [], outbox: [] } as unknown as BaseContext;
    arm(d, 'login');
    assert.deepEqual(d.timers, ['login', 'retry', 'connect'], 'inserted before the first greater name, as the sorted insert did');
    cancel(d, 'retry');
    assert.deepEqual(d.timers, ['login', 'connect']);
  });

  it('the shared constant messages are frozen', () => {
    for (const m of Object.values(MSG)) assert.ok(Object.isFrozen(m), m.kind);
    assert.throws(() => { (MSG.Keepalive as { kind: string }).kind = 'Closing'; });
  });
});
