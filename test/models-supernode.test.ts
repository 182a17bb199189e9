// Unit tests of the supernode role, one per transition of PROTOCOL.md
// "Supernode" and "Promotion" (test names: `supernode: <from> --<event>--> <to> (<what>)`).
import assert from 'node:assert/strict';
import { supernode, type SupernodeContext } from '../models/supernode.js';
import { issueCredential } from '../models/effects.js';
import type { Local, ModelEvent } from '../models/index.js';
import type { Actor } from '../models/types.js';
import type { Params } from '../models/params.js';
import { configOf, crash, deliver, drive, input, restart, timeout } from './helpers/model-events.js';

type L = Local<SupernodeContext>;
const DAY = 24 * 3_600_000;
const H = 3_600_000;
const cred = (user: string, now = 0, life = DAY, key = 'k1') => issueCredential(user, now, life, key);
const snCfg = (over: Partial<Actor> = {}, params: Params = {}, extra: Actor[] = []) => configOf('s1', { peers: ['s2', 's3'], ...over }, params, extra);
const step = (l: L, ev: ModelEvent) => supernode.step(l, ev);
const kinds = (out: readonly { to: string; msg: { kind: string } }[]) => out.map((o) => `${o.msg.kind}→${o.to}`);
const connect = (c: string, now = 0) => deliver(c, { kind: 'Connect' }, now);
const register = (c: string, now = 0, credential = cred(`u${c.slice(1)}`, now)) => deliver(c, { kind: 'Register', credential }, now);

/** A supernode that joined the mesh (PeerAck from s2) and serves. */
function serving(over: Partial<Actor> = {}, params: Params = {}): L {
  const d = drive(snCfg(over, { overloadThreshold: 1000, ...params }), [deliver('s2', { kind: 'PeerAck' })]);
  assert.equal(d.last.value, 'serving');
  return d.last;
}
/** `serving()` with clients c1.. attached and registered. */
function withClients(ids: string[], over: Partial<Actor> = {}, params: Params = {}): L {
  const l = serving(over, params);
  return drive(l.ctx.cfg, ids.flatMap((c) => [connect(c), register(c)]), 0, l).last;
}

