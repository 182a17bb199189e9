// The explorer's compact state parts behave as what they replace: PackedNet
// as a Map of messages keyed by their ids (random operations, with clones
// kept apart), and a monitor that says it is `fresh` as a new one (on random
// walks of presets with faults, every monitor's verdicts and key from a fresh
// state on equal those of its initial state given the same observations,
// and so do its obligations at the end).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PRESETS } from '../models/presets.js';
import { instantiate } from '../checker/props/index.js';
import { initialState, systemFor } from '../checker/explore/setup.js';
import { applyAction, enabledActions } from '../checker/explore/actions.js';
import { PackedNet } from '../checker/system/packed-net.js';
import type { InFlight, Mid } from '../checker/system/state.js';

const msg = (mid: number, v: number): InFlight => ({ mid, from: v, to: v + 1, msg: { kind: 'Ping' } as never });

describe('explore: PackedNet', () => {
  it('behaves as a Map under random set/delete/clone', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'clone'), fc.nat(12), fc.nat(3))), (ops) => {
      let net = new PackedNet();
      let map = new Map<Mid, InFlight>();
      const kept: [PackedNet, [Mid, InFlight][]][] = [];
      for (const [op, k, v] of ops) {
        if (op === 'set') { const m = msg(k, v); assert.equal(net.set(k, m), net); map.set(k, m); }
        else if (op === 'delete') assert.equal(net.delete(k), map.delete(k));
        else { kept.push([net, [...map]]); net = net.clone(); map = new Map(map); }
        assert.equal(net.size, map.size);
        assert.deepEqual([...net.values()], [...map.values()]);
        assert.deepEqual([...net.keys()], [...map.keys()]);
        assert.deepEqual([...net], [...map]);
        assert.equal(net.get(k), map.get(k));
        assert.equal(net.has(k), map.has(k));
        const each: Mid[] = [];
        net.forEach((m, mid) => { assert.equal(m.mid, mid); each.push(mid); });
        assert.deepEqual(each, [...map.keys()]);
      }
      // A clone and its original never see each other's changes.
      for (const [n, entries] of kept) assert.deepEqual([...n], entries);
    }), { numRuns: 300, seed: 7 });
  });

  it('refuses an entry not keyed by its message id', () => {
    assert.throws(() => new PackedNet().set(2, msg(1, 0)), /PackedNet/);
  });

  it('is the network of the explorer\'s initial state, with the same messages in the same order', () => {
    const cfg = PRESETS['two-supernodes-four-clients'];
    const sys = systemFor(cfg, instantiate());
    const { state } = initialState(sys, cfg);
    assert.ok((state.net as unknown) instanceof PackedNet);
    assert.ok(state.net.size > 0);
    const c = state.clone();
    assert.ok((c.net as unknown) instanceof PackedNet);
    assert.deepEqual([...c.net.values()], [...state.net.values()]);
  });
});

describe('explore: fresh monitors', () => {
  for (const preset of ['tiny', 'supernode-crash', 'late-im-crash', 'outage-small']) {
    it(`${preset}: a monitor that is fresh gives what a new one gives (random walks)`, () => {
      const cfg = PRESETS[preset];
      const props = instantiate();
      const sys = systemFor(cfg, props);
      let compared = 0;
      fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.nat(39), (choices, at) => {
        const { state } = initialState(sys, cfg);
        for (let s = 0; s < choices.length; s++) {
          const acts = enabledActions(sys, state, { timers: 'after-network' });
          if (!acts.length) break;
          if (s === at) {
            // From here on, run a twin whose fresh monitors are replaced by new ones.
            const twin = state.clone();
            const fresh = twin.monitors.map((m, i) => (m.fresh?.() ? i : -1)).filter((i) => i >= 0);
            for (const i of fresh) twin.monitors[i] = props[i].init();
            compared += fresh.length;
            for (let r = s; r < choices.length; r++) {
              const as = enabledActions(sys, state, { timers: 'after-network' });
              if (!as.length) break;
              const a = as[choices[r] % as.length];
              const v1 = applyAction(sys, state, a).verdicts;
              const v2 = applyAction(sys, twin, a).verdicts;
              assert.deepEqual(v2, v1);
              for (const i of fresh) assert.equal(twin.monitors[i].key(twin.step, twin.time, sys.topo.ids), state.monitors[i].key(state.step, state.time, sys.topo.ids));
            }
            // And the same at the end of the run (on copies: finish takes obligations out).
            for (const i of fresh) {
              for (const terminal of [false, true]) {
                assert.deepEqual(props[i].finish?.(twin.monitors[i].clone(), twin, sys, terminal), props[i].finish?.(state.monitors[i].clone(), state, sys, terminal));
              }
            }
            return;
          }
          applyAction(sys, state, acts[choices[s] % acts.length]);
        }
      }), { numRuns: 40, seed: 5 });
      assert.ok(compared > 0);
    });
  }
});
