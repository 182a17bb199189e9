// Differential test: for every role, the compiled fast step (`role.init` /
// `role.step`) and XState's own pure `initialTransition` / `transition` on
// `role.machine` agree after every event of random sequences: same state value,
// same canonical encoding, same messages sent and timers armed by that event.
//
// How effects are compared: XState's snapshot is never touched between steps
// (no resolveState), so its `context.outbox` / `context.armed` accumulate over
// the run (each action appends to a copy). We compare per-step deltas: the
// fast step's `outbox`/`armed` against what the XState transition appended,
// `xs.context.outbox.slice(lengthBefore)`. `encodeLocal` leaves both fields
// out, so the state encodings compare directly.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { ROLES, type ModelEvent } from '../models/index.js';
import { encodeLocal } from '../models/canonical.js';
import { realize, runArb, type Recipe } from './helpers/model-arbitraries.js';
import type { ActorConfig } from '../models/types.js';
import type { Role as RoleDef } from '../models/role.js';

const RUNS = 300;
const MAX_EVENTS = 40;

/** Replays one run on both executables; throws at the first difference, naming the event index. */
function differential(role: RoleDef<any>, run: { cfg: ActorConfig; t0: number; recipes: readonly Recipe[] }): void {
  let [xs] = initialTransition(role.machine, { cfg: run.cfg, now: run.t0 }) as [any, unknown];
  let fast = role.init(run.cfg, run.t0);
  const where = (i: number, ev: ModelEvent | null) => `${role.name} after event #${i} ${ev ? JSON.stringify(ev) : '(init)'}`;
  const check = (i: number, ev: ModelEvent | null, outBefore: number, armedBefore: number) => {
    assert.equal(fast.next.value, xs.value, `state value differs ${where(i, ev)}`);
    assert.equal(encodeLocal(fast.next.value, fast.next.ctx), encodeLocal(xs.value, xs.context), `encoding differs ${where(i, ev)}`);
    assert.deepEqual(fast.outbox, xs.context.outbox.slice(outBefore), `outbox differs ${where(i, ev)}`);
    assert.deepEqual(fast.armed, xs.context.armed.slice(armedBefore), `armed timers differ ${where(i, ev)}`);
  };
  check(-1, null, 0, 0);
  let now = run.t0;
  run.recipes.forEach((r, i) => {
    now += r.dt;
    const ev = realize(r, fast.next, now);
    const outBefore = xs.context.outbox.length;
    const armedBefore = xs.context.armed.length;
    const enabled = role.enabled(fast.next, ev);
    const [xn] = transition(role.machine, xs, ev as any) as [any, unknown];
    fast = role.step(fast.next, ev);
    assert.equal(fast.taken, enabled, `enabled() and step().taken differ ${where(i, ev)}`);
    // XState returns the very same snapshot when no transition is enabled.
    if (!fast.taken) assert.equal(xn, xs, `fast step ignored the event but XState changed the snapshot ${where(i, ev)}`);
    xs = xn;
    check(i, ev, outBefore, armedBefore);
  });
}

describe('models: fast step ≡ XState transition() (differential, fast-check)', () => {
  for (const [name, role] of Object.entries(ROLES)) {
    it(`${name}: ${RUNS} random runs of up to ${MAX_EVENTS} events agree after every event`, () => {
      fc.assert(fc.property(runArb(role, MAX_EVENTS), (run) => differential(role, run)), { numRuns: RUNS });
    });
  }

  it('every role event type is exercised by the generators (no silent gaps)', () => {
    for (const [name, role] of Object.entries(ROLES)) {
      const seen = new Set<string>();
      fc.assert(fc.property(runArb(role, MAX_EVENTS), (run) => {
        let local = role.init(run.cfg, run.t0).next;
        let now = run.t0;
        for (const r of run.recipes) { now += r.dt; const ev = realize(r, local, now); seen.add(ev.type); local = role.step(local, ev).next; }
      }), { numRuns: 100, seed: 1 });
      for (const t of role.eventTypes) assert.ok(seen.has(t), `${name}: no generated event of type ${t}`);
    }
  });
});
