// The interpreter of models/role.ts against XState v5 on small synthetic
// configs that use every construct of the supported subset in its corner
// cases (the four protocol roles use only some of them): root handlers after
// the child's, a child's blocking targetless transition, self-transitions with
// and without `reenter`, root transitions to the active child, `always` chains,
// an `always` guard that reads the event, and the built-in `fired` action.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { defineRole, type RoleConfig } from '../models/role.js';
import { arm, cancel, isArmed, sign, TIMER_NAMES, timerIndex } from '../models/effects.js';
import { encodeLocal } from '../models/canonical.js';
import type { BaseContext, Input, ModelEvent, TimerName } from '../models/types.js';
import { inputType, timeoutType } from '../models/event-types.js';
import { ROLES } from '../models/index.js';
import { readFileSync } from 'node:fs';
import { configOf, timeout } from './helpers/model-events.js';

interface Ctx extends BaseContext { log: string[]; n: number }

const logAction = (tag: string) => ({ type: 'log', params: { tag } });
const synthConfig: RoleConfig = {
  id: 'synth',
  initial: 'a',
  on: {
    rootGo: { target: '.b', actions: logAction('rootGo') },
    rootSelf: { target: '.a', actions: logAction('rootSelf') },
    rootTargetless: { actions: logAction('rootTargetless') },
    blocked: { target: '.c', actions: logAction('blocked-root') },
    guarded: { target: '.c', actions: logAction('guarded-root') },
    'timeout.retry': { actions: logAction('retry-root') },
  },
  states: {
    a: {
      entry: [logAction('enter-a'), 'armRetry'],
      exit: logAction('exit-a'),
      always: { guard: 'late', target: 'b', actions: logAction('always-late') },
      on: {
        go: { target: 'b', actions: ['count', logAction('go')] },
        self: { target: 'a', actions: logAction('self') },
        selfRe: { target: 'a', reenter: true, actions: logAction('selfRe') },
        blocked: {},
        guarded: { guard: 'odd', target: 'b', actions: logAction('guarded-a') },
      },
    },
    b: {
      entry: logAction('enter-b'),
      exit: logAction('exit-b'),
      always: [{ guard: 'big', target: 'c', actions: logAction('always-big') }],
      on: { go: { target: 'a', actions: 'count' }, 'timeout.retry': { target: 'a' } },
    },
    c: {
      entry: [logAction('enter-c'), 'count'],
      always: { guard: 'even', target: 'a', actions: logAction('always-even') },
      on: { go: 'b', self: { target: 'c', reenter: true } },
    },
  },
};
const synth = defineRole<Ctx>(
  synthConfig,
  (cfg) => ({ cfg, outbox: [], armed: [], timers: [], log: [], n: 0 }),
  {
    late: (_c, ev) => ev.now >= 100,
    big: (c) => c.n >= 3,
    odd: (c) => c.n % 2 === 1,
    even: (c) => c.n % 2 === 0 && c.n < 6,
  },
  {
    log: (d, _ev, p) => { d.log = [...d.log.slice(-5), p.tag]; },
    count: (d) => { d.n += 1; },
    armRetry: (d) => arm(d, 'retry'),
  },
);

const TYPES = ['go', 'self', 'selfRe', 'rootGo', 'rootSelf', 'rootTargetless', 'blocked', 'guarded', 'unknown', 'timeout.retry'];

