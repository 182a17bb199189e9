// Shortcuts inside the property monitors (checker/props) against their plain
// definitions: the directory monitor's comparison of two client lists (by
// identity first), and the host-cache indices cached per array for the
// reattach-within proviso (per topology).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { sameRegistrations } from '../checker/props/directory.js';
import { indicesOf } from '../checker/props/response.js';
import type { SupernodeContext } from '../models/index.js';
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

  it('a host cache\'s indices follow the topology they are asked for', () => {
    const sys = (ids: string[]) => ({ topo: { index: new Map(ids.map((id, i) => [id, i])) } }) as unknown as System;
    const cache = ['s2', 'nobody', 's1'];
    const one = sys(['s1', 's2']);
    const two = sys(['c', 's2', 'x', 's1']);
    assert.deepEqual([...indicesOf(cache, one)], [1, -1, 0]);
    assert.equal(indicesOf(cache, one), indicesOf(cache, one), 'computed once per array');
    assert.deepEqual([...indicesOf(cache, two)], [1, -1, 3]);
    assert.deepEqual([...indicesOf(cache, one)], [1, -1, 0]);
  });
});
