// Unit tests of the client role, one per transition of PROTOCOL.md "Client"
// (test names: `client: <from> --<event>--> <to> (<what>)`), driven through the fast step.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { client, clientActions, type ClientContext } from '../models/client.js';
import { issueCredential } from '../models/effects.js';
import type { Local, ModelEvent } from '../models/index.js';
import type { Params } from '../models/params.js';
import { configOf, crash, deliver, drive, input, restart, timeout } from './helpers/model-events.js';

type L = Local<ClientContext>;
const KEY = 'k1';
const DAY = 24 * 3_600_000;
const cred = (now = 0, user = 'u1', life = DAY) => issueCredential(user, now, life, KEY);
const cfgWith = (hostCache = ['s1', 's2'], params: Params = {}, over = {}) => configOf('c1', { hostCache, ...over }, params);

const login = input({ kind: 'Login' });
const ack = (from: string, supernodes: string[] = [from], now = 0) => deliver(from, { kind: 'ConnectAck', supernodes }, now);
const reject = (from: string, reason: 'busy' | 'closing' = 'busy') => deliver(from, { kind: 'ConnectReject', reason });
const loginOk = (now = 0, c = cred(now)) => deliver('auth', { kind: 'LoginOk', credential: c }, now);

/** From `offline` through connect, login and register to `online` at s1. */
function online(params: Params = {}, over = {}): { local: L; cfg: ReturnType<typeof cfgWith> } {
  const cfg = cfgWith(['s1', 's2'], params, over);
  const d = drive(cfg, [login, ack('s1'), loginOk(0, cred(0, 'u1', cfg.params.credentialLifetime)), deliver('s1', { kind: 'RegisterAck' })]);
  assert.equal(d.last.value, 'online');
  return { local: d.last, cfg };
}
const step = (l: L, ev: ModelEvent) => client.step(l, ev);
const kinds = (out: readonly { to: string; msg: { kind: string } }[]) => out.map((o) => `${o.msg.kind}→${o.to}`);