describe('models/role.ts interpreter ≡ XState v5 on a synthetic config (every construct of the subset)', () => {
  it('300 random runs agree after every event: value, context, effects, taken', () => {
    const cfg = configOf('c1');
    fc.assert(fc.property(fc.array(fc.record({ type: fc.constantFrom(...TYPES), dt: fc.constantFrom(0, 7, 40) }), { maxLength: 30 }), (evs) => {
      let [xs] = initialTransition(synth.machine, { cfg, now: 0 }) as [any, unknown];
      let fast = synth.init(cfg, 0);
      let now = 0;
      const same = (where: string) => {
        assert.equal(fast.next.value, xs.value, where);
        assert.equal(encodeLocal(fast.next.value, fast.next.ctx), encodeLocal(xs.value, xs.context), where);
      };
      same('init');
      for (const [i, e] of evs.entries()) {
        now += e.dt;
        const ev = (e.type.startsWith('timeout.') ? timeout('retry', now) : { type: e.type, now }) as ModelEvent;
        const armedBefore = xs.context.armed.length;
        const [xn] = transition(synth.machine, xs, ev as any) as [any, unknown];
        fast = synth.step(fast.next, ev);
        if (!fast.taken) assert.equal(xn, xs, `#${i} ${e.type}: ignored by the fast step, taken by XState`);
        xs = xn;
        same(`#${i} ${e.type} at ${now}`);
        assert.deepEqual(fast.armed, xs.context.armed.slice(armedBefore), `#${i} ${e.type}: armed`);
      }
    }), { numRuns: 300 });
  });

  it('an always guard that reads the event fires on an event no state handles (XState checks eventless transitions after every event)', () => {
    const cfg = configOf('c1');
    const a = synth.init(cfg, 0).next;
    const r = synth.step(a, { type: 'unknown', now: 150 } as unknown as ModelEvent);
    assert.equal(r.taken, true);
    assert.equal(r.next.value, 'b');
    assert.deepEqual(r.next.ctx.log.slice(-3), ['exit-a', 'always-late', 'enter-b']);
    const [x0] = initialTransition(synth.machine, { cfg, now: 0 }) as [any, unknown];
    const [x1] = transition(synth.machine, x0, { type: 'unknown', now: 150 } as any) as [any, unknown];
    assert.equal(x1.value, 'b');
  });

  it('the generated dispatch: a name that is an Object.prototype member is an unhandled event; a state the role lacks is an error', () => {
    const a = synth.init(configOf('c1'), 0).next;
    for (const type of ['constructor', '__proto__', 'toString']) assert.equal(synth.step(a, { type, now: 0 } as unknown as ModelEvent).taken, false, type);
    assert.throws(() => synth.step({ value: 'nowhere', ctx: a.ctx }, { type: 'self', now: 0 } as unknown as ModelEvent), /synth: no state "nowhere"/);
    assert.throws(() => synth.enabled({ value: 'nowhere', ctx: a.ctx }, { type: 'self', now: 0 } as unknown as ModelEvent), /synth: no state "nowhere"/);
  });

  it('a root transition to the active child exits and re-enters it; a child self-transition does not', () => {
    const cfg = configOf('c1');
    const a = synth.init(cfg, 0).next;
    assert.deepEqual(synth.step(a, { type: 'rootSelf', now: 0 } as unknown as ModelEvent).next.ctx.log.slice(-3), ['exit-a', 'rootSelf', 'enter-a']);
    assert.deepEqual(synth.step(a, { type: 'self', now: 0 } as unknown as ModelEvent).next.ctx.log.slice(-1), ['self']);
    assert.deepEqual(synth.step(a, { type: 'selfRe', now: 0 } as unknown as ModelEvent).next.ctx.log.slice(-3), ['exit-a', 'selfRe', 'enter-a']);
  });

  it("a child's targetless transition blocks the root's handler; a child whose guards all fail lets it through", () => {
    const cfg = configOf('c1');
    const a = synth.init(cfg, 0).next;
    const blocked = synth.step(a, { type: 'blocked', now: 0 } as unknown as ModelEvent);
    assert.equal(blocked.taken, true);
    assert.equal(blocked.next.value, 'a');
    const guarded = synth.step(a, { type: 'guarded', now: 0 } as unknown as ModelEvent);
    // n = 0: the child's `odd` guard fails, so the root's transition to c is taken.
    assert.equal(guarded.next.value, 'c');
    assert.deepEqual(guarded.next.ctx.log.slice(-3), ['exit-a', 'guarded-root', 'enter-c']);
  });
});

describe('models/event-types.ts', () => {
  const schema = JSON.parse(readFileSync(new URL('../schemas/trace.schema.json', import.meta.url), 'utf8'));
  it("gives every timer of the schema its `timeout.<timer>` and every input kind its `input.<kind>`, as every role's events are named", () => {
    const timers: TimerName[] = schema.$defs.TimerName.enum;
    const kinds: Input['kind'][] = schema.$defs.Input.oneOf.map((b: any) => b.properties.kind.const);
    assert.ok(timers.length >= 12 && kinds.length >= 5);
    for (const t of timers) assert.equal(timeoutType(t), `timeout.${t}`);
    for (const k of kinds) assert.equal(inputType(k), `input.${k}`);
    const handled = new Set(Object.values(ROLES).flatMap((r) => r.eventTypes));
    for (const t of handled) if (t.startsWith('timeout.')) assert.ok(timers.includes(t.slice(8) as TimerName), t);
  });
});

describe('models/effects.ts sign', () => {
  // The definition: FNV-1a (32-bit) over the joined string, in 8 hex digits.
  const reference = (user: string, issuedAt: number, expiresAt: number, key: string): string => {
    const s = `${key}|${user}|${issuedAt}|${expiresAt}`;
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  it('equals FNV-1a over `${key}|${user}|${issuedAt}|${expiresAt}` for any strings and numbers (integers, fractions, negatives, beyond 2^53)', () => {
    const num = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double({ noNaN: false }), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e21, -0));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), num, num, fc.string(), (user, a, b, key) => {
      assert.equal(sign(user, a, b, key), reference(user, a, b, key));
    }), { numRuns: 2000 });
    assert.equal(sign('u1', 0, 3600000, 'secret'), reference('u1', 0, 3600000, 'secret'));
  });
});

describe('models/effects.ts timer sets', () => {
  it('isArmed, arm and cancel agree with plain array semantics, interned or not, for names in the list or not', () => {
    const names = ['connect', 'retry', 'keepalive', 'loadWindow', 'reply', 'nonesuch', 'constructor'] as TimerName[];
    const op = fc.tuple(fc.constantFrom('arm', 'cancel'), fc.constantFrom(...names));
    fc.assert(fc.property(fc.uniqueArray(fc.constantFrom(...names)), fc.array(op, { maxLength: 8 }), (start, ops) => {
      const d = { timers: [...start].sort(), armed: [], outbox: [] } as unknown as BaseContext;
      let model = new Set(start);
      for (const [kind, t] of ops) {
        if (kind === 'arm') { arm(d, t); model.add(t); } else { cancel(d, t); model = new Set([...model].filter((x) => x !== t)); }
        assert.deepEqual([...d.timers], [...model].sort());
        for (const n of names) assert.equal(isArmed(d, n), model.has(n), `${n} after ${kind} ${t}`);
      }
    }), { numRuns: 500 });
  });

  it('timerIndex gives each timer its place in TIMER_NAMES, and -1 for any other name', () => {
    assert.deepEqual(TIMER_NAMES.map((t) => timerIndex(t)), TIMER_NAMES.map((_, i) => i));
    for (const other of ['nonesuch', 'constructor', '__proto__', '', 'timeout.keepalive']) assert.equal(timerIndex(other), -1, other);
  });
});
