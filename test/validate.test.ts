// The trace validator, line by line: what `accept` returns, each problem code
// beyond the samples, --max-errors, hostile input (prototype keys, deep
// nesting) and the bounded memory of the mid tables.
import assert from 'node:assert/strict';
import type { FileReport } from '../schemas/generated/report.js';
import { TraceValidator } from '../checker/trace/validate.js';
import { RecentMids, SLOTS } from '../checker/trace/recent.js';
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import configSchema from '../schemas/config.schema.json' with { type: 'json' };
import reportSchema from '../schemas/report.schema.json' with { type: 'json' };
import scenarioSchema from '../schemas/scenario.schema.json' with { type: 'json' };
import testcasesSchema from '../schemas/testcases.schema.json' with { type: 'json' };

const HEADER = JSON.stringify({
  type: 'header', format: 'supernode-trace', version: 1, clock: 'ms',
  actors: [
    { id: 'sn1', role: 'supernode', host: 'hs1' },
    { id: 'c1', role: 'client', host: 'h1', user: 'alice' },
  ],
});
const send = (t: number, mid: string | number, from = 'c1', to = 'sn1') =>
  JSON.stringify({ type: 'send', t, from, to, mid, msg: { kind: 'Connect' } });
const deliver = (t: number, mid: string | number) => JSON.stringify({ type: 'deliver', t, mid });

/** Validates `lines` (line 1 first) and returns the report. */
function run(lines: string[], maxErrors?: number, maxLineLength?: number): FileReport {
  const v = new TraceValidator({ file: 'x.ndjson', maxErrors, maxLineLength });
  lines.forEach((l, i) => v.line(l, i + 1));
  return v.finish();
}
const codes = (r: FileReport) => r.problems.map((p) => `${p.code}@${p.line}`);

