// The checker's timer queues (checker/conform/timers.ts) as `snc check` uses
// them: each timer name with its own duration, armed at a time that never goes
// back, re-armed often (stale entries), queues growing and compacting. Fired in
// (deadline, arming order), as a reference that keeps every arming says.
import assert from 'node:assert/strict';
import { TimerHeap } from '../checker/conform/timers.js';
import type { TimerName } from '../schemas/generated/trace.js';

const TIMERS: TimerName[] = ['connect', 'retry', 'login', 'keepalive', 'renew', 'im', 'query', 'warmup', 'cooldown', 'loadWindow', 'join', 'reply'];
const DURATION = [5, 3, 7, 10, 40, 2, 4, 9, 11, 6, 5, 1];

describe('checker timer queues', () => {
  it('fire live timers in (deadline, arming order) under the checker\'s pattern, many actors and re-armings', () => {
    let seed = 7;
    const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
    const q = new TimerHeap();
    const ref = new Map<number, { at: number; seq: number; key: string }>();
    let seq = 0;
    let now = 0;
    let fired = 0;
    for (let step = 0; step < 60_000; step++) {
      if (rand() < 0.6) {
        const idx = Math.floor(rand() * 500);
        const k = Math.floor(rand() * TIMERS.length);
        const at = now + DURATION[k];
        q.arm(idx, TIMERS[k], at);
        ref.set(idx * 16 + k, { at, seq: seq++, key: `${idx}:${TIMERS[k]}@${at}` });
        continue;
      }
      now += Math.floor(rand() * 3);
      const due = [...ref.entries()].filter(([, e]) => e.at < now).sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq);
      const got: string[] = [];
      for (let s = q.popDue(now); s >= 0; s = q.popDue(now)) got.push(`${q.actorOf(s)}:${q.timerOf(s)}@${q.atOf(s)}`);
      assert.deepEqual(got, due.map(([, e]) => e.key));
      for (const [s] of due) ref.delete(s);
      fired += got.length;
      assert.equal(q.size, ref.size);
    }
    assert.ok(fired > 10_000);
  });
});
