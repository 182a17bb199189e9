// The explorer's cached transitions and packed queue give what the plain code
// gives: on random walks of presets (with faults), from every state whose
// monitors are all fresh, each delivery and timer taken through the transition
// cache (checker/explore/successors.ts), the first time (probe) and later
// (kept), yields the successor, verdicts and fingerprint of the ordinary
// clone-and-apply; and a state queued in the packed queue (checker/explore/
// queue.ts), whole or as a cached step of the state last taken, comes back
// equal (the same local state objects, messages, ids and shared parts); the
// visited set (checker/explore/fpset.ts) behaves as a Set of fingerprints.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PRESETS } from '../models/presets.js';
import { instantiate } from '../checker/props/index.js';
import { initialState, systemFor } from '../checker/explore/setup.js';
import { applyAction, enabledActions, type Action } from '../checker/explore/actions.js';
import { Fingerprinter, fingerprint, messageKey } from '../checker/explore/fingerprint.js';
import { materialize, Transitions, type Transition } from '../checker/explore/successors.js';
import { StateQueue } from '../checker/explore/queue.js';
import { FingerprintSet } from '../checker/explore/fpset.js';
import type { InFlight, SysState } from '../checker/system/state.js';
import type { System } from '../checker/system/system.js';

/** The same state: local state objects, messages (ids, ends, content, order), counters and shared parts. */
function assertSame(sys: System, got: SysState, want: SysState): void {
  assert.equal(got.locals.length, want.locals.length);
  got.locals.forEach((l, i) => assert.equal(l, want.locals[i], `local state of ${sys.topo.ids[i]}`));
  const msgs = (s: SysState) => [...s.net.values()].map((m) => `${m.mid}:${messageKey(sys, m)}`);
  assert.deepEqual(msgs(got), msgs(want));
  assert.equal(got.nextMid, want.nextMid);
  assert.equal(got.step, want.step);
  assert.equal(got.time, want.time);
  assert.deepEqual(got.budget, want.budget);
  assert.deepEqual([...got.down], [...want.down]);
  assert.equal(got.partitioned, want.partitioned);
}

const PRESET_NAMES = ['tiny', 'supernode-crash', 'late-im-crash', 'outage-small', 'two-supernodes-four-clients', 'overload'];

describe('explore: cached transitions', () => {
  for (const preset of PRESET_NAMES) {
    it(`${preset}: a delivery or timer through the cache gives the ordinary successor, verdicts and fingerprint (random walks)`, () => {
      const cfg = PRESETS[preset];
      const props = instantiate();
      const sys = systemFor(cfg, props);
      const init = props.map((p) => p.init());
      const trans = new Transitions(sys);
      const fps = new Fingerprinter(sys, init);
      let kept = 0;
      let probed = 0;
      fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (choices) => {
        const { state } = initialState(sys, cfg);
        for (const c of choices) {
          const acts = enabledActions(sys, state, { timers: 'after-network' });
          if (!acts.length) break;
          if (state.monitors.every((m) => m.fresh?.()) && !state.partitioned) {
            // The explorer's form of this state: its fresh monitors replaced by the shared initial ones.
            const st = state.clone();
            st.monitors = init;
            fps.base(st);
            for (const a of acts) {
              if (a.kind !== 'deliver' && a.kind !== 'timeout') continue;
              const want = st.clone();
              const wantVerdicts = applyAction(sys, want, a).verdicts;
              const m: InFlight | undefined = a.kind === 'deliver' ? st.net.get(a.mid) : undefined;
              const e: Transition | undefined = m ? trans.deliver(st, m) : trans.timeout(st, a as Action & { kind: 'timeout' });
              if (e === undefined) {
                const acc = sys.acc();
                const got = trans.probe(st, a, m, acc);
                probed++;
                assertSame(sys, got, want);
                assert.deepEqual(acc.verdicts, wantVerdicts);
              } else if (e.ok) {
                kept++;
                assert.ok(want.monitors.every((x) => x.fresh?.()), 'a kept transition ends with fresh monitors');
                const got = materialize(st, m, e, init);
                assertSame(sys, got, want);
                assert.deepEqual(e.verdicts, wantVerdicts);
                assert.equal(fps.step(e.actor, e.ha, e.hb, m ? m.fpa! : 0, m ? m.fpb! : 0, e.outA, e.outB), fingerprint(sys, want));
              }
            }
          }
          applyAction(sys, state, acts[c % acts.length]);
        }
      }), { numRuns: 60, seed: 11 });
      assert.ok(probed > 0 && kept > 0, `probed ${probed}, kept ${kept}`);
    });
  }

  it('a transition whose monitor reads the state is not kept (directory-fresh on a LookupResult)', () => {
    const cfg = PRESETS.tiny;
    const props = instantiate(['directory-fresh']);
    const sys = systemFor(cfg, props);
    const init = props.map((p) => p.init());
    const trans = new Transitions(sys);
    let lookups = 0;
    fc.assert(fc.property(fc.array(fc.nat(), { minLength: 40, maxLength: 80 }), (choices) => {
      const { state } = initialState(sys, cfg);
      for (const c of choices) {
        const acts = enabledActions(sys, state, { timers: 'after-network' });
        if (!acts.length) break;
        if (state.monitors.every((m) => m.fresh?.())) {
          const st = state.clone();
          st.monitors = init;
          for (const a of acts) {
            if (a.kind !== 'deliver') continue;
            const m = st.net.get(a.mid)!;
            if (trans.deliver(st, m) === undefined) trans.probe(st, a, m, sys.acc());
            const e = trans.deliver(st, m)!;
            const probe = st.clone();
            const sends = applyAction(sys, probe, a).observations.filter((o) => o.ev.type === 'send' && o.msg?.kind === 'LookupResult' && o.msg.supernode !== null);
            if (sends.length) { lookups++; assert.equal(e.ok, false); }
          }
        }
        applyAction(sys, state, acts[c % acts.length]);
      }
    }), { numRuns: 150, seed: 3 });
    assert.ok(lookups > 0);
  });
});

