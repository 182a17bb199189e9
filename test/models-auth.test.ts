// Unit tests of the auth role, one per transition of PROTOCOL.md "Auth"
// (test names: `auth: <from> --<event>--> <to> (<what>)`).
import assert from 'node:assert/strict';
import { auth, type AuthContext } from '../models/auth.js';
import { credentialValid } from '../models/effects.js';
import type { Local, ModelEvent } from '../models/index.js';
import type { Params } from '../models/params.js';
import { configOf, deliver, drive, input, timeout } from './helpers/model-events.js';

type L = Local<AuthContext>;
const H = 3_600_000;
const step = (l: L, ev: ModelEvent) => auth.step(l, ev);
const request = (from: string, user: string, password: string, now = 0) => deliver(from, { kind: 'LoginRequest', user, password }, now);
const setMode = (mode: 'up' | 'slow' | 'overloaded' | 'down') => input({ kind: 'SetMode', mode });
const up = (params: Params = {}) => auth.init(configOf('auth', {}, params), 0).next;

describe('auth (PROTOCOL.md "Auth")', () => {
  it('auth: initial state up (loadWindow timer armed)', () => {
    const r = auth.init(configOf('auth'), 0);
    assert.equal(r.next.value, 'up');
    assert.deepEqual(r.armed, ['loadWindow']);
    assert.deepEqual(r.next.ctx.cfg.users.map((u) => u.user), ['u1', 'u2', 'u3'], 'default users: every client of the header');
  });

  it('auth: up --LoginRequest(known user, right password)--> LoginOk{credential} (signed, lives credentialLifetime)', () => {
    const l = up({ credentialLifetime: 24 * H });
    const r = step(l, request('c1', 'u1', 'secret', 1000));
    assert.equal(r.outbox.length, 1);
    const { to, msg } = r.outbox[0];
    assert.equal(to, 'c1');
    assert.equal(msg.kind, 'LoginOk');
    if (msg.kind !== 'LoginOk') return;
    assert.equal(msg.credential.user, 'u1');
    assert.equal(msg.credential.issuedAt, 1000);
    assert.equal(msg.credential.expiresAt, 1000 + 24 * H);
    assert.ok(credentialValid(msg.credential, 1000 + 24 * H - 1, 'k1'), 'verifies offline until expiry');
    assert.ok(!credentialValid(msg.credential, 1000 + 24 * H, 'k1'), 'expired at expiresAt');
    assert.ok(!credentialValid(msg.credential, 1000, 'another-key'));
    assert.equal(r.next.ctx.load, 1);
  });

  it('auth: up --LoginRequest(wrong password)--> LoginDenied bad-password', () => {
    assert.deepEqual(step(up(), request('c1', 'u1', 'nope')).outbox, [{ to: 'c1', msg: { kind: 'LoginDenied', reason: 'bad-password' } }]);
  });

  it('auth: up --LoginRequest(unknown user)--> LoginDenied unknown-user', () => {
    assert.deepEqual(step(up(), request('c1', 'mallory', 'secret')).outbox, [{ to: 'c1', msg: { kind: 'LoginDenied', reason: 'unknown-user' } }]);
  });

  it('auth: up --LoginRequest(more than authQueue in one loadWindow: queueFull)--> LoginBusy', () => {
    const d = drive(configOf('auth', {}, { authQueue: 2 }), [request('c1', 'u1', 'secret'), request('c2', 'u2', 'secret'), request('c3', 'u3', 'secret')]);
    assert.deepEqual(d.sent.map((o) => o.msg.kind), ['LoginOk', 'LoginOk', 'LoginBusy']);
    assert.equal(d.last.value, 'up');
  });

  it('auth: up --timeout.loadWindow--> up (load counted afresh: answers again)', () => {
    const d = drive(configOf('auth', {}, { authQueue: 1 }), [request('c1', 'u1', 'secret'), timeout('loadWindow'), request('c2', 'u2', 'secret')]);
    assert.deepEqual(d.sent.map((o) => o.msg.kind), ['LoginOk', 'LoginOk']);
    assert.deepEqual(d.results[2].armed, ['loadWindow']);
  });

  it('auth: up --SetMode overloaded--> overloaded --LoginRequest--> LoginBusy (auth overload)', () => {
    const o = step(up(), setMode('overloaded')).next;
    assert.equal(o.value, 'overloaded');
    assert.deepEqual(o.ctx.timers, []);
    assert.deepEqual(step(o, request('c1', 'u1', 'secret')).outbox, [{ to: 'c1', msg: { kind: 'LoginBusy' } }]);
  });

  it('auth: up --SetMode slow--> overloaded (a slow auth answers LoginBusy)', () => {
    assert.equal(step(up(), setMode('slow')).next.value, 'overloaded');
  });

  it('auth: up --SetMode down--> down --LoginRequest--> no answer (auth outage)', () => {
    const dn = step(up(), setMode('down')).next;
    assert.equal(dn.value, 'down');
    const r = step(dn, request('c1', 'u1', 'secret'));
    assert.equal(r.taken, false);
    assert.deepEqual(r.outbox, []);
  });

  it('auth: down / overloaded --SetMode up--> up (answers again, loadWindow re-armed)', () => {
    for (const mode of ['down', 'overloaded'] as const) {
      const r = step(step(up(), setMode(mode)).next, setMode('up'));
      assert.equal(r.next.value, 'up');
      assert.deepEqual(r.armed, ['loadWindow']);
      assert.deepEqual(kinds(step(r.next, request('c1', 'u1', 'secret')).outbox), ['LoginOk']);
    }
  });

  it('auth: up --SetMode up--> up (re-entered: loadWindow re-armed)', () => {
    const r = step(up(), setMode('up'));
    assert.equal(r.next.value, 'up');
    assert.deepEqual(r.armed, ['loadWindow']);
  });
});

function kinds(out: readonly { msg: { kind: string } }[]): string[] { return out.map((o) => o.msg.kind); }
