// Shortcuts inside the property monitors (checker/props) against their plain
// definitions: the directory monitor's comparison of two client lists (by
// identity first), the users who left a directory by a merge of two sorted
// `directory` arrays (not two Sets), and the memos of the reattach-within proviso (host-cache
// indices per client, supernode room per state object).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { departed, sameRegistrations } from '../checker/props/directory.js';
import { RoomMemo } from '../checker/props/response.js';
import type { SysState } from '../checker/system/state.js';
import type { Local, SupernodeContext } from '../models/index.js';
import type { System } from '../checker/system/system.js';

type Attachment = SupernodeContext['clients'][number];
const att = (client: string, user: string | null, silent = 0): Attachment => ({ client, user, expiresAt: 0, silent });
const users = (l: readonly Attachment[]) => l.filter((a) => a.user !== null).map((a) => a.user);

describe('props fast paths', () => {
  it('sameRegistrations is "the same registered users in the same order", whatever the lists share', () => {
    const entry = fc.record({ client: fc.constantFrom('c1', 'c2', 'c3'), user: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }), silent: fc.nat(3) });
    fc.assert(fc.property(fc.array(entry, { maxLength: 6 }), fc.array(fc.tuple(fc.nat(2), entry), { maxLength: 6 }), (as, edits) => {
      const a = as.map((e) => att(e.client, e.user, e.silent));
      // b: a copy of a with some entries kept (same object), some replaced, some dropped or added.
      const b: Attachment[] = [];
      a.forEach((x, i) => {
        const e = edits[i];
        if (!e || e[0] === 0) b.push(x);
        else if (e[0] === 1) b.push(att(e[1].client, e[1].user, e[1].silent));
      });
      for (const e of edits.slice(a.length)) b.push(att(e[1].client, e[1].user, e[1].silent));
      assert.equal(sameRegistrations(a, b), JSON.stringify(users(a)) === JSON.stringify(users(b)));
      assert.equal(sameRegistrations(a, undefined), false);
    }), { numRuns: 2000 });
  });

  it('departed names each user of the first sorted directory missing from the second, once (a Set difference)', () => {
    const dir = fc.array(fc.constantFrom('u1', 'u10', 'u2', 'u3', 'ü4', 'U5'), { maxLength: 8 }).map((xs) => xs.sort());
    fc.assert(fc.property(dir, dir, (before, after) => {
      const got: string[] = [];
      departed(before, after, (u) => got.push(u));
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