describe('explore: packed queue', () => {
  for (const preset of ['tiny', 'supernode-crash', 'outage-small']) {
    it(`${preset}: a queued state, and a cached step of the state taken last, come back equal (random walks)`, () => {
      const cfg = PRESETS[preset];
      const props = instantiate();
      const sys = systemFor(cfg, props);
      const init = props.map((p) => p.init());
      const trans = new Transitions(sys);
      const q = new StateQueue(trans, sys.topo.cfgs.length);
      let steps = 0;
      fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (choices) => {
        const { state } = initialState(sys, cfg);
        for (const c of choices) {
          const acts = enabledActions(sys, state, { timers: 'after-network' });
          if (!acts.length) break;
          const st = state.clone();
          const fresh = st.monitors.every((m) => m.fresh?.());
          if (fresh) st.monitors = init;
          q.push(7, st);
          const back = q.shift();
          assert.equal(q.node, 7);
          assertSame(sys, back, st);
          assert.equal(back.monitors, st.monitors);
          if (fresh && !st.partitioned) {
            for (const a of acts) {
              if (a.kind !== 'deliver' && a.kind !== 'timeout') continue;
              const m = a.kind === 'deliver' ? back.net.get(a.mid) : undefined;
              let e = m ? trans.deliver(back, m) : trans.timeout(back, a as Action & { kind: 'timeout' });
              if (e === undefined) { trans.probe(back, a, m, sys.acc()); e = m ? trans.deliver(back, m) : trans.timeout(back, a as Action & { kind: 'timeout' }); }
              if (!e!.ok) continue;
              steps++;
              const want = materialize(back, m, e!, init);
              q.pushStep(1, e!, m);
              q.push(2, want, back.locals);
            }
            // Every pair comes back equal (and the state last taken is `back` until the first shift).
            while (q.size) {
              const x = q.shift();
              assert.equal(q.node, 1);
              const y = q.shift();
              assert.equal(q.node, 2);
              assertSame(sys, x, y);
              assert.equal(x.monitors, y.monitors);
            }
          }
          applyAction(sys, state, acts[c % acts.length]);
        }
      }), { numRuns: 40, seed: 9 });
      assert.ok(steps > 0);
    });
  }
});

describe('explore: visited set', () => {
  it('behaves as a Set of 53-bit fingerprints through its growths', () => {
    const fp = fc.oneof(fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 32, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.nat(64));
    fc.assert(fc.property(fc.array(fp, { maxLength: 400 }), (fps) => {
      const set = new FingerprintSet(4);
      const ref = new Set<number>();
      for (const f of fps) {
        assert.equal(set.has(f), ref.has(f));
        assert.equal(set.add(f), !ref.has(f));
        ref.add(f);
        assert.equal(set.size, ref.size);
        assert.ok(set.has(f));
      }
      for (const f of ref) assert.ok(set.has(f));
    }), { numRuns: 200, seed: 13 });
  });
});
