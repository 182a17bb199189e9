// Writes a large, realistic, valid supernode-trace for benchmarks: ~1000 actors
// (auth, im, 40 supernodes, the rest clients) exchanging every message kind of
// PROTOCOL.md with interleaved, delayed deliveries and ~1% drops, plus inputs,
// timeouts and observations. Deterministic for a given seed. Not a model run:
// the exchanges are plausible, not checked against the machines.
import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 as prng } from '../checker/sim/rng.js';


interface Pending {
  mid: string;
  from: string;
  to: string;
  kind: string;
  user: string;
}

/**
 * Writes a trace of about `events` events to `path` and returns the exact
 * number of lines written (header included).
 */
export function generateTrace(path: string, events: number, seed = 2010, actors = 1000): number {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const sns = Array.from({ length: 40 }, (_, i) => `sn${i + 1}`);
  const clients = Array.from({ length: actors - 42 }, (_, i) => `c${i + 1}`);
  const header = {
    type: 'header', format: 'supernode-trace', version: 1, clock: 'ms',
    actors: [
      { id: 'auth', role: 'auth', host: 'ops-auth' },
      { id: 'im', role: 'im', host: 'ops-im' },
      ...sns.map((id, i) => ({ id, role: 'supernode', host: `hs${i + 1}`, capacity: 300 })),
      ...clients.map((id, i) => ({ id, role: 'client', host: `h${i + 1}`, public: i % 3 === 0, version: i % 2 ? '5.0.0.156' : '5.0.0.152', user: `user${i + 1}` })),
    ],
    source: `bench/trace-gen.ts seed ${seed}`,
  };
  const fd = openSync(path, 'w');
  let buf = JSON.stringify(header) + '\n';
  let lines = 1;
  let t = 0;
  let nextMid = 1;
  const pending: Pending[] = [];
  const out = (ev: object) => {
    buf += JSON.stringify(ev) + '\n';
    lines++;
    if (buf.length > 1 << 20) { writeSync(fd, buf); buf = ''; }
  };
  const send = (from: string, to: string, msg: Record<string, unknown>, user: string) => {
    const mid = `m${nextMid++}`;
    out({ type: 'send', t, from, to, mid, msg });
    pending.push({ mid, from, to, kind: msg.kind as string, user });
  };
  const cred = (user: string) => ({ user, issuedAt: t, expiresAt: t + 86_400_000, sig: `k1:${user}:${t}` });
  // What a receiver sends back when a message of `kind` arrives (null: nothing).
  const reply = (p: Pending): [string, Record<string, unknown>] | null => {
    switch (p.kind) {
      case 'Connect': return rnd() < 0.95 ? ['ConnectAck', { supernodes: [p.to, pick(sns), pick(sns)] }] : ['ConnectReject', { reason: 'busy' }];
      case 'LoginRequest': return rnd() < 0.97 ? ['LoginOk', { credential: cred(p.user) }] : ['LoginBusy', {}];
      case 'Register': return ['RegisterAck', {}];
      case 'Keepalive': return ['KeepaliveAck', {}];
      case 'Lookup': return ['LookupResult', { user: `user${1 + Math.floor(rnd() * clients.length)}`, supernode: rnd() < 0.8 ? pick(sns) : null }];
      case 'Query': return ['QueryResult', { user: p.user, supernode: rnd() < 0.5 ? pick(sns) : null }];
      case 'PeerHello': return ['PeerAck', {}];
      case 'OfflineImFetch': return ['OfflineImBatch', { count: Math.floor(rnd() * 4) }];
      case 'ConnectAck': return ['LoginRequest', { user: p.user, password: 'secret' }];
      case 'LoginOk': return ['Register', { credential: cred(p.user) }];
      case 'RegisterAck': return ['OfflineImFetch', {}];
      default: return null;
    }
  };
  const target = (from: string, kind: string, to: string) =>
    kind === 'LoginRequest' ? 'auth' : kind === 'OfflineImFetch' ? 'im' : kind === 'Register' ? (from.startsWith('c') ? pick(sns) : to) : to;

  while (lines < events) {
    t += Math.floor(rnd() * 3);
    if (pending.length > 0 && (pending.length > 200 || rnd() < 0.5)) {
      const i = Math.floor(rnd() * pending.length);
      const p = pending[i];
      pending[i] = pending[pending.length - 1];
      pending.pop();
      if (rnd() < 0.01) { out({ type: 'drop', t, mid: p.mid }); continue; }
      out({ type: 'deliver', t, mid: p.mid });
      const r = reply(p);
      if (r) {
        const [kind, fields] = r;
        const from = p.to;
        send(from, target(from, kind, p.from), { kind, ...fields }, p.user);
      }
      continue;
    }
    const r = rnd();
    const c = pick(clients);
    const user = `user${c.slice(1)}`;
    if (r < 0.45) send(c, pick(sns), { kind: 'Keepalive' }, user);
    else if (r < 0.6) { out({ type: 'input', t, actor: c, input: { kind: 'Lookup', user: 'user7' } }); send(c, pick(sns), { kind: 'Lookup', user: 'user7' }, user); }
    else if (r < 0.72) { out({ type: 'input', t, actor: c, input: { kind: 'Login' } }); send(c, pick(sns), { kind: 'Connect' }, user); }
    else if (r < 0.8) send(pick(sns), pick(sns), { kind: 'Query', user, ttl: 2 }, user);
    else if (r < 0.84) send(pick(sns), pick(sns), { kind: 'PeerHello' }, user);
    else if (r < 0.9) out({ type: 'timeout', t, actor: c, timer: 'keepalive' });
    else if (r < 0.96) out({ type: 'observe', t, actor: c, state: 'online', upstream: pick(sns) });
    else if (r < 0.98) send(c, pick(sns), { kind: 'Unregister' }, user);
    else out({ type: 'note', t, text: `checkpoint ${lines}` });
  }
  writeSync(fd, buf);
  closeSync(fd);
  return lines;
}
