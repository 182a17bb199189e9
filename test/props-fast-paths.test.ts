// Shortcuts inside the property monitors (checker/props) against their plain
// definitions: the users who left a directory by a merge of two sorted
// `directory` arrays (not two Sets), and the memos of the reattach-within proviso (host-cache
// indices per client, supernode room per state object).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { departed } from '../checker/props/directory.js';
import { RoomMemo } from '../checker/props/response.js';
import type { SysState } from '../checker/system/state.js';
import type { Local } from '../models/index.js';
import type { System } from '../checker/system/system.js';

describe('props fast paths', () => {
  it('departed names each user of the first sorted directory missing from the second, once (a Set difference)', () => {
    const dir = fc.array(fc.constantFrom('u1', 'u10', 'u2', 'u3', 'ü4', 'U5'), { maxLength: 8 }).map((xs) => xs.sort());
    // The same string objects on both sides (as a step leaves them), or equal strings built anew.
    const fresh = (u: string) => [...u].join('');
    fc.assert(fc.property(dir, dir, fc.boolean(), (before, sameObjects, copy) => {
      const after = copy ? sameObjects.map(fresh) : sameObjects;
      const got: string[] = [];
      departed(before, after, { record: (u, sn, at) => { assert.deepEqual([sn, at], ['s9', 42]); got.push(u); } }, 's9', 42);
      const now = new Set(after);
      assert.deepEqual(got, [...new Set(before)].filter((u) => !now.has(u)));
    }), { numRuns: 3000 });
  });

  it('the reattach-within proviso\'s memos follow the host cache and the supernodes\' states', () => {
    const topo = { ids: ['c', 's1', 's2', 's3'], index: new Map(['c', 's1', 's2', 's3'].map((id, i) => [id, i])) } as unknown as System['topo'];
    const memo = new RoomMemo(topo);
    const cache = ['s2', 'nobody', 's1'];
    assert.deepEqual([...memo.indices(0, cache)], [2, -1, 1]);
    assert.equal(memo.indices(0, cache), memo.indices(0, cache), 'computed once per array');
    assert.deepEqual([...memo.indices(0, ['s3'])], [3], 'recomputed for a new array');
    const sn = (value: string, attached: number) => ({ value, ctx: { clients: new Array(attached).fill(null), cfg: { capacity: 2 } } }) as unknown as Local;
    const client = (hostCache: string[]) => ({ value: 'connecting', ctx: { hostCache } }) as unknown as Local;
    const st = { locals: [client(['s1', 'nobody', 's2', 's3']), sn('serving', 2), sn('down', 0), null] } as unknown as SysState;
    assert.equal(memo.liveRoom(0, st), null, 'full, down, absent');
    st.locals[2] = sn('serving', 1);
    assert.equal(memo.liveRoom(0, st), 's2', 'a new state is looked at again');
    st.locals[1] = sn('serving', 0);
    assert.equal(memo.liveRoom(0, st), 's1', 'the first in the cache');
    st.locals[1] = null;
    st.locals[2] = sn('serving', 2);
    assert.equal(memo.liveRoom(0, st), null);
    st.locals[0] = null;
    assert.equal(memo.liveRoom(0, st), null, 'an absent client');
  });
});