describe('client (PROTOCOL.md "Client")', () => {
  it('client: initial state is offline, host cache from the config (at most hostCacheMax)', () => {
    const r = client.init(cfgWith(['s1', 's2', 's3'], { hostCacheMax: 2 }), 0);
    assert.equal(r.next.value, 'offline');
    assert.deepEqual(r.next.ctx.hostCache, ['s1', 's2']);
    assert.deepEqual(r.outbox, []);
  });

  it('client: offline --Login--> connecting (Connect to the first host-cache entry, connect timer)', () => {
    const d = drive(cfgWith(), [login]);
    assert.equal(d.last.value, 'connecting');
    assert.deepEqual(kinds(d.lastResult.outbox), ['Connect→s1']);
    assert.deepEqual(d.lastResult.armed, ['connect']);
    assert.equal(d.last.ctx.target, 's1');
  });

  it('client: offline --Login--> failed (empty host cache: nobody to connect to)', () => {
    const d = drive(cfgWith([]), [login]);
    assert.equal(d.last.value, 'failed');
    assert.deepEqual(d.lastResult.outbox, []);
  });

  it('client: connecting --ConnectAck--> authenticating (host cache merged, LoginRequest to auth)', () => {
    const d = drive(cfgWith(['s1']), [login, ack('s1', ['s1', 's2', 's3'])]);
    assert.equal(d.last.value, 'authenticating');
    assert.deepEqual(d.last.ctx.hostCache, ['s1', 's2', 's3']);
    assert.deepEqual(d.lastResult.outbox, [{ to: 'auth', msg: { kind: 'LoginRequest', user: 'u1', password: 'secret' } }]);
    assert.deepEqual(d.last.ctx.timers, ['login']);
  });

  it('client: connecting --ConnectAck--> host cache merge keeps at most hostCacheMax entries, no duplicates', () => {
    const d = drive(cfgWith(['s1', 's2'], { hostCacheMax: 3 }), [login, ack('s1', ['s2', 's1', 's4', 's5'])]);
    assert.deepEqual(d.last.ctx.hostCache, ['s1', 's2', 's4']);
  });

  it('client: connecting --ConnectAck(from another supernode)--> connecting (ignored)', () => {
    const d = drive(cfgWith(), [login, ack('s2')]);
    assert.equal(d.last.value, 'connecting');
    assert.deepEqual(d.lastResult.outbox, []);
  });

  it('client: connecting --ConnectAck(holding an unexpired credential)--> registering (reconnecting skips auth)', () => {
    const { local } = online();
    const r = step(step(local, deliver('s1', { kind: 'Closing' })).next, ack('s2', ['s2'], 1000));
    assert.equal(r.next.value, 'registering');
    assert.deepEqual(kinds(r.outbox), ['Register→s2']);
  });

  it('client: connecting --ConnectAck(credential expired)--> authenticating (log in again)', () => {
    const { local } = online({ credentialLifetime: 10_000 });
    const r = step(step(local, deliver('s1', { kind: 'Closing' }, 20_000)).next, ack('s2', ['s2'], 20_000));
    assert.equal(r.next.value, 'authenticating');
  });

  it('client: connecting --ConnectReject--> connecting (next host-cache entry)', () => {
    const d = drive(cfgWith(['s1', 's2', 's3']), [login, reject('s1')]);
    assert.equal(d.last.value, 'connecting');
    assert.equal(d.last.ctx.cursor, 1);
    assert.deepEqual(kinds(d.lastResult.outbox), ['Connect→s2']);
    assert.deepEqual(d.lastResult.armed, ['connect']);
  });

  it('client: connecting --ConnectReject(from another supernode)--> connecting (ignored)', () => {
    const d = drive(cfgWith(), [login, reject('s2')]);
    assert.equal(d.last.ctx.target, 's1');
    assert.deepEqual(d.lastResult.outbox, []);
  });

  it('client: connecting --timeout.connect--> connecting (no answer in connectTimeout: next host-cache entry)', () => {
    const d = drive(cfgWith(), [login, timeout('connect')]);
    assert.deepEqual(kinds(d.lastResult.outbox), ['Connect→s2']);
    assert.deepEqual(d.last.ctx.timers, ['connect']);
  });

  it('client: connecting --last entry fails--> retrying (attempts + 1, retry timer) --timeout.retry--> connecting (first entry again)', () => {
    const d = drive(cfgWith(), [login, reject('s1'), timeout('connect')]);
    assert.equal(d.last.value, 'retrying');
    assert.equal(d.last.ctx.attempts, 1);
    assert.deepEqual(d.last.ctx.timers, ['retry']);
    const r = step(d.last, timeout('retry'));
    assert.equal(r.next.value, 'connecting');
    assert.deepEqual(kinds(r.outbox), ['Connect→s1']);
  });

  it('client: connecting --maxAttempts rounds fail--> failed (login failure) --Login--> connecting', () => {
    const round = [reject('s1'), reject('s2')];
    const d = drive(cfgWith(['s1', 's2'], { maxAttempts: 3 }), [login, ...round, timeout('retry'), ...round, timeout('retry'), ...round]);
    assert.equal(d.last.value, 'failed');
    assert.equal(d.sent.filter((o) => o.msg.kind === 'Connect').length, 6, '3 rounds over 2 entries');
    assert.deepEqual(d.last.ctx.timers, []);
    assert.equal(step(d.last, login).next.value, 'connecting');
  });

  it('client: connecting --maxAttempts 1, last entry fails--> failed (no retry round)', () => {
    const d = drive(cfgWith(['s1'], { maxAttempts: 1 }), [login, timeout('connect')]);
    assert.equal(d.last.value, 'failed');
  });

  it('client: authenticating --LoginOk--> registering (credential kept, renew timer, Register{credential} to the supernode)', () => {
    const c = cred(5);
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(5, c)]);
    assert.equal(d.last.value, 'registering');
    assert.deepEqual(d.last.ctx.credential, c);
    assert.deepEqual(d.lastResult.outbox, [{ to: 's1', msg: { kind: 'Register', credential: c } }]);
    assert.deepEqual(d.last.ctx.timers, ['connect', 'renew']);
  });

  it('client: authenticating --LoginDenied--> offline (session ended, no timers)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), deliver('auth', { kind: 'LoginDenied', reason: 'bad-password' })]);
    assert.equal(d.last.value, 'offline');
    assert.equal(d.last.ctx.target, null);
    assert.deepEqual(d.last.ctx.timers, []);
  });

  it('client: authenticating --LoginBusy--> authWaiting (retryWait) --timeout.retry--> authenticating (LoginRequest again)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), deliver('auth', { kind: 'LoginBusy' })]);
    assert.equal(d.last.value, 'authWaiting');
    assert.equal(d.last.ctx.loginTries, 1);
    assert.deepEqual(d.last.ctx.timers, ['retry']);
    const r = step(d.last, timeout('retry'));
    assert.equal(r.next.value, 'authenticating');
    assert.deepEqual(kinds(r.outbox), ['LoginRequest→auth']);
  });

  it('client: authenticating --timeout.login--> authWaiting (auth silent: retry later)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), timeout('login')]);
    assert.equal(d.last.value, 'authWaiting');
  });

  it('client: authenticating --LoginBusy × maxAttempts--> failed', () => {
    const busy = deliver('auth', { kind: 'LoginBusy' });
    const d = drive(cfgWith(['s1'], { maxAttempts: 3 }), [login, ack('s1'), busy, timeout('retry'), busy, timeout('retry'), timeout('login')]);
    assert.equal(d.last.value, 'failed');
    assert.equal(d.sent.filter((o) => o.msg.kind === 'LoginRequest').length, 3);
  });

  it('client: registering --RegisterAck--> online (keepalive timer, OfflineImFetch to im once)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(), deliver('s1', { kind: 'RegisterAck' })]);
    assert.equal(d.last.value, 'online');
    assert.deepEqual(d.lastResult.outbox, [{ to: 'im', msg: { kind: 'OfflineImFetch' } }]);
    assert.deepEqual(d.last.ctx.timers, ['im', 'keepalive', 'renew']);
    assert.equal(d.last.ctx.im, 'waiting');
  });

  it('client: registering --RegisterAck(from another supernode)--> registering (ignored)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(), deliver('s2', { kind: 'RegisterAck' })]);
    assert.equal(d.last.value, 'registering');
  });

  it('client: registering --RegisterReject(busy)--> connecting (next supernode, credential kept)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(), deliver('s1', { kind: 'RegisterReject', reason: 'busy' })]);
    assert.equal(d.last.value, 'connecting');
    assert.deepEqual(kinds(d.lastResult.outbox), ['Connect→s2']);
    assert.notEqual(d.last.ctx.credential, null);
  });

  it('client: registering --RegisterReject(bad-credential)--> connecting (next supernode, credential dropped: log in again)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(), deliver('s1', { kind: 'RegisterReject', reason: 'bad-credential' })]);
    assert.equal(d.last.value, 'connecting');
    assert.equal(d.last.ctx.credential, null);
    assert.ok(!d.last.ctx.timers.includes('renew'));
    assert.equal(step(d.last, ack('s2')).next.value, 'authenticating');
  });

  it('client: registering --RegisterReject(last entry)--> retrying', () => {
    const d = drive(cfgWith(['s1']), [login, ack('s1'), loginOk(), deliver('s1', { kind: 'RegisterReject', reason: 'busy' })]);
    assert.equal(d.last.value, 'retrying');
  });

  it('client: registering --timeout.connect--> connecting (next supernode)', () => {
    const d = drive(cfgWith(), [login, ack('s1'), loginOk(), timeout('connect')]);
    assert.equal(d.last.value, 'connecting');
    assert.equal(d.last.ctx.target, 's2');
  });

  it('client: online --timeout.keepalive--> online (Keepalive to the upstream, re-armed, missed + 1)', () => {
    const { local } = online();
    const r = step(local, timeout('keepalive'));
    assert.equal(r.next.value, 'online');
    assert.deepEqual(kinds(r.outbox), ['Keepalive→s1']);
    assert.deepEqual(r.armed, ['keepalive']);
    assert.equal(r.next.ctx.missed, 1);
  });

  it('client: online --KeepaliveAck--> online (missed back to 0)', () => {
    const { local } = online();
    const r = step(step(local, timeout('keepalive')).next, deliver('s1', { kind: 'KeepaliveAck' }));
    assert.equal(r.next.ctx.missed, 0);
  });

  it('client: online --3 missed keepalives--> connecting (self-healing reattach, same credential, old upstream last in the host cache)', () => {
    const { local } = online({ missedKeepalives: 3 });
    const d = drive(local.ctx.cfg, [timeout('keepalive'), timeout('keepalive'), timeout('keepalive')], 0, local);
    assert.equal(d.last.value, 'online');
    const r = step(d.last, timeout('keepalive'));
    assert.equal(r.next.value, 'connecting');
    assert.deepEqual(r.next.ctx.hostCache, ['s2', 's1']);
    assert.deepEqual(kinds(r.outbox), ['Connect→s2']);
    assert.deepEqual(r.next.ctx.credential, local.ctx.credential);
    assert.equal(step(r.next, ack('s2')).next.value, 'registering');
  });

  it('client: online --Closing--> connecting (the supernode sheds its clients: reattach elsewhere)', () => {
    const { local } = online();
    const r = step(local, deliver('s1', { kind: 'Closing' }));
    assert.equal(r.next.value, 'connecting');
    assert.equal(r.next.ctx.target, 's2');
    assert.deepEqual(r.next.ctx.timers, ['connect', 'im', 'renew']);
  });

  it('client: online --Closing(from another supernode)--> online (ignored)', () => {
    const { local } = online();
    assert.equal(step(local, deliver('s2', { kind: 'Closing' })).next.value, 'online');
  });

  it("client: online --Closing / missed keepalives--> online with bug 'never-reattach' (the seeded defect)", () => {
    const { local } = online({ bugs: ['never-reattach'], missedKeepalives: 1 });
    assert.equal(step(local, deliver('s1', { kind: 'Closing' })).next.value, 'online');
    const d = drive(local.ctx.cfg, [timeout('keepalive'), timeout('keepalive'), timeout('keepalive')], 0, local);
    assert.equal(d.last.value, 'online');
  });

  it('client: online --input.Lookup--> online (Lookup to the upstream)', () => {
    const { local } = online();
    const r = step(local, input({ kind: 'Lookup', user: 'u2' }));
    assert.deepEqual(r.outbox, [{ to: 's1', msg: { kind: 'Lookup', user: 'u2' } }]);
  });

  it('client: online --timeout.renew--> online (renewal: LoginRequest to auth) --LoginOk--> new credential, renew re-armed', () => {
    const { local } = online();
    const r = step(local, timeout('renew', 1000));
    assert.deepEqual(kinds(r.outbox), ['LoginRequest→auth']);
    assert.deepEqual(r.next.ctx.timers, ['im', 'keepalive', 'login']);
    const fresh = cred(2000);
    const r2 = step(r.next, loginOk(2000, fresh));
    assert.equal(r2.next.value, 'online');
    assert.deepEqual(r2.next.ctx.credential, fresh);
    assert.deepEqual(r2.next.ctx.timers, ['im', 'keepalive', 'renew']);
  });

  it('client: online --renewal LoginBusy or timeout.login--> online (retry timer: ask again after retryWait, credential kept) --timeout.retry--> LoginRequest', () => {
    const { local } = online();
    const asked = step(local, timeout('renew')).next;
    for (const ev of [deliver('auth', { kind: 'LoginBusy' }), timeout('login')]) {
      const r = step(asked, ev);
      assert.equal(r.next.value, 'online');
      assert.deepEqual(r.armed, ['retry']);
      assert.deepEqual(r.next.ctx.credential, local.ctx.credential);
      const again = step(r.next, timeout('retry'));
      assert.deepEqual(kinds(again.outbox), ['LoginRequest→auth']);
      assert.ok(again.next.ctx.timers.includes('login'));
    }
  });

  it('client: online --any event at or after expiresAt--> authenticating (renewal never came back: expired credential dropped, LoginRequest to auth)', () => {
    const { local } = online();
    const expires = local.ctx.credential!.expiresAt;
    // Auth busy for longer than renewBefore: the renewal is refused until the credential expires.
    const asked = step(local, timeout('renew', expires - 10_000)).next;
    const refused = step(asked, deliver('auth', { kind: 'LoginBusy' }, expires - 9_000)).next;
    assert.equal(refused.value, 'online', 'still valid: stays online');
    const r = step(refused, deliver('s1', { kind: 'KeepaliveAck' }, expires));
    assert.equal(r.next.value, 'authenticating');
    assert.equal(r.next.ctx.credential, null);
    assert.equal(r.next.ctx.loginTries, 0);
    assert.deepEqual(kinds(r.outbox), ['LoginRequest→auth']);
    assert.deepEqual(r.next.ctx.timers, ['im', 'login'], 'keepalive, retry and renew disarmed; login armed');
    // An event no state handles also ends it (an eventless transition reads the event's time).
    const odd = step(refused, deliver('s2', { kind: 'PeerAck' }, expires + 1));
    assert.equal(odd.next.value, 'authenticating');
    // A moment earlier nothing changes.
    assert.equal(step(refused, deliver('s1', { kind: 'KeepaliveAck' }, expires - 1)).next.value, 'online');
  });

  it('client: connecting --timeout.renew--> connecting (renewal due while reattaching) ... --RegisterAck--> online (LoginRequest at once)', () => {
    const { local } = online({ missedKeepalives: 1 });
    const d = drive(local.ctx.cfg, [timeout('keepalive'), timeout('keepalive')], 0, local);
    assert.equal(d.last.value, 'connecting');
    const due = step(d.last, timeout('renew'));
    assert.equal(due.next.value, 'connecting');
    assert.ok(!due.next.ctx.timers.includes('renew'), 'the fired renew timer is no longer armed');
    const back = drive(local.ctx.cfg, [ack('s2'), deliver('s2', { kind: 'RegisterAck' })], 0, due.next);
    assert.equal(back.last.value, 'online');
    assert.ok(back.last.ctx.timers.includes('login'));
    // Without the due renewal, going back online asks auth nothing.
    const plain = drive(local.ctx.cfg, [ack('s2'), deliver('s2', { kind: 'RegisterAck' })], 0, d.last);
    assert.ok(!plain.last.ctx.timers.includes('login'));
    assert.ok(plain.last.ctx.timers.includes('renew'));
  });

  it('client: online --Logout--> offline (Unregister to the upstream, credential dropped)', () => {
    const { local } = online();
    const r = step(local, input({ kind: 'Logout' }));
    assert.equal(r.next.value, 'offline');
    assert.deepEqual(kinds(r.outbox), ['Unregister→s1']);
    assert.equal(r.next.ctx.credential, null);
    assert.deepEqual(r.next.ctx.timers, []);
  });

  it('client: online --OfflineImBatch in time--> online (im done, not fetched again after a reattach)', () => {
    const { local } = online();
    const done = step(local, deliver('im', { kind: 'OfflineImBatch', count: 2 })).next;
    assert.equal(done.ctx.im, 'done');
    assert.ok(!done.ctx.timers.includes('im'));
    const d = drive(done.ctx.cfg, [deliver('s1', { kind: 'Closing' }), ack('s2'), deliver('s2', { kind: 'RegisterAck' })], 0, done);
    assert.equal(d.last.value, 'online');
    assert.ok(!d.sent.some((o) => o.msg.kind === 'OfflineImFetch'));
  });

  it('client 5.0.0.152: late OfflineImBatch --> crashed (the 2010 bug)', () => {
    const { local } = online({}, { version: '5.0.0.152' });
    const late = step(local, timeout('im')).next;
    assert.equal(late.ctx.im, 'late');
    const r = step(late, deliver('im', { kind: 'OfflineImBatch', count: 0 }));
    assert.equal(r.next.value, 'crashed');
    assert.equal(r.next.ctx.credential, null);
    assert.deepEqual(r.next.ctx.timers, []);
  });

  it('client 5.0.0.152: OfflineImBatch in time --> online (only a late reply crashes)', () => {
    const { local } = online({}, { version: '5.0.0.152' });
    assert.equal(step(local, deliver('im', { kind: 'OfflineImBatch', count: 0 })).next.value, 'online');
  });

  it('client 5.0.0.152: late OfflineImBatch while reattaching --> crashed (the reply is late in any state)', () => {
    const { local } = online({}, { version: '5.0.0.152' });
    const d = drive(local.ctx.cfg, [timeout('im'), deliver('s1', { kind: 'Closing' }), deliver('im', { kind: 'OfflineImBatch', count: 0 })], 0, local);
    assert.equal(d.last.value, 'crashed');
  });

  it('client 5.0.0.156: late OfflineImBatch ignored (stays online, im done)', () => {
    const { local } = online({}, { version: '5.0.0.156' });
    const r = step(step(local, timeout('im')).next, deliver('im', { kind: 'OfflineImBatch', count: 0 }));
    assert.equal(r.next.value, 'online');
    assert.equal(r.next.ctx.im, 'done');
  });

  it('client: buggyVersions is a parameter (5.0.0.156 listed → it crashes too)', () => {
    const { local } = online({ buggyVersions: ['5.0.0.156'] }, { version: '5.0.0.156' });
    const r = step(step(local, timeout('im')).next, deliver('im', { kind: 'OfflineImBatch', count: 0 }));
    assert.equal(r.next.value, 'crashed');
  });

  it('client: <any state> --crash--> crashed (memory lost, host cache kept on disk)', () => {
    const { local } = online();
    const merged = step(drive(local.ctx.cfg, [login]).last, crash());
    assert.equal(merged.next.value, 'crashed');
    const r = step(local, crash());
    assert.equal(r.next.value, 'crashed');
    assert.deepEqual(r.next.ctx.hostCache, local.ctx.hostCache);
    assert.equal(r.next.ctx.target, null);
    assert.equal(r.next.ctx.credential, null);
    assert.deepEqual(r.next.ctx.timers, []);
    assert.deepEqual(r.outbox, []);
  });

  it('client: crashed --restart--> connecting (the client logs in again by itself, upSince = now)', () => {
    const { local } = online();
    const r = step(step(local, crash(10)).next, restart(70_000));
    assert.equal(r.next.value, 'connecting');
    assert.equal(r.next.ctx.upSince, 70_000);
    assert.deepEqual(kinds(r.outbox), ['Connect→s1']);
  });

  it('client: crashed ignores crash, OfflineImBatch and messages (no answers from a dead host)', () => {
    const down = step(online().local, crash()).next;
    for (const ev of [crash(), deliver('im', { kind: 'OfflineImBatch', count: 0 }), deliver('s1', { kind: 'KeepaliveAck' }), login]) {
      const r = step(down, ev);
      assert.equal(r.next.value, 'crashed');
      assert.deepEqual(r.outbox, []);
    }
  });
});

