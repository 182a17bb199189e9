// Property tests of the role machines over random event sequences (fast-check;
// a failure prints the seed and the shrunk recipe list to replay it):
// no event throws, the host cache stays bounded and holds only supernode ids,
// a supernode never attaches more than `capacity` clients (and the seeded
// 'no-capacity-check' bug is caught), a client is never online without a
// credential, only public hosts serve, and the canonical encoding does not
// depend on key insertion order.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLES, encode, type Local } from '../models/index.js';
import { encodeLocal } from '../models/canonical.js';
import { indexClients } from '../models/supernode.js';
import type { BugName } from '../models/params.js';
import { SUPERNODE_IDS, runArb, walk } from './helpers/model-arbitraries.js';
import { configOf } from './helpers/model-events.js';
import { mulberry32 } from '../checker/sim/rng.js';

const RUNS = 300;
const ALL_BUGS: BugName[] = ['no-capacity-check', 'skip-credential-check', 'never-reattach', 'keep-dead-clients', 'promote-nat'];
const bugsExcept = (...off: BugName[]) => fc.subarray(ALL_BUGS.filter((b) => !off.includes(b)));
const { client, supernode } = ROLES;

/** Every state a run visits, checked by `check`; the message names the event index. */
const always = (role: typeof client, run: Parameters<typeof walk>[1], check: (l: Local<any>) => string | undefined) =>
  walk(role, run, (local, i, ev) => {
    const why = check(local);
    if (why) throw new Error(`${why} after event #${i} ${JSON.stringify(ev)} in state ${encode(local)}`);
  });