describe('TraceValidator', () => {
  it('returns each valid event, null for the header, blank and bad lines', () => {
    const v = new TraceValidator({ file: 'x' });
    assert.equal(v.accept(HEADER, 1), null);
    assert.equal(v.header?.actors.length, 2);
    assert.deepEqual(v.accept(send(1, 'm1'), 2), JSON.parse(send(1, 'm1')));
    assert.equal(v.accept('   ', 3), null);
    assert.equal(v.accept(deliver(2, 'nope'), 4), null);
    assert.deepEqual(v.accept(deliver(3, 'm1'), 5), { type: 'deliver', t: 3, mid: 'm1' });
    const r = v.finish();
    assert.deepEqual(codes(r), ['TRC005@4']);
    assert.deepEqual([r.verdict, r.lines, r.events, r.actors], ['invalid', 5, 3, 2]);
  });

  it('reports a pretty-printed JSON document once, not once per line', () => {
    const doc = JSON.stringify({ format: 'supernode-testcases', tests: [1, 2, 3] }, null, 2).split('\n');
    const r = run(doc);
    assert.deepEqual(codes(r), ['TRC001@1']);
    assert.match(r.problems[0].message, /a JSON object spread over several lines \(pretty-printed\), not NDJSON .*the other lines are not checked/);
    assert.equal(r.lines, doc.length);
    assert.deepEqual(codes(run(JSON.stringify([JSON.parse(HEADER)], null, 2).split('\n'))), ['TRC001@1']);
  });

  it('reports an empty file as a missing header', () => {
    assert.deepEqual(codes(run([])), ['TRC002@1']);
    assert.deepEqual(codes(run(['', '  '])), ['TRC002@1']);
  });

  it('rejects a second header, a non-object event and a header that is an array', () => {
    assert.deepEqual(codes(run([HEADER, HEADER, '[1,2]', '42'])), ['TRC004@2', 'TRC004@3', 'TRC004@4']);
    assert.deepEqual(codes(run(['[]'])), ['TRC002@1']);
  });

  it('explains schema errors with the field and the allowed values', () => {
    const r = run([HEADER, JSON.stringify({ type: 'recv', t: 1 }), JSON.stringify({ type: 'input', t: 1, actor: 'c1', input: { kind: 'Dance' } })]);
    assert.match(r.problems[0].message, /unknown type "recv"; expected one of send, deliver, drop/);
    assert.match(r.problems[1].message, /unknown kind "Dance" in "input"; expected one of Login, Logout/);
  });

  it('tells a deliver of 1 after a send of "1" apart', () => {
    const r = run([HEADER, send(1, '1'), deliver(2, 1)]);
    assert.deepEqual(codes(r), ['TRC005@3']);
    assert.match(r.problems[0].message, /a send has mid "1", of another JSON type/);
  });

  it('reports a deliver after a drop, and a re-used mid after delivery', () => {
    const drop = JSON.stringify({ type: 'drop', t: 2, mid: 'm1' });
    assert.deepEqual(codes(run([HEADER, send(1, 'm1'), drop, deliver(3, 'm1'), send(4, 'm1')])), ['TRC006@4', 'TRC007@5']);
  });

  it('reports time going back once per backward step', () => {
    const r = run([HEADER, send(10, 'a'), send(5, 'b'), send(6, 'c'), send(1, 'd')]);
    assert.deepEqual(codes(r), ['TRC010@3', 'TRC010@5']);
  });

  it('knows joined actors and their hosts, and keeps left ones known', () => {
    const join = JSON.stringify({ type: 'join', t: 1, actor: { id: 'mega', role: 'supernode', host: 'ops', mega: true } });
    const leave = JSON.stringify({ type: 'leave', t: 2, actor: 'mega' });
    const crash = JSON.stringify({ type: 'crash', t: 3, host: 'ops' });
    assert.deepEqual(codes(run([HEADER, join, send(2, 'm', 'c1', 'mega'), leave, crash, send(4, 'n', 'mega', 'c1')])), []);
  });

  it('holds host caches and peers to supernodes, declared before or after (a standby mega may join later, or never)', () => {
    const header = (extra: object[], cache: string[], peers?: string[]) => JSON.stringify({ ...JSON.parse(HEADER), actors: [
      { id: 'c0', role: 'client', host: 'h0', user: 'zed', hostCache: cache },
      { id: 'sn1', role: 'supernode', host: 'hs1', ...(peers ? { peers } : {}) },
      { id: 'c1', role: 'client', host: 'h1', user: 'alice' }, ...extra] });
    const join = (id: string, role = 'supernode') => JSON.stringify({ type: 'join', t: 1, actor: role === 'supernode' ? { id, role, host: `h-${id}`, mega: true } : { id, role, host: `h-${id}`, user: id } });
    assert.deepEqual(codes(run([header([], ['sn1', 'mega'], ['mega']), join('mega')])), [], 'named in the header before sn1 and mega are declared');
    // Never declared: a standby mega-supernode the trace ends before (the explorer's and simulator's traces
    // name them), which the validator cannot tell from a typo.
    assert.deepEqual(codes(run([header([], ['sn1', 'mega9'])])), []);
    const client = run([header([], ['c1'])]);
    assert.deepEqual(codes(client), ['TRC003@1']);
    assert.match(client.problems[0].message, /c0's hostCache names "c1", which is a client, not a supernode/);
    assert.deepEqual(codes(run([header([], ['sn1'], ['c9']), join('c9', 'client')])), ['TRC004@2'], 'a join that turns out not to be a supernode');
  });

  it('takes an input only at the role it belongs to (check dropped it, and inferred one elsewhere)', () => {
    const input = (actor: string, input: object) => JSON.stringify({ type: 'input', t: 1, actor, input });
    const r = run([HEADER, input('c1', { kind: 'Login' }), input('sn1', { kind: 'Logout' }), input('c1', { kind: 'Promote' }), input('sn1', { kind: 'Promote' })]);
    assert.deepEqual(codes(r), ['TRC004@3', 'TRC004@4']);
    assert.match(r.problems[0].message, /input Logout at "sn1", a supernode: Logout is an input of client/);
    assert.match(r.problems[1].message, /input Promote at "c1", a client: Promote is an input of supernode/);
  });

  it('refuses integer mids beyond 2^53 (JSON.parse rounds them: distinct mids collided, a never-sent one was delivered)', () => {
    const r = run([HEADER, send(1, 9007199254740993), deliver(2, 9007199254740992), send(3, 9007199254740991), deliver(4, 9007199254740991)]);
    assert.deepEqual(codes(r), ['TRC004@2', 'TRC004@3']);
    assert.match(r.problems[0].message, /integer mid beyond 2\^53 \(read as 9007199254740992\): JSON readers round such numbers, so two mids can collide; write it as a string/);
  });

  it('reports duplicate actor ids inside the header', () => {
    const h = JSON.parse(HEADER);
    h.actors.push({ id: 'c1', role: 'client', host: 'h9', user: 'eve' });
    assert.deepEqual(codes(run([JSON.stringify(h)])), ['TRC009@1']);
  });

  it('reports an over-long line with the limit in force', () => {
    const v = new TraceValidator({ file: 'x', maxLineLength: 100 });
    v.line(HEADER, 1);
    v.overlong(2, 5000, '{"type":"note"');
    const p = v.finish().problems[0];
    assert.equal(p.code, 'TRC012');
    assert.match(p.message, /5000 characters long, over the limit of 100/);
  });

  it('stops after --max-errors problems and says so', () => {
    const lines = [HEADER, ...Array.from({ length: 50 }, (_, i) => deliver(i, `x${i}`))];
    const v = new TraceValidator({ file: 'x', maxErrors: 5 });
    let read = 0;
    for (const [i, l] of lines.entries()) {
      read++;
      if (!v.line(l, i + 1)) break;
    }
    const r = v.finish();
    assert.equal(r.problems.length, 5);
    assert.equal(r.truncated, true);
    assert.equal(read, 7, 'the reader is asked to stop at the first problem past the limit');
    assert.equal(run(lines, 0).problems.length, 50, '0 means no limit');
  });

  it('rejects a message, input or actor that is not an object (the discriminated unions must not let it through)', () => {
    const login = JSON.stringify({ type: 'input', t: 0, actor: 'c1', input: { kind: 'Login' } });
    for (const msg of [7, 'Connect', null, [1], true]) {
      const r = run([HEADER, login, JSON.stringify({ type: 'send', t: 1, from: 'c1', to: 'sn1', mid: 'm1', msg })]);
      assert.equal(r.verdict, 'invalid', JSON.stringify(msg));
      assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [['TRC004', 3]], JSON.stringify(msg));
      assert.match(r.problems[0].message, /field "msg" must be of type object/);
    }
    for (const input of [5, 1.5, [], 'Login']) {
      const r = run([HEADER, JSON.stringify({ type: 'input', t: 0, actor: 'c1', input })]);
      assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [['TRC004', 2]], JSON.stringify(input));
    }
    const r = run([JSON.stringify({ ...JSON.parse(HEADER), actors: [5] })]);
    assert.deepEqual(r.problems.map((p) => p.code), ['TRC003']);
  });

  it('every discriminated union of the schemas says it is an object (ajv applies `discriminator` to objects only)', () => {
    for (const schema of [traceSchema, configSchema, reportSchema, scenarioSchema, testcasesSchema] as unknown[]) {
      const walk = (o: unknown, path: string): void => {
        if (Array.isArray(o)) { o.forEach((x, i) => walk(x, `${path}/${i}`)); return; }
        if (o === null || typeof o !== 'object') return;
        const rec = o as Record<string, unknown>;
        if ('discriminator' in rec) assert.equal(rec.type, 'object', `${(schema as { $id: string }).$id}${path}`);
        for (const [k, v] of Object.entries(rec)) walk(v, `${path}/${k}`);
      };
      walk(schema, '#');
    }
  });

  it('treats __proto__, constructor and friends as plain ids and keys', () => {
    const h = JSON.parse(HEADER);
    h.actors = [
      { id: '__proto__', role: 'supernode', host: 'constructor' },
      { id: 'constructor', role: 'client', host: 'hasOwnProperty', user: 'toString' },
    ];
    const lines = [
      JSON.stringify(h),
      send(1, '__proto__', 'constructor', '__proto__'),
      deliver(2, '__proto__'),
      JSON.stringify({ type: 'crash', t: 3, host: 'constructor' }),
      JSON.stringify({ type: 'restart', t: 4, host: 'valueOf' }),
      '{"type":"note","t":5,"text":"x","__proto__":{"polluted":true}}',
      '{"type":"send","t":6,"from":"constructor","to":"__proto__","mid":"m","msg":{"kind":"Connect","__proto__":{"polluted":1}}}',
      deliver(7, 'toString'),
    ];
    assert.deepEqual(codes(run(lines)), ['TRC011@5', 'TRC004@6', 'TRC004@7', 'TRC005@8']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('rejects deep nesting as invalid JSON without a crash', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const r = run([HEADER, deep(100_000), '['.repeat(100_000), `{"type":"note","t":0,"text":"x","a":${deep(10_000)}}`]);
    assert.deepEqual(codes(r), ['TRC001@2', 'TRC001@3', 'TRC001@4']);
    assert.match(r.problems[0].message, /nested deeper than 64 levels/);
    // Shallow enough to skip the scan, still rejected by the schema without recursion trouble.
    assert.deepEqual(codes(run([HEADER, deep(1000)])), ['TRC004@2']);
  });

  it('refuses a header whose default full mesh of supernodes is too large to replay, with the count (it ran out of memory in check)', () => {
    const header = (n: number, peers: boolean) => JSON.stringify({ type: 'header', format: 'supernode-trace', version: 1, clock: 'ms',
      actors: [{ id: 'auth', role: 'auth' }, ...Array.from({ length: n }, (_, i) => ({ id: `s${i}`, role: 'supernode', host: `h${i}`, ...(peers ? { peers: [] } : {}) }))] });
    const r = run([header(1001, false)]);
    assert.deepEqual(codes(r), ['TRC003@1']);
    assert.match(r.problems[0].message, /1001 supernodes, 1,001,000 of whose greetings come from the default full mesh .* over the limit of 1,000,000/);
    assert.deepEqual(codes(run([header(1001, true)])), []);
    assert.deepEqual(codes(run([header(1000, false)])), []);
  });

  it('says that a number too large for a double (1e400, read as Infinity) is the problem, not its type', () => {
    const r = run([HEADER, '{"type":"note","t":1e400,"text":"x"}']);
    assert.deepEqual(codes(r), ['TRC004@2']);
    assert.match(r.problems[0].message, /field "t" must be a finite number, got one too large for a double \(read as Infinity\)/);
  });

  it('rejects binary garbage line by line, with a word on binary data', () => {
    const r = run(['\u0000\u0001\ufffd\ufffdPK', HEADER]);
    assert.deepEqual(codes(r), ['TRC001@1', 'TRC004@2']);
    assert.match(r.problems[0].message, /binary file/);
  });

  it('keeps memory bounded: the in-flight table empties, recent mids live in a fixed cache', () => {
    const v = new TraceValidator({ file: 'x' });
    v.line(HEADER, 1);
    let n = 1;
    const total = SLOTS + 1000;
    for (let i = 0; i < total; i++) {
      v.line(send(i, i), ++n);
      v.line(deliver(i, i), ++n);
    }
    assert.equal(v.inFlightCount, 0);
    v.line(deliver(total, total - 1), ++n); // settled just now: remembered
    v.line(send(total, total - 2), ++n); // re-used just after it was settled
    assert.deepEqual(codes(v.finish()), [`TRC006@${n - 1}`, `TRC007@${n}`]);
  });

  it('RecentMids: exact lookups, 1 and "1" apart, a fixed number of slots', () => {
    const r = new RecentMids();
    for (let i = 0; i < 10 * SLOTS; i++) r.add(`m${i}`, i + 1);
    for (let i = 10 * SLOTS - 10; i < 10 * SLOTS; i++) assert.equal(r.get(`m${i}`), i + 1);
    r.add(1, -7);
    assert.equal(r.get(1), -7);
    assert.equal(r.get('1'), undefined);
    assert.equal(r.get('never'), undefined);
  });
});