describe('client host-cache merge (mergeHostCache, with its memo of acks already merged)', () => {
  /** The merge as PROTOCOL.md states it: each id of the ack not yet named appended, while the cache holds fewer than max. */
  const reference = (cache: readonly string[], ids: readonly string[], max: number): readonly string[] => {
    const out = [...cache];
    for (const id of ids) if (out.length < max && !out.includes(id)) out.push(id);
    return out;
  };

  it('gives what the plain merge gives, whatever acks, caches and maxima come again (a property)', () => {
    const pool = Array.from({ length: 12 }, (_, i) => `s${i}`);
    fc.assert(fc.property(
      // A few shared, frozen acks (as supernodes send them), and merges of them into a few clients' caches.
      fc.array(fc.subarray(pool, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ client: fc.nat(3), ack: fc.nat(3), max: fc.integer({ min: 1, max: 14 }) }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.subarray(pool, { maxLength: 8 }), { minLength: 4, maxLength: 4 }),
      (ackIds, merges, starts) => {
        const acks = ackIds.map((ids) => Object.freeze({ kind: 'ConnectAck' as const, supernodes: Object.freeze(ids) }));
        const caches = starts.map((s) => s as readonly string[]);
        for (const m of merges) {
          const ack = acks[m.ack % acks.length];
          const d = { hostCache: caches[m.client], cfg: { params: { hostCacheMax: m.max } } } as unknown as ClientContext;
          clientActions.mergeHostCache(d, { type: 'ConnectAck', from: ack.supernodes[0], msg: ack, now: 0 } as ModelEvent, undefined);
          const want = reference(caches[m.client], ack.supernodes, m.max);
          assert.deepEqual(d.hostCache, want);
          // Unchanged means the same array (a cache is never written: a change makes a new one).
          if (want.length === caches[m.client].length) assert.equal(d.hostCache, caches[m.client]);
          caches[m.client] = d.hostCache;
        }
      },
    ), { seed: 7, numRuns: 500 });
  });
});