describe('supernode (PROTOCOL.md "Supernode")', () => {
  it('supernode: boot --> joining (PeerHello to every known supernode, join timer)', () => {
    const r = supernode.init(snCfg(), 0);
    assert.equal(r.next.value, 'joining');
    assert.deepEqual(kinds(r.outbox), ['PeerHello→s2', 'PeerHello→s3']);
    assert.deepEqual(r.armed, ['join']);
  });

  it('supernode: boot --mega--> serving (mega-supernodes start serving at once)', () => {
    const r = supernode.init(snCfg({ mega: true }), 0);
    assert.equal(r.next.value, 'serving');
    assert.deepEqual(r.next.ctx.timers, ['keepalive', 'loadWindow']);
  });

  it('supernode: boot --dormant--> inactive (waits for promotion)', () => {
    assert.equal(supernode.init(snCfg({ dormant: true }), 0).next.value, 'inactive');
  });

  it('supernode: boot --host behind NAT--> inactive (hosts behind NAT never run a supernode)', () => {
    const nat = snCfg({}, {}, [{ id: 'c9', role: 'client', host: 'hs1', user: 'u9', public: false }]);
    assert.equal(nat.public, false);
    assert.equal(supernode.init(nat, 0).next.value, 'inactive');
  });

  it('supernode: inactive --Promote(public host, uptime ≥ promotionUptime)--> joining', () => {
    const cfg = snCfg({ dormant: true }, { promotionUptime: 2 * H });
    const r = step(supernode.init(cfg, 0).next, input({ kind: 'Promote' }, 2 * H));
    assert.equal(r.next.value, 'joining');
    assert.equal(r.next.ctx.active, true);
    assert.deepEqual(kinds(r.outbox), ['PeerHello→s2', 'PeerHello→s3']);
  });

  it('supernode: inactive --Promote(uptime < promotionUptime)--> inactive (too early)', () => {
    const cfg = snCfg({ dormant: true }, { promotionUptime: 2 * H });
    const r = step(supernode.init(cfg, 0).next, input({ kind: 'Promote' }, 2 * H - 1));
    assert.equal(r.taken, false);
    assert.equal(r.next.value, 'inactive');
  });

  it('supernode: inactive --Promote(host behind NAT)--> inactive (only public hosts are promoted)', () => {
    const cfg = snCfg({ dormant: true }, { promotionUptime: 0 }, [{ id: 'c9', role: 'client', host: 'hs1', user: 'u9', public: false }]);
    assert.equal(step(supernode.init(cfg, 0).next, input({ kind: 'Promote' }, H)).next.value, 'inactive');
  });

  it("supernode: inactive --Promote(host behind NAT, bug 'promote-nat')--> joining (the seeded defect)", () => {
    const cfg = snCfg({ dormant: true }, { promotionUptime: 0, bugs: ['promote-nat'] }, [{ id: 'c9', role: 'client', host: 'hs1', user: 'u9', public: false }]);
    assert.equal(step(supernode.init(cfg, 0).next, input({ kind: 'Promote' }, H)).next.value, 'joining');
  });

  it('supernode: inactive --Promote--> uptime counts from the last restart', () => {
    const cfg = snCfg({ dormant: true }, { promotionUptime: 2 * H });
    const d = drive(cfg, [crash(3 * H), restart(3 * H + 1), input({ kind: 'Promote' }, 4 * H)]);
    assert.equal(d.last.value, 'inactive');
    assert.equal(step(d.last, input({ kind: 'Promote' }, 5 * H + 1)).next.value, 'joining');
  });

  it('supernode: joining --PeerAck--> serving (peer joins the mesh, keepalive and loadWindow timers)', () => {
    const r = step(supernode.init(snCfg(), 0).next, deliver('s2', { kind: 'PeerAck' }));
    assert.equal(r.next.value, 'serving');
    assert.deepEqual(r.next.ctx.mesh, ['s2']);
    assert.deepEqual(r.next.ctx.timers, ['keepalive', 'loadWindow']);
  });

  it('supernode: joining --PeerHello--> joining (PeerAck sent, peer in the mesh)', () => {
    const r = step(supernode.init(snCfg(), 0).next, deliver('s3', { kind: 'PeerHello' }));
    assert.equal(r.next.value, 'joining');
    assert.deepEqual(kinds(r.outbox), ['PeerAck→s3']);
    assert.deepEqual(r.next.ctx.mesh, ['s3']);
  });

  it('supernode: joining --timeout.join--> serving (no peer answered: serve alone)', () => {
    const r = step(supernode.init(snCfg(), 0).next, timeout('join'));
    assert.equal(r.next.value, 'serving');
    assert.deepEqual(r.next.ctx.mesh, []);
  });

  it('supernode: joining --Connect / Register--> ConnectReject busy / RegisterReject busy (not serving yet)', () => {
    const j = supernode.init(snCfg(), 0).next;
    assert.deepEqual(step(j, connect('c1')).outbox, [{ to: 'c1', msg: { kind: 'ConnectReject', reason: 'busy' } }]);
    assert.deepEqual(step(j, register('c1')).outbox, [{ to: 'c1', msg: { kind: 'RegisterReject', reason: 'busy' } }]);
  });

  it('supernode: crashed --restart--> joining with warmup (a PeerAck before warmup is over does not serve)', () => {
    const l = serving();
    const d = drive(l.ctx.cfg, [crash(), restart(60_000)], 0, l);
    assert.equal(d.last.value, 'joining');
    assert.deepEqual(d.last.ctx.timers, ['join', 'warmup']);
    const early = step(d.last, deliver('s2', { kind: 'PeerAck' }, 61_000));
    assert.equal(early.next.value, 'joining');
    assert.equal(early.next.ctx.meshReady, true);
    const warm = step(early.next, timeout('warmup', 660_000));
    assert.equal(warm.next.value, 'serving');
  });

  it('supernode: warmup after restart --timeout.join, then timeout.warmup--> serving (alone)', () => {
    const l = serving();
    const d = drive(l.ctx.cfg, [crash(), restart(), timeout('join'), timeout('warmup')], 0, l);
    assert.equal(d.results[3].next.value, 'joining');
    assert.equal(d.last.value, 'serving');
  });

  it('supernode: warmup after restart --timeout.warmup before any peer--> joining, warmup over --PeerAck--> serving', () => {
    const l = serving();
    const d = drive(l.ctx.cfg, [crash(), restart(), timeout('warmup')], 0, l);
    assert.equal(d.last.value, 'joining');
    assert.deepEqual(d.last.ctx.timers, ['join'], 'the warmup timer fired: it is no longer armed');
    assert.equal(step(d.last, deliver('s3', { kind: 'PeerAck' })).next.value, 'serving');
    assert.equal(step(d.last, timeout('join')).next.value, 'serving');
  });

  it('supernode: crashed --restart(mega)--> serving at once (no warmup)', () => {
    const d = drive(snCfg({ mega: true }), [crash(), restart()]);
    assert.equal(d.last.value, 'serving');
  });

  it('supernode: crashed --restart(never promoted)--> inactive', () => {
    const d = drive(snCfg({ dormant: true }), [crash(), restart()]);
    assert.equal(d.last.value, 'inactive');
  });

  it('supernode: serving --Connect--> ConnectAck{supernodes: itself and its mesh} (pending attachment)', () => {
    const l = serving();
    const r = step(l, connect('c1'));
    assert.deepEqual(r.outbox, [{ to: 'c1', msg: { kind: 'ConnectAck', supernodes: ['s1', 's2'] } }]);
    assert.deepEqual(r.next.ctx.clients, [{ client: 'c1', user: null, expiresAt: 0, silent: 0 }]);
  });

  it('supernode: serving --Connect(attached + pending = capacity)--> ConnectReject busy (capacity reject)', () => {
    const l = withClients(['c1'], { capacity: 2 });
    const full = step(l, connect('c2')).next;
    const r = step(full, connect('c3'));
    assert.deepEqual(r.outbox, [{ to: 'c3', msg: { kind: 'ConnectReject', reason: 'busy' } }]);
    assert.equal(r.next.ctx.clients.length, 2);
    assert.deepEqual(kinds(step(full, connect('c2')).outbox), ['ConnectAck→c2'], 'an attached client may connect again');
  });

  it('supernode: serving --Connect(capacity 0)--> ConnectReject busy', () => {
    assert.deepEqual(kinds(step(serving({ capacity: 0 }), connect('c1')).outbox), ['ConnectReject→c1']);
  });

  it("supernode: serving --Connect(full, bug 'no-capacity-check')--> ConnectAck (the seeded defect)", () => {
    const l = serving({ capacity: 0 }, { bugs: ['no-capacity-check'] });
    assert.deepEqual(kinds(step(l, connect('c1')).outbox), ['ConnectAck→c1']);
  });

  it('supernode: serving --Register(valid credential)--> RegisterAck (user → this supernode in the directory)', () => {
    const l = step(serving(), connect('c1')).next;
    const c = cred('u1', 5);
    const r = step(l, register('c1', 5, c));
    assert.deepEqual(kinds(r.outbox), ['RegisterAck→c1']);
    assert.deepEqual(r.next.ctx.clients, [{ client: 'c1', user: 'u1', expiresAt: c.expiresAt, silent: 0 }]);
  });

  it('supernode: serving --Register(expired credential)--> RegisterReject bad-credential', () => {
    const l = step(serving(), connect('c1', DAY + 1)).next;
    const r = step(l, register('c1', DAY + 1, cred('u1', 0)));
    assert.deepEqual(r.outbox, [{ to: 'c1', msg: { kind: 'RegisterReject', reason: 'bad-credential' } }]);
    assert.ok(r.next.ctx.clients.every((a) => a.user === null));
  });

  it('supernode: serving --Register(forged signature / wrong key / another user\'s fields)--> RegisterReject bad-credential', () => {
    const l = step(serving(), connect('c1')).next;
    for (const credential of [{ ...cred('u1'), sig: 'deadbeef' }, cred('u1', 0, DAY, 'other-key'), { ...cred('u2'), user: 'u1' }]) {
      assert.deepEqual(step(l, register('c1', 0, credential)).outbox, [{ to: 'c1', msg: { kind: 'RegisterReject', reason: 'bad-credential' } }]);
    }
  });

  it("supernode: serving --Register(forged credential, bug 'skip-credential-check')--> RegisterAck (the seeded defect)", () => {
    const l = step(serving({}, { bugs: ['skip-credential-check'] }), connect('c1')).next;
    assert.deepEqual(kinds(step(l, register('c1', 0, { ...cred('u1'), sig: 'deadbeef' })).outbox), ['RegisterAck→c1']);
  });

  it('supernode: serving --Register(not connected, full)--> RegisterReject busy', () => {
    const l = withClients(['c1'], { capacity: 1 });
    assert.deepEqual(step(l, register('c2')).outbox, [{ to: 'c2', msg: { kind: 'RegisterReject', reason: 'busy' } }]);
  });

  it('supernode: serving --Register(same user from another client)--> one directory entry per user (the newer)', () => {
    const l = withClients(['c1']);
    const r = step(step(l, connect('c2')).next, register('c2', 0, cred('u1')));
    assert.deepEqual(r.next.ctx.clients.map((a) => [a.client, a.user]), [['c2', 'u1']]);
  });

  it('supernode: serving --Keepalive(registered client)--> KeepaliveAck (silence reset)', () => {
    const l = drive(withClients(['c1']).ctx.cfg, [timeout('keepalive')], 0, withClients(['c1'])).last;
    assert.equal(l.ctx.clients[0].silent, 1);
    const r = step(l, deliver('c1', { kind: 'Keepalive' }));
    assert.deepEqual(kinds(r.outbox), ['KeepaliveAck→c1']);
    assert.equal(r.next.ctx.clients[0].silent, 0);
  });

  it('supernode: serving --Keepalive(unknown or unregistered client)--> no answer (the client will reattach)', () => {
    const l = step(serving(), connect('c1')).next;
    assert.deepEqual(step(l, deliver('c1', { kind: 'Keepalive' })).outbox, []);
    assert.deepEqual(step(l, deliver('c2', { kind: 'Keepalive' })).outbox, []);
  });

  it('supernode: serving --Unregister--> entry removed', () => {
    const r = step(withClients(['c1', 'c2']), deliver('c1', { kind: 'Unregister' }));
    assert.deepEqual(r.next.ctx.clients.map((a) => a.client), ['c2']);
  });

  it('supernode: serving --Unregister--> the client ids and the directory lose the entry and stay sorted', () => {
    // Registered clients (users u<n>), one only connected (no user), ids out of numeric order.
    const l = step(withClients(['c7', 'c10', 'c3', 'c22']), connect('c15')).next;
    for (const gone of ['c10', 'c15', 'c3', 'c22', 'c9']) {
      const next = step(l, deliver(gone, { kind: 'Unregister' })).next.ctx;
      const kept = l.ctx.clients.filter((a) => a.client !== gone);
      assert.deepEqual(next.clients, kept, gone);
      assert.deepEqual(next.clientIds, kept.map((a) => a.client), gone);
      assert.deepEqual(next.directory, kept.flatMap((a) => (a.user === null ? [] : [a.user])).sort(), gone);
    }
    // An unknown client changes nothing: the same lists.
    const same = step(l, deliver('c9', { kind: 'Unregister' })).next.ctx;
    assert.equal(same.clients, l.ctx.clients);
    assert.equal(same.directory, l.ctx.directory);
  });

  it('supernode: serving --timeout.keepalive × (missedKeepalives + 1)--> silent client removed', () => {
    const l = withClients(['c1'], {}, { missedKeepalives: 2 });
    const sweeps = (n: number) => drive(l.ctx.cfg, Array.from({ length: n }, () => timeout('keepalive')), 0, l).last;
    assert.equal(sweeps(2).ctx.clients.length, 1);
    assert.equal(sweeps(3).ctx.clients.length, 0);
    assert.deepEqual(sweeps(3).ctx.timers, ['keepalive', 'loadWindow']);
  });

  it('supernode: serving --timeout.keepalive after the credential expired--> entry removed', () => {
    const l = withClients(['c1']);
    assert.equal(step(l, timeout('keepalive', DAY)).next.ctx.clients.length, 0);
  });

  it("supernode: serving --timeout.keepalive, bug 'keep-dead-clients'--> silent clients stay (the seeded defect)", () => {
    const l = withClients(['c1'], {}, { missedKeepalives: 1, bugs: ['keep-dead-clients'] });
    const d = drive(l.ctx.cfg, [timeout('keepalive'), timeout('keepalive'), timeout('keepalive', DAY)], 0, l);
    assert.equal(d.last.ctx.clients.length, 1);
  });

  it('supernode: serving --Lookup(user in own directory)--> LookupResult{supernode: itself}', () => {
    const r = step(withClients(['c1', 'c2']), deliver('c2', { kind: 'Lookup', user: 'u1' }));
    assert.deepEqual(r.outbox, [{ to: 'c2', msg: { kind: 'LookupResult', user: 'u1', supernode: 's1' } }]);
    assert.deepEqual(r.next.ctx.queries, []);
  });

  it('supernode: serving --Lookup(not here)--> Query{user, ttl: queryTtl} to every mesh peer, query timer', () => {
    const l = step(withClients(['c1'], {}, { queryTtl: 2 }), deliver('s3', { kind: 'PeerHello' })).next;
    const r = step(l, deliver('c1', { kind: 'Lookup', user: 'u7' }));
    assert.deepEqual(r.outbox, [{ to: 's2', msg: { kind: 'Query', user: 'u7', ttl: 2 } }, { to: 's3', msg: { kind: 'Query', user: 'u7', ttl: 2 } }]);
    assert.deepEqual(r.next.ctx.queries, [{ user: 'u7', lookups: ['c1'], relays: [], awaiting: 2 }]);
    assert.ok(r.next.ctx.timers.includes('query'));
  });

  it('supernode: serving --QueryResult(found)--> LookupResult to every client that asked (first answer wins)', () => {
    const l = step(withClients(['c1']), deliver('s3', { kind: 'PeerHello' })).next;
    const asked = drive(l.ctx.cfg, [deliver('c1', { kind: 'Lookup', user: 'u7' }), deliver('c2', { kind: 'Lookup', user: 'u7' })], 0, l).last;
    assert.equal(asked.ctx.queries[0].lookups.length, 2);
    const r = step(asked, deliver('s3', { kind: 'QueryResult', user: 'u7', supernode: 's3' }));
    assert.deepEqual(r.outbox, [
      { to: 'c1', msg: { kind: 'LookupResult', user: 'u7', supernode: 's3' } },
      { to: 'c2', msg: { kind: 'LookupResult', user: 'u7', supernode: 's3' } },
    ]);
    assert.deepEqual(r.next.ctx.queries, []);
    assert.ok(!r.next.ctx.timers.includes('query'));
  });

  it('supernode: serving --QueryResult(null from every peer)--> LookupResult null', () => {
    const l = step(withClients(['c1']), deliver('s3', { kind: 'PeerHello' })).next;
    const d = drive(l.ctx.cfg, [
      deliver('c1', { kind: 'Lookup', user: 'u7' }),
      deliver('s2', { kind: 'QueryResult', user: 'u7', supernode: null }),
      deliver('s3', { kind: 'QueryResult', user: 'u7', supernode: null }),
    ], 0, l);
    assert.deepEqual(d.results[2].outbox, [], 'one peer still to answer');
    assert.deepEqual(d.lastResult.outbox, [{ to: 'c1', msg: { kind: 'LookupResult', user: 'u7', supernode: null } }]);
  });

  it('supernode: serving --timeout.query--> LookupResult null for every pending lookup', () => {
    const l = step(withClients(['c1']), deliver('c1', { kind: 'Lookup', user: 'u7' })).next;
    const r = step(l, timeout('query'));
    assert.deepEqual(r.outbox, [{ to: 'c1', msg: { kind: 'LookupResult', user: 'u7', supernode: null } }]);
    assert.deepEqual(r.next.ctx.queries, []);
  });

  it('supernode: serving --Lookup(not here, no mesh peers)--> LookupResult null at once', () => {
    const l = drive(snCfg({ peers: [] }, { overloadThreshold: 100 }), [timeout('join'), connect('c1'), register('c1')]).last;
    const r = step(l, deliver('c1', { kind: 'Lookup', user: 'u7' }));
    assert.deepEqual(r.outbox, [{ to: 'c1', msg: { kind: 'LookupResult', user: 'u7', supernode: null } }]);
  });

  it('supernode: serving --Lookup(queryTtl 0)--> LookupResult null at once (no mesh search)', () => {
    const r = step(withClients(['c1'], {}, { queryTtl: 0 }), deliver('c1', { kind: 'Lookup', user: 'u7' }));
    assert.deepEqual(kinds(r.outbox), ['LookupResult→c1']);
  });

  it('supernode: serving --Query(user here)--> QueryResult{supernode: itself}', () => {
    const r = step(withClients(['c1']), deliver('s2', { kind: 'Query', user: 'u1', ttl: 2 }));
    assert.deepEqual(r.outbox, [{ to: 's2', msg: { kind: 'QueryResult', user: 'u1', supernode: 's1' } }]);
  });

  it('supernode: serving --Query(ttl 2, not here)--> Query{ttl 1} relayed to the other peers, answer relayed back', () => {
    const l = drive(serving().ctx.cfg, [deliver('s3', { kind: 'PeerHello' })], 0, serving()).last;
    const r = step(l, deliver('s2', { kind: 'Query', user: 'u7', ttl: 2 }));
    assert.deepEqual(r.outbox, [{ to: 's3', msg: { kind: 'Query', user: 'u7', ttl: 1 } }]);
    const back = step(r.next, deliver('s3', { kind: 'QueryResult', user: 'u7', supernode: 's3' }));
    assert.deepEqual(back.outbox, [{ to: 's2', msg: { kind: 'QueryResult', user: 'u7', supernode: 's3' } }]);
  });

  it('supernode: serving --Query(ttl 1, not here)--> QueryResult null at once (ttl spent)', () => {
    const r = step(serving(), deliver('s2', { kind: 'Query', user: 'u7', ttl: 1 }));
    assert.deepEqual(r.outbox, [{ to: 's2', msg: { kind: 'QueryResult', user: 'u7', supernode: null } }]);
  });

  it('supernode: serving --PeerHello--> PeerAck, peer in the mesh (and in later ConnectAcks)', () => {
    const r = step(serving(), deliver('s3', { kind: 'PeerHello' }));
    assert.deepEqual(kinds(r.outbox), ['PeerAck→s3']);
    assert.deepEqual(step(r.next, connect('c1')).outbox, [{ to: 'c1', msg: { kind: 'ConnectAck', supernodes: ['s1', 's2', 's3'] } }]);
  });

  it('supernode: serving --load > overloadThreshold--> overloaded (overload self-eviction: Closing to every client, directory dropped, cooldown)', () => {
    const l = withClients(['c1', 'c2'], {}, { overloadThreshold: 5 });
    assert.equal(l.ctx.load, 4);
    const quiet = step(l, deliver('c1', { kind: 'Keepalive' }));
    assert.equal(quiet.next.value, 'serving', 'load 5 = threshold: not exceeded');
    const r = step(quiet.next, deliver('c2', { kind: 'Keepalive' }));
    assert.equal(r.next.value, 'overloaded');
    assert.deepEqual(kinds(r.outbox), ['KeepaliveAck→c2', 'Closing→c1', 'Closing→c2']);
    assert.deepEqual(r.next.ctx.clients, []);
    assert.deepEqual(r.next.ctx.mesh, []);
    assert.deepEqual(r.next.ctx.timers, ['cooldown']);
  });

  it('supernode: overloaded --Connect / Register--> ConnectReject closing / RegisterReject busy', () => {
    const o = step(withClients(['c1'], {}, { overloadThreshold: 2 }), connect('c2')).next;
    assert.equal(o.value, 'overloaded');
    assert.deepEqual(step(o, connect('c3')).outbox, [{ to: 'c3', msg: { kind: 'ConnectReject', reason: 'closing' } }]);
    assert.deepEqual(step(o, register('c3')).outbox, [{ to: 'c3', msg: { kind: 'RegisterReject', reason: 'busy' } }]);
  });

  it('supernode: overloaded --timeout.cooldown--> joining (cooldown back to joining: PeerHello again, no warmup)', () => {
    const o = step(withClients(['c1'], {}, { overloadThreshold: 2 }), connect('c2')).next;
    const r = step(o, timeout('cooldown'));
    assert.equal(r.next.value, 'joining');
    assert.deepEqual(kinds(r.outbox), ['PeerHello→s2', 'PeerHello→s3']);
    assert.deepEqual(r.next.ctx.timers, ['join']);
    assert.equal(step(r.next, deliver('s2', { kind: 'PeerAck' })).next.value, 'serving');
  });

  it('supernode: serving --timeout.loadWindow--> serving (load counted afresh)', () => {
    const l = withClients(['c1']);
    const r = step(l, timeout('loadWindow'));
    assert.equal(r.next.ctx.load, 0);
    assert.deepEqual(r.armed, ['loadWindow']);
  });

  it('supernode: <any state> --crash--> crashed (directory and mesh lost, no answers)', () => {
    const r = step(withClients(['c1']), crash());
    assert.equal(r.next.value, 'crashed');
    assert.deepEqual(r.next.ctx.clients, []);
    assert.deepEqual(r.next.ctx.mesh, []);
    assert.deepEqual(r.next.ctx.timers, []);
    for (const ev of [connect('c2'), register('c2'), deliver('c2', { kind: 'Lookup', user: 'u1' }), crash()]) {
      assert.deepEqual(step(r.next, ev).outbox, []);
      assert.equal(step(r.next, ev).next.value, 'crashed');
    }
  });
});
