// `snc export --itf`: the ITF JSON of a trace matches schemas/itf.schema.json
// (the ITF shape, checked with ajv), every state sets every variable, and the
// trace round-trips: each state's `event` decodes back to the trace's event.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema } from 'ajv';
import itfSchema from '../schemas/itf.schema.json' with { type: 'json' };
import { exportItf } from '../checker/export/export.js';
import { ITF_VARS, fromItf } from '../checker/export/itf.js';
import { snc } from './helpers/cli.js';
import { main } from '../checker/cli/main.js';
import { memoryIo } from '../checker/cli/io.js';

const GOLDEN = 'test/golden/late-im-crash.no-client-crash.ndjson';
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(itfSchema as AnySchema);
let dir: string;

type Itf = { '#meta': Record<string, unknown>; vars: string[]; states: Record<string, unknown>[] };

async function toItf(path: string): Promise<Itf> {
  let text = '';
  const r = await exportItf(path, (s) => { text += s; });
  assert.equal(r.report.verdict, 'valid');
  return JSON.parse(text) as Itf;
}

/** A decoded variant `{tag, value}` as the trace writes it: `{[key]: tag, ...value}`. */
function untag(v: unknown, key: string): Record<string, unknown> {
  const { tag, value } = v as { tag: string; value: unknown };
  const fields = fromItf(value) as Record<string, unknown>;
  return Array.isArray((value as Record<string, unknown>)['#tup']) ? { [key]: tag } : { [key]: tag, ...fields };
}

/** The trace event a state's `event` and `t` stand for. */
function eventOf(state: Record<string, unknown>): Record<string, unknown> {
  const ev = untag(state.event, 'type');
  const raw = (state.event as { value: Record<string, unknown> }).value;
  if (raw.msg) ev.msg = untag(raw.msg, 'kind');
  if (raw.input) ev.input = untag(raw.input, 'kind');
  return { ...ev, t: fromItf(state.t) };
}

const sorted = (o: unknown): unknown => (Array.isArray(o) ? o.map(sorted) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)])) : o);

function roundTrips(itf: Itf, path: string): void {
  const events = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).slice(1).map((l) => JSON.parse(l));
  assert.equal(itf.states.length, events.length + 1);
  assert.deepEqual(eventOf(itf.states[0]).type, 'init');
  events.forEach((e, i) => assert.deepEqual(sorted(eventOf(itf.states[i + 1])), sorted(e), `state ${i + 1}`));
}