describe('models: properties over random event sequences', () => {
  for (const [name, role] of Object.entries(ROLES)) {
    it(`${name}: random event sequences never throw (and every step returns a known state)`, () => {
      fc.assert(fc.property(runArb(role, 60), (run) => {
        walk(role, run, (local) => assert.ok(role.stateNames.includes(local.value), `unknown state ${local.value}`));
      }), { numRuns: RUNS });
    });
  }

  it('client: the host cache never exceeds hostCacheMax and holds only supernode ids (host-cache-bound)', () => {
    const ids = new Set<string>(SUPERNODE_IDS);
    fc.assert(fc.property(runArb(client, 60), (run) => {
      always(client, run, ({ ctx }) => {
        if (ctx.hostCache.length > ctx.cfg.params.hostCacheMax) return `host cache ${JSON.stringify(ctx.hostCache)} exceeds hostCacheMax ${ctx.cfg.params.hostCacheMax}`;
        const stranger = ctx.hostCache.find((id: string) => !ids.has(id));
        if (stranger !== undefined) return `host cache holds ${stranger}, not a supernode id`;
        if (new Set(ctx.hostCache).size !== ctx.hostCache.length) return `host cache ${JSON.stringify(ctx.hostCache)} has duplicates`;
        return undefined;
      });
    }), { numRuns: RUNS });
  });

  it('client: never online without a credential (auth-before-service, client side)', () => {
    fc.assert(fc.property(runArb(client, 60), (run) => {
      always(client, run, (l) => (l.value === 'online' && l.ctx.credential === null ? 'online without a credential' : undefined));
    }), { numRuns: RUNS });
  });

  it('client: random walks do reach online (sanity: the properties above are not vacuous)', () => {
    let online = 0;
    fc.assert(fc.property(runArb(client, 60), (run) => { walk(client, run, (l) => { if (l.value === 'online') online++; }); }), { numRuns: RUNS, seed: 42 });
    assert.ok(online > 20, `only ${online} online states in ${RUNS} walks`);
  });

  const attachedAtMostCapacity = (l: Local<any>) =>
    l.ctx.clients.length > l.ctx.cfg.capacity ? `${l.ctx.clients.length} clients attached, capacity ${l.ctx.cfg.capacity}` : undefined;

  it('supernode: attached clients never exceed capacity (capacity), bugs other than no-capacity-check on', () => {
    let full = 0;
    fc.assert(fc.property(runArb(supernode, 60, bugsExcept('no-capacity-check')), (run) => {
      always(supernode, run, (l) => { if (l.ctx.cfg.capacity > 0 && l.ctx.clients.length === l.ctx.cfg.capacity) full++; return attachedAtMostCapacity(l); });
    }), { numRuns: RUNS });
    assert.ok(full > 20, `capacity reached only ${full} times: the property is close to vacuous`);
  });

  it('supernode: the derived lookup fields (clientIds, directory) always match clients, every bug on or off', () => {
    let registered = 0;
    fc.assert(fc.property(runArb(supernode, 60, bugsExcept()), (run) => {
      always(supernode, run, (l) => {
        const want = indexClients(l.ctx.clients);
        if (want.directory.length) registered++;
        return JSON.stringify([l.ctx.clientIds, l.ctx.directory]) === JSON.stringify([want.clientIds, want.directory])
          ? undefined : `derived fields ${JSON.stringify([l.ctx.clientIds, l.ctx.directory])} do not match clients ${JSON.stringify(l.ctx.clients)}`;
      });
    }), { numRuns: RUNS });
    assert.ok(registered > 20, `a registered client in only ${registered} states: the property is close to vacuous`);
  });

  it("supernode: the 'no-capacity-check' bug breaks capacity (fast-check finds a counterexample)", () => {
    const out = fc.check(fc.property(runArb(supernode, 60, fc.constant<BugName[]>(['no-capacity-check'])), (run) => {
      always(supernode, run, attachedAtMostCapacity);
    }), { numRuns: 1000, seed: 7 });
    assert.ok(out.failed, 'no counterexample found with the bug on');
    const [run] = out.counterexample!;
    assert.match(String(out.errorInstance), /clients attached, capacity/);
    assert.ok(run.recipes.length <= 10, `shrunk counterexample is short (${run.recipes.length} events)`);
  });

  const servesBehindNat = (l: Local<any>) =>
    !l.ctx.cfg.public && !['inactive', 'crashed'].includes(l.value) ? `supernode on a host behind NAT is ${l.value}` : undefined;

  it('supernode: a host behind NAT never runs a supernode (public-only-supernodes)', () => {
    fc.assert(fc.property(runArb(supernode, 40, bugsExcept('promote-nat')), (run) => { always(supernode, run, servesBehindNat); }), { numRuns: RUNS });
  });

  it("supernode: the 'promote-nat' bug breaks public-only-supernodes (fast-check finds a counterexample)", () => {
    const out = fc.check(fc.property(runArb(supernode, 40, fc.constant<BugName[]>(['promote-nat'])), (run) => {
      always(supernode, run, servesBehindNat);
    }), { numRuns: 1000, seed: 7 });
    assert.ok(out.failed, 'no counterexample found with the bug on');
  });

  it('canonical encoding is independent of key insertion order (at every depth)', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.values(ROLES)).chain((role) => fc.tuple(fc.constant(role), runArb(role, 30))), fc.integer(), ([role, run], seed) => {
      walk(role, run, (local) => {
        const shuffled = shuffleKeys(local.ctx, mulberry32(seed));
        assert.equal(encodeLocal(local.value, shuffled as object), encodeLocal(local.value, local.ctx));
      });
    }), { numRuns: RUNS });
  });

  it('canonical encoding tells different states apart (a changed nested field changes it)', () => {
    const l = client.init(configOf('c1'), 0).next;
    const a = encodeLocal('online', { ...l.ctx, credential: { user: 'u1', issuedAt: 0, expiresAt: 1, sig: 'a' } });
    const b = encodeLocal('online', { ...l.ctx, credential: { user: 'u1', issuedAt: 0, expiresAt: 2, sig: 'a' } });
    const c = encodeLocal('online', { ...l.ctx, credential: { sig: 'a', expiresAt: 1, issuedAt: 0, user: 'u1' } });
    assert.notEqual(a, b);
    assert.equal(a, c);
    assert.notEqual(encodeLocal('offline', l.ctx), encodeLocal('failed', l.ctx));
  });
});

/** A copy of `v` whose object keys are inserted in a random order at every level (arrays keep their order). */
function shuffleKeys(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  for (let i = keys.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [keys[i], keys[j]] = [keys[j], keys[i]]; }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = shuffleKeys((v as Record<string, unknown>)[k], rnd);
  return out;
}

