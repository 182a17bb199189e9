// Shortcuts inside the property monitors (checker/props) against their plain
// definitions: the users who left a directory by a merge of two sorted
// `directory` arrays (not two Sets), the memos of the reattach-within proviso (host-cache
// indices per client, supernode room per state object), and host-cache-bound looking up only
// the entries appended to a cache it found holding supernodes only; and actorIndex, the
// lookup of an id among the servers first (checker/system/topology.ts).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { departed } from '../checker/props/directory.js';
import { RoomMemo } from '../checker/props/response.js';
import { hostCacheBound } from '../checker/props/safety.js';
import { observation } from '../checker/system/system.js';
import type { SysState } from '../checker/system/state.js';
import type { Local } from '../models/index.js';
import type { System } from '../checker/system/system.js';
import { CLIENT, ROLE_NAMES, SUPERNODE, actorIndex, topology } from '../checker/system/topology.js';
import type { Actor } from '../schemas/generated/trace.js';

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

  it('host-cache-bound judges every change of a cache as its definition does, appended to or not', () => {
    // c1, c2 clients; s1–s3 supernodes; 'nobody' no known actor (not judged); hostCacheMax 4.
    const ids = ['c1', 'c2', 's1', 's2', 's3'];
    const topo = {
      ids, index: new Map(ids.map((id, i) => [id, i])), roles: ['client', 'client', 'supernode', 'supernode', 'supernode'],
      roleCode: Uint8Array.from([CLIENT, CLIENT, SUPERNODE, SUPERNODE, SUPERNODE]),
      supernodeIds: new Set(['s1', 's2', 's3']),
    };
    const sys = { topo } as unknown as System;
    const mon = hostCacheBound.create({ within: 0, measure: 'global' });
    const m = mon.init();
    const cfg = { id: 'c1', params: { hostCacheMax: 4 } };
    const local = (hostCache: readonly string[]) => ({ value: 'connecting', ctx: { cfg, hostCache } }) as unknown as Local;
    const plain = (cache: readonly string[]) => cache.length > 4 || cache.some((id) => topo.index.has(id) && !topo.supernodeIds.has(id));
    // Each step: ids appended to a copy of the cache (as a ConnectAck does), or a new cache.
    const step = fc.record({ append: fc.boolean(), ids: fc.array(fc.constantFrom('s1', 's2', 's3', 'nobody', 'c2'), { maxLength: 3 }) });
    fc.assert(fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
      let cache: readonly string[] = ['s1'];
      for (const { append, ids: add } of steps) {
        const next = append ? [...cache, ...add] : add;
        const o = observation({ type: 'deliver', t: 0, mid: 1 }, 'deliver', undefined, undefined, undefined, [{ idx: 0, before: local(cache), after: local(next) }], true);
        const v = mon.observe(m, o, {} as SysState, sys);
        assert.equal(v !== null, cache !== next && plain(next), JSON.stringify([cache, next]));
        cache = next;
      }
    }), { numRuns: 2000 });
  });

  it('the reattach-within proviso\'s memos follow the host cache and the supernodes\' states', () => {
    const ids = ['c', 's1', 's2', 's3'];
    const topo = { ids, index: new Map(ids.map((id, i) => [id, i])), serverIndex: new Map(ids.slice(1).map((id, i) => [id, i + 1])) } as unknown as System['topo'];
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

  it('the proviso\'s host-cache indices follow any sequence of caches, appended to or not (a property)', () => {
    const ids = ['c', 's1', 's2', 's3', 's4'];
    const topo = { ids, index: new Map(ids.map((id, i) => [id, i])), serverIndex: new Map(ids.slice(1).map((id, i) => [id, i + 1])) } as unknown as System['topo'];
    const pool = [...ids.slice(1), 'nobody'];
    fc.assert(fc.property(fc.array(fc.record({ append: fc.boolean(), ids: fc.array(fc.constantFrom(...pool), { maxLength: 4 }) }), { minLength: 1, maxLength: 12 }), (steps) => {
      const memo = new RoomMemo(topo);
      let cache: readonly string[] = [];
      for (const { append, ids: add } of steps) {
        // Appended: a new array that starts with the old one's strings (as mergeHostCache makes it); else any list.
        cache = append ? [...cache, ...add] : add;
        assert.deepEqual([...memo.indices(0, cache)], cache.map((id) => topo.index.get(id) ?? -1));
      }
    }), { numRuns: 1000 });
  });

  it('actorIndex finds every actor as the index of all does, and nothing for an unknown id; roleCode names each role', () => {
    const roles = ['client', 'supernode', 'auth', 'im'] as const;
    fc.assert(fc.property(fc.array(fc.constantFrom(...roles), { maxLength: 12 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 5 }), (rs, probes) => {
      const topo = topology(rs.map((role, i) => ({ id: `${role[0]}${i}`, role, host: `h${i}` }) as Actor));
      for (const id of [...topo.ids, ...probes]) assert.equal(actorIndex(topo, id), topo.index.get(id), id);
      assert.deepEqual([...topo.serverIndex.keys()], topo.ids.filter((_, i) => topo.roles[i] !== 'client'));
      assert.deepEqual([...topo.roleCode].map((k) => ROLE_NAMES[k]), topo.roles);
    }));
  });
});