describe('snc export --itf', () => {
  before(() => { dir = mkdtempSync(join(tmpdir(), 'snc-export-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the ITF schema, sets every variable in every state, and round-trips the golden trace', async () => {
    const itf = await toItf(GOLDEN);
    assert.ok(validate(itf), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(itf.vars, [...ITF_VARS]);
    assert.equal(itf['#meta'].format, 'ITF');
    itf.states.forEach((s, i) => {
      assert.deepEqual(s['#meta'], { index: i, line: i + 1 });
      for (const v of ITF_VARS) assert.ok(v in s, `state ${i} lacks ${v}`);
    });
    roundTrips(itf, GOLDEN);
    const last = itf.states[itf.states.length - 1];
    assert.deepEqual(fromItf(last.hostsDown), ['h-c1']);
    const c1 = (fromItf(last.actors) as Map<string, Record<string, unknown>>).get('c1')!;
    assert.deepEqual([c1.up, c1.lastReceived, c1.lastSent], [false, 'OfflineImBatch', 'OfflineImFetch']);
  });

  it('writes no JSON numbers: integers are #bigint, fractions #unserializable, null None, ids Some', async () => {
    const file = join(dir, 'mixed.ndjson');
    const lines = [
      { type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: [{ id: 'sn1', role: 'supernode', host: 'h0' }, { id: 'c1', role: 'client', host: 'h1', user: 'alice' }] },
      { type: 'send', t: 1.5, from: 'sn1', to: 'c1', mid: 7, msg: { kind: 'LookupResult', user: 'bob', supernode: null } },
      { type: 'send', t: 2, from: 'sn1', to: 'c1', mid: 'x', msg: { kind: 'LookupResult', user: 'bob', supernode: 'sn1' } },
      { type: 'drop', t: 3, mid: 7 },
      { type: 'observe', t: 4, actor: 'c1', state: 'online', upstream: 'sn1' },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const itf = await toItf(file);
    assert.ok(validate(itf), JSON.stringify(validate.errors));
    const text = JSON.stringify(itf.states);
    assert.doesNotMatch(text.replace(/"#meta":\{[^}]*\}/g, ''), /:-?\d/, 'a JSON number outside #meta');
    assert.match(text, /"t":\{"#unserializable":"1.5"\}/);
    assert.match(text, /"supernode":\{"tag":"None","value":\{"#tup":\[\]\}\}/);
    assert.match(text, /"supernode":\{"tag":"Some","value":"sn1"\}/);
    roundTrips(itf, file);
    const last = itf.states[4];
    assert.equal((fromItf(last.inFlight) as unknown[]).length, 1);
    assert.equal((fromItf(last.dropped) as unknown[]).length, 1);
  });

  it('a fractional t (legal: t is any number >= 0) is #unserializable, read back as the very same number; --help says so', async () => {
    const file = join(dir, 'fractions.ndjson');
    const ts = [1e-7, 0.30000000000000004, 2.5, 3, 1700000000123.4568];
    const lines = [
      { type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: [{ id: 'sn1', role: 'supernode', host: 'h0' }, { id: 'c1', role: 'client', host: 'h1', user: 'alice' }] },
      ...ts.map((t, i) => ({ type: 'observe', t, actor: 'c1', state: i % 2 ? 'online' : 'offline' })),
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    // The validator accepts it (toItf asserts valid): fractional t is part of the format, not an error.
    const itf = await toItf(file);
    assert.ok(validate(itf), JSON.stringify(validate.errors));
    assert.deepEqual(itf.states.slice(1).map((s) => s.t), [
      { '#unserializable': '1e-7' }, { '#unserializable': '0.30000000000000004' }, { '#unserializable': '2.5' }, { '#bigint': '3' }, { '#unserializable': '1700000000123.4568' },
    ]);
    itf.states.slice(1).forEach((s, i) => assert.ok(Object.is(fromItf(s.t), ts[i]), `t ${ts[i]} read back as ${String(fromItf(s.t))}`));
    roundTrips(itf, file);
    const help = (await snc(['export', '--help'])).stdout.replace(/\s+/g, ' ');
    assert.match(help, /A number that is not an integer, such as a fractional t .* is written \{"#unserializable": "1\.5"\}/);
    assert.match(help, /fromItf \(checker\/export\/itf\.ts\) reads it back as the same number; Quint reads it as an opaque name, not a number/);
  });

  it('the schema rejects what is not ITF (control)', () => {
    assert.equal(validate({ vars: ['x'], states: [{ x: 1 }] }), false, 'a JSON number');
    assert.equal(validate({ vars: ['x'], states: [{ x: { '#bigint': '1x' } }] }), false);
    assert.equal(validate({ vars: ['x'], states: [{ x: { '#map': [[1]] } }] }), false);
    assert.equal(validate({ states: [] }), false);
  });

  it('CLI: --out writes the file; exit 3 and no file for an invalid trace; exit 2 for usage errors', async function () {
    this.timeout(60_000);
    const out = join(dir, 'ce.itf.json');
    const ok = await snc(['export', '--itf', GOLDEN, '--out', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^wrote .*ce\.itf\.json \(ITF, 28 states\)\n$/);
    assert.ok(validate(JSON.parse(readFileSync(out, 'utf8'))));
    const bad = await snc(['export', '--itf', 'traces/samples/invalid-time-backwards.ndjson', '--out', join(dir, 'bad.itf.json')]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /TRC010/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('bad')), [], 'no partial output');
    for (const [args, re] of [
      [['export', GOLDEN], /CLI001 say which format: --itf/],
      [['export', '--itf', 'no/such.ndjson'], /CLI002 file not found/],
      [['export', '--itf', '-'], /CLI001 export reads its trace twice/],
      [['export', '--itf', GOLDEN, '--tla'], /CLI001 unknown flag --tla/],
      [['export', '--itf', GOLDEN, '--out', join(dir, 'no-such-folder', 'x.json')], /CLI003 cannot write ".*no-such-folder\/x\.json": ENOENT \(no folder .*no-such-folder\)/],
    ] as [string[], RegExp][]) {
      const io = memoryIo();
      assert.equal(await main(args, io), 2, args.join(' '));
      assert.match(io.stderr.join(''), re);
    }
    assert.ok(existsSync(out));
  });
});
