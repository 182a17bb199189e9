// The fast paths of `snc check` (issue #5) against plain reference versions:
// the timer heap fires timers in the order a naive list sorted by (deadline,
// arming order) would; message matching agrees with comparing the canonical
// JSON; the trace schema itself is a valid JSON Schema (ajv no longer checks it
// at every start); the lazily compiled event validators behave as the eagerly
// compiled ones did.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import { TimerHeap } from '../checker/conform/timers.js';
import { messageMatches } from '../checker/conform/match.js';
import { canonicalJson } from '../models/canonical.js';
import { traceValidators } from '../checker/trace/schema.js';
import type { Message, TimerName } from '../schemas/generated/trace.js';

const TIMERS: TimerName[] = ['connect', 'retry', 'login', 'keepalive', 'renew', 'im'];

describe('snc check fast paths', () => {
  it('the timer heap fires live timers in (deadline, arming order), re-armed timers once', () => {
    type Op = { arm: true; idx: number; tm: number; d: number } | { arm: false; dt: number };
    const op = fc.oneof(
      fc.record({ arm: fc.constant(true as const), idx: fc.nat(40), tm: fc.nat(TIMERS.length - 1), d: fc.nat(50) }),
      fc.record({ arm: fc.constant(false as const), dt: fc.nat(30) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops: Op[]) => {
      const heap = new TimerHeap();
      // Reference: every arming kept, the latest one per (actor, timer) live.
      const ref = new Map<string, { at: number; seq: number; idx: number; tm: TimerName }>();
      let seq = 0;
      let now = 0;
      for (const o of ops) {
        if (o.arm) {
          const tm = TIMERS[o.tm];
          heap.arm(o.idx, tm, now + o.d);
          ref.set(`${o.idx}:${tm}`, { at: now + o.d, seq: seq++, idx: o.idx, tm });
          assert.equal(heap.deadline(o.idx, tm), now + o.d);
          continue;
        }
        now += o.dt;
        const due = [...ref.values()].filter((e) => e.at < now).sort((a, b) => a.at - b.at || a.seq - b.seq);
        const got: string[] = [];
        for (let s = heap.popDue(now); s >= 0; s = heap.popDue(now)) got.push(`${heap.actorOf(s)}:${heap.timerOf(s)}@${heap.atOf(s)}`);
        assert.deepEqual(got, due.map((e) => `${e.idx}:${e.tm}@${e.at}`));
        for (const e of due) ref.delete(`${e.idx}:${e.tm}`);
        assert.equal(heap.size, ref.size);
      }
    }), { numRuns: 300 });
    assert.equal(new TimerHeap().deadline(3, 'connect'), undefined);
  });

  it('messageMatches agrees with comparing canonical JSON (kinds without special rules)', () => {
    const str = fc.constantFrom('a', 'b', 'alice', '');
    const msg = fc.oneof(
      fc.record({ kind: fc.constant('LoginRequest'), user: str, password: str }),
      fc.record({ kind: fc.constant('Lookup'), user: str }),
      fc.record({ kind: fc.constant('LookupResult'), user: str, supernode: fc.option(str, { nil: null }) }),
      fc.record({ kind: fc.constant('Register'), credential: fc.record({ user: str, issuedAt: fc.nat(3), expiresAt: fc.nat(3), sig: str }) }),
      fc.record({ kind: fc.constant('ConnectReject'), reason: fc.constantFrom('busy', 'closing') }),
      fc.record({ kind: fc.constant('LoginDenied'), reason: fc.constantFrom('bad-password', 'unknown-user') }),
      fc.record({ kind: fc.constant('RegisterReject'), reason: fc.constantFrom('bad-credential', 'busy') }),
    ) as fc.Arbitrary<Message>;
    fc.assert(fc.property(msg, msg, fc.boolean(), (a, b, same) => {
      // Also a structurally equal copy with its keys in another order.
      const y = same ? (JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a).reverse()))) as Message) : b;
      assert.equal(messageMatches(a, y), canonicalJson(a) === canonicalJson(y));
    }), { numRuns: 500 });
  });

  it('ConnectAck lists match as sets, in any order', () => {
    const ack = (supernodes: string[]) => ({ kind: 'ConnectAck', supernodes }) as Message;
    assert.ok(messageMatches(ack(['s1', 's2']), ack(['s1', 's2'])));
    assert.ok(messageMatches(ack(['s1', 's2']), ack(['s2', 's1'])));
    assert.ok(!messageMatches(ack(['s1', 's2']), ack(['s1'])));
    assert.ok(!messageMatches(ack(['s1', 's1']), ack(['s1', 's2'])));
  });

  it('the trace schema is a valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ discriminator: true, strict: true, strictTypes: false });
    assert.equal(ajv.validateSchema(traceSchema), true, JSON.stringify(ajv.errors));
  });

  it('event validators compiled on demand: per type for a known type, the union for an unknown one', () => {
    const v = traceValidators();
    const send = v.eventFor('send');
    assert.equal(v.eventFor('send'), send, 'compiled once');
    assert.ok(send({ type: 'send', t: 1, from: 'c1', to: 's1', mid: 'm1', msg: { kind: 'Connect' } }));
    assert.ok(!send({ type: 'send', t: 1, from: 'c1', to: 's1', mid: 'm1' }));
    for (const odd of ['nope', '__proto__', 'constructor', undefined, 3]) assert.equal(v.eventFor(odd), v.event);
    assert.ok(!v.event({ type: 'nope', t: 1 }));
    assert.equal(v.event.errors?.[0]?.keyword, 'discriminator');
  });
});
