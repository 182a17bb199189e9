// `snc run-tests` (checker/runner): the plan a test case becomes (time
// scaling, drops armed ahead of their message, waits for timeouts), the
// verdict rules, runs against the model itself as an implementation
// (test/helpers/model-adapter.ts: a correct one passes, one with a bug switch
// fails at the divergence), the reference overlay when it is present, the
// CLI's coded errors for bad input, and the mocha files --emit-mocha writes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import type { SystemConfig } from '../schemas/generated/config.js';
import type { FileReport, Report } from '../schemas/generated/report.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema } from 'ajv';
import reportSchema from '../schemas/report.schema.json' with { type: 'json' };
import type { TestCase, TestSuite } from '../schemas/generated/testcases.js';
import { PRESETS } from '../models/presets.js';
import { testgen } from '../checker/testgen/run.js';
import { planCase, scaleConfig } from '../checker/runner/plan.js';
import { judge, runCase, runSuite } from '../checker/runner/run.js';
import { parseSuite, SuiteError } from '../checker/runner/suite.js';
import { loadAdapter, AdapterError } from '../checker/runner/load-adapter.js';
import type { Adapter } from '../checker/runner/adapter.js';
import { caseLine, runJunit } from '../checker/cli/render-run.js';
import modelAdapter from './helpers/model-adapter.js';
import { hasStackTrace, ROOT, snc } from './helpers/cli.js';

// Scratch space inside the repository (snc-out/ is ignored by git), so that generated
// mocha files resolve the runner and tsx treats them as ES modules.
const WORK = join(ROOT, 'snc-out', 'test-runner');
let dir: string;

/** 1 auth, 1 im, one supernode with room for one client, two clients: a capacity contest, no faults. */
const CONTEST: SystemConfig = {
  name: 'contest',
  actors: [
    { id: 'auth', role: 'auth' }, { id: 'im', role: 'im' },
    { id: 'sn1', role: 'supernode', host: 'h-sn1', capacity: 1 },
    { id: 'c1', role: 'client', host: 'h-c1', user: 'alice' }, { id: 'c2', role: 'client', host: 'h-c2', user: 'bob' },
  ],
  params: { maxAttempts: 2, missedKeepalives: 1, hostCacheMax: 4, queryTtl: 1, overloadThreshold: 0, authQueue: 0 },
  budget: {},
};

let tiny: TestSuite;
let contest: TestSuite;

before(async function () {
  this.timeout(120_000);
  await mkdir(WORK, { recursive: true });
  dir = mkdtempSync(join(WORK, 'run-'));
  tiny = testgen({ config: PRESETS.tiny, preset: 'tiny', coverage: 'states' });
  contest = testgen({ config: CONTEST, preset: 'contest', coverage: 'states' });
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));
  writeFileSync(join(dir, 'contest.json'), JSON.stringify(contest));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** tiny's opening (both Logins) and a drop of c1's first Connect (mid 3: the supernodes' PeerHellos are 1 and 2). */
function dropCase(): TestCase {
  return {
    id: 'drop-first-connect', preset: 'tiny', goals: [], properties: ['capacity', 'login-answered'],
    opening: [{ step: 'input', actor: 'c1', input: { kind: 'Login' } }, { step: 'input', actor: 'c2', input: { kind: 'Login' } }],
    steps: [
      { step: 'drop', message: { from: 'c1', to: 'sn1', kind: 'Connect', mid: 3 } },
      { step: 'timeout', actor: 'sn1', timer: 'join' },
      { step: 'timeout', actor: 'c1', timer: 'connect' },
    ],
    expect: { states: [], inFlight: [], violated: [], witnessed: [] }, trace: [],
  };
}

describe('runner plan', () => {
  it('scales every ms parameter (defaults included) and clock-time property bounds, nothing else', () => {
    const c = scaleConfig({ ...PRESETS.tiny, props: { 'reattach-within': { within: 60_000, measure: 'time' }, 'login-answered': { within: 6 } } }, 0.02);
    assert.equal(c.params!.connectTimeout, 100); // default 5 s
    assert.equal(c.params!.keepaliveInterval, 144_000); // the preset's 2 h
    assert.equal(c.params!.warmup, 12_000); // default 10 min
    assert.equal(c.params!.maxAttempts, 2); // a count: unchanged
    assert.equal(c.props!['reattach-within']!.within, 1_200);
    assert.equal(c.props!['login-answered']!.within, 6); // counts steps: unchanged
  });

  it('arms a drop before the step that leads to the message, and waits for timeouts', () => {
    const config = PRESETS.tiny;
    const plan = planCase(config, scaleConfig(config, 0.02), dropCase());
    assert.deepEqual(plan.ops.map((o) => o.op), ['arm-drop', 'apply', 'apply', 'wait']);
    assert.deepEqual(plan.ops[0], { op: 'arm-drop', from: 'c1', to: 'sn1', kind: 'Connect', where: 'steps[0]' });
    // The two Logins go in back to back (no settle between), then the network runs.
    assert.deepEqual(plan.ops.slice(1, 3).map((o) => (o.op === 'apply' ? o.settle : undefined)), [false, true]);
    assert.deepEqual(plan.ops[3], { op: 'wait', ms: 200, timers: ['sn1.join', 'c1.connect'] });
    assert.deepEqual(plan.needs, ['drop']);
  });

  it('says when a drop can only be approximated', () => {
    const t = dropCase();
    // sn1's PeerHello to sn2 is sent while the system starts, before any drop can be armed.
    t.steps = [{ step: 'drop', message: { from: 'sn1', to: 'sn2', kind: 'PeerHello', mid: 1 } }];
    const plan = planCase(PRESETS.tiny, PRESETS.tiny, t);
    assert.equal(plan.ops[0].op, 'arm-drop');
    assert.match(plan.notes.join('\n'), /sent during start-up/);
  });
});

describe('runner verdicts (judge)', () => {
  const report = (problems: FileReport['problems'], violated: string[]): FileReport => ({
    file: 'r.ndjson', verdict: problems.length || violated.length ? 'violates' : 'conforms', problems,
    properties: ['capacity', 'no-client-crash'].map((id) => ({ id, kind: 'always' as const, status: violated.includes(id) ? 'violated' as const : 'holds' as const, ...(violated.includes(id) ? { line: 9, explanation: 'x' } : {}) })),
  });
  const test = (violated: string[], forge = false): TestCase => ({ ...dropCase(), steps: forge ? [{ step: 'forge', from: 'c1', to: 'sn1' }] : [], expect: { states: [], inFlight: [], violated, witnessed: [] } });
  const chk = (message: string, line: number) => ({ code: 'CHK001', message, file: 'r.ndjson', line, property: 'conformance', hint: '' });

  it('fails on a property the test does not expect violated, with file:line', () => {
    const j = judge(report([], ['no-client-crash']), test([]));
    assert.deepEqual(j.failures, [{ code: 'PRP001', property: 'no-client-crash', message: 'property no-client-crash violated: x', at: 'r.ndjson:9' }]);
  });

  it('passes a property the model itself violates on that path', () => {
    const j = judge(report([], ['no-client-crash']), test(['no-client-crash']));
    assert.deepEqual(j.failures, []);
    assert.deepEqual(j.expectedViolated, ['no-client-crash']);
  });

  it('excuses the forged Register the test injected, once per forge step, but no other divergence', () => {
    const forged = chk('c1 sent Register to sn1, which its model does not emit here: {…}', 4);
    const ack = chk('sn1 sent RegisterAck to c1, which its model does not emit here', 6);
    assert.deepEqual(judge(report([forged], []), test([], true)).failures, []);
    assert.deepEqual(judge(report([forged, ack], []), test([], true)).failures.map((f) => f.at), ['r.ndjson:6']);
    assert.equal(judge(report([forged], []), test([])).failures.length, 1, 'without a forge step it is a divergence');
  });
});

describe('runner against the model as an implementation', function () {
  this.timeout(120_000);

  it('a correct implementation passes every test, and each recording conforms', async () => {
    const r = await runSuite(modelAdapter, tiny, { outDir: join(dir, 'tiny'), seed: 3 });
    assert.equal(r.cases.length, tiny.tests.length);
    assert.deepEqual(r.cases.map((c) => [c.id, c.status]), tiny.tests.map((t) => [t.id, 'pass']));
    for (const c of r.cases) {
      assert.equal(c.report?.verdict, 'conforms');
      assert.ok((c.report?.events ?? 0) > 20, `${c.id}: a real run, not an empty recording`);
      assert.ok(existsSync(c.recording!));
    }
  });

  it('a supernode that skips its capacity check fails at the ConnectAck it should not send', async () => {
    const good = await runSuite(modelAdapter, contest, { outDir: join(dir, 'contest'), seed: 3 });
    assert.equal(good.failed, 0, 'the correct run passes (control)');
    const bad = await runSuite(modelAdapter, contest, { outDir: join(dir, 'contest'), seed: 3, bugs: ['skip-capacity-check'] });
    const failing = bad.cases.filter((c) => c.status === 'fail');
    assert.ok(failing.length > 0, 'the bug is detected');
    for (const c of failing) {
      const f = c.failures[0];
      assert.equal(f.code, 'CHK001');
      assert.match(f.message, /^sn1 sent ConnectAck to c[12], which its model does not emit here/);
      // The place is the recording's line of that send.
      const [file, line] = [f.at!.slice(0, f.at!.lastIndexOf(':')), Number(f.at!.slice(f.at!.lastIndexOf(':') + 1))];
      assert.equal(file, c.recording);
      const ev = JSON.parse(readFileSync(file, 'utf8').split('\n')[line - 1]);
      assert.deepEqual([ev.type, ev.from, ev.msg.kind], ['send', 'sn1', 'ConnectAck']);
    }
  });

  it('forged Registers: rejected by a correct supernode (pass), accepted by one that skips the check (fail)', async () => {
    const forged = testgen({ config: PRESETS['forged-credential'], preset: 'forged-credential', coverage: 'transitions' });
    const forging = forged.tests.filter((t) => t.steps.some((s) => s.step === 'forge'));
    assert.ok(forging.length > 0);
    const good = await runSuite(modelAdapter, forged, { outDir: join(dir, 'forge'), seed: 2 });
    assert.equal(good.failed, 0, JSON.stringify(good.cases.flatMap((c) => c.failures)));
    const bad = await runSuite(modelAdapter, forged, { outDir: join(dir, 'forge'), seed: 2, bugs: ['skip-credential-check'], only: forging.map((t) => t.id) });
    // A forgery while sn1 is still joining is turned away either way; once it serves, the defect shows.
    assert.ok(bad.failed > 0);
    for (const c of bad.cases.filter((x) => x.status === 'fail')) assert.match(c.failures[0].message, /^sn1 sent RegisterAck to c1, which its model does not emit here/);
  });

  it('a drop armed ahead loses the message the test drops, and the run still conforms', async () => {
    const r = await runCase(modelAdapter, tiny, dropCase(), 0, { outDir: join(dir, 'drop'), seed: 1 });
    assert.equal(r.status, 'pass', JSON.stringify(r.failures));
    const events = readFileSync(r.recording!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const connect = events.find((e) => e.type === 'send' && e.from === 'c1' && e.msg.kind === 'Connect');
    assert.ok(events.some((e) => e.type === 'drop' && e.mid === connect.mid), 'c1\'s first Connect is dropped');
    assert.ok(!events.some((e) => e.type === 'deliver' && e.mid === connect.mid));
  });

  it('skips a test that needs a fault the adapter lacks, and says which', async () => {
    // The model's running system without the optional faults.
    const bare = {
      name: 'no-faults',
      async start(o: Parameters<typeof modelAdapter.start>[0]) {
        const rs = await modelAdapter.start(o);
        return { input: rs.input.bind(rs), crash: rs.crash.bind(rs), restart: rs.restart.bind(rs), settle: rs.settle.bind(rs), stop: rs.stop.bind(rs) };
      },
    };
    const r = await runCase(bare, tiny, dropCase(), 0, { outDir: join(dir, 'skip') });
    assert.equal(r.status, 'skip');
    assert.match(r.skipped!, /drop\(\)/);
  });

  it('an adapter that throws fails the test with RUN007, and the run goes on', async () => {
    const broken = { name: 'broken', start: async () => { throw new Error('cannot bind port'); } };
    const r = await runSuite(broken, tiny, { outDir: join(dir, 'broken') });
    assert.equal(r.failed, tiny.tests.length);
    assert.deepEqual(r.cases[0].failures.map((f) => f.code), ['RUN007']);
    assert.match(r.cases[0].failures[0].message, /cannot bind port/);
    // Nothing was recorded: no path to a file that does not exist, in any output.
    assert.equal(r.cases[0].recording, undefined);
    assert.doesNotMatch(caseLine(r.cases[0]), /\.ndjson/);
    assert.doesNotMatch(runJunit(r), /recording:/);
  });

  it('names the recording only when the adapter recorded something (not an empty file)', async () => {
    const header = JSON.stringify({ type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: tiny.config.actors });
    const only = [tiny.tests[0].id];
    const emptyThenThrow: Adapter = { name: 'empty', start: async ({ record }) => { writeFileSync(record, ''); throw new Error('port in use'); } };
    const e = (await runSuite(emptyThenThrow, tiny, { outDir: join(dir, 'empty-throw'), only })).cases[0];
    assert.deepEqual([e.status, e.failures[0].code, e.recording], ['fail', 'RUN007', undefined]);
    assert.doesNotMatch(caseLine(e), /\.ndjson/);
    // A run that recorded something before failing keeps its path: the partial recording is worth a look.
    const partThenThrow: Adapter = { name: 'partial', start: async ({ record }) => { writeFileSync(record, header + '\n'); throw new Error('port in use'); } };
    const p = (await runSuite(partThenThrow, tiny, { outDir: join(dir, 'partial-throw'), only })).cases[0];
    assert.match(p.recording ?? '', /partial-throw/);
    assert.match(caseLine(p), /partial-throw.*\.ndjson$/m);
    // A run that completes but leaves an empty file: RUN007, no path, and the message says it is empty.
    const silentEmpty: Adapter = { name: 'silent-empty', start: async ({ record }) => { writeFileSync(record, ''); return { input: async () => {}, crash: async () => {}, restart: async () => {}, settle: async () => {}, stop: async () => {} }; } };
    const s = (await runSuite(silentEmpty, tiny, { outDir: join(dir, 'silent-empty'), only })).cases[0];
    assert.deepEqual([s.status, s.failures.map((f) => f.code), s.recording], ['fail', ['RUN007'], undefined]);
    assert.match(s.failures[0].message, /wrote no readable recording at .*: empty file$/);
  });

  it('an adapter that records nothing fails (RUN007), even where an earlier run left a recording', async () => {
    const out = join(dir, 'stale');
    const first = await runSuite(modelAdapter, tiny, { outDir: out, seed: 3, only: [tiny.tests[0].id] });
    assert.equal(first.passed, 1);
    const silent = { name: 'silent', start: async () => ({ input: async () => {}, crash: async () => {}, restart: async () => {}, settle: async () => {}, stop: async () => {} }) };
    const again = await runSuite(silent, tiny, { outDir: out, seed: 3, only: [tiny.tests[0].id] });
    assert.equal(again.failed, 1);
    assert.match(again.cases[0].failures[0].message, /wrote no readable recording .*ENOENT/);
    assert.equal(again.cases[0].recording, undefined);
  });
});

const REFERENCE = join(ROOT, 'reference/adapter.ts');
describe('runner against the reference overlay', function () {
  this.timeout(180_000);
  before(function () { if (!existsSync(REFERENCE)) this.skip(); });

  it('passes the tiny suite, and a capacity bug switch is caught', async () => {
    const reference = await loadAdapter(REFERENCE);
    const good = await runSuite(reference, tiny, { outDir: join(dir, 'ref'), seed: 5 });
    assert.deepEqual(good.cases.map((c) => c.status), tiny.tests.map(() => 'pass'), JSON.stringify(good.cases.flatMap((c) => c.failures)));
    const bad = await runSuite(reference, contest, { outDir: join(dir, 'ref'), seed: 5, bugs: ['skip-capacity-check'] });
    assert.ok(bad.failed > 0);
    assert.match(bad.cases.find((c) => c.status === 'fail')!.failures[0].message, /sn1 sent (ConnectAck|RegisterAck) to c[12]/);
  });
});

describe('runner inputs', () => {
  it('a suite that is not JSON, not schema-valid or inconsistent is a coded problem with its place', () => {
    const err = (text: string) => { try { parseSuite(text, 's.json'); } catch (e) { assert.ok(e instanceof SuiteError); return e.problems[0]; } assert.fail('accepted'); };
    assert.deepEqual([err('{"format": ').code, err('{"format": ').place], ['RUN001', 's.json:1:12']);
    const trace = err('{"type":"header","format":"supernode-trace","version":1}\n{"type":"note","t":0,"text":"x"}\n');
    assert.deepEqual([trace.code, trace.place], ['RUN001', 's.json:1:1']);
    assert.match(trace.message, /this is a trace .*not a test suite/);
    const schema = err(JSON.stringify({ ...tiny, version: 2 }));
    assert.deepEqual([schema.code, schema.place], ['RUN002', 's.json#/version']);
    // One wrong field in one step is one problem, not one per kind of step (discriminated by `step`).
    const typo = structuredClone(tiny);
    const at = typo.tests[0].steps.findIndex((x: { step: string }) => x.step === 'deliver');
    (typo.tests[0].steps[at] as { message: { from: unknown } }).message.from = 7;
    const all = (() => { try { parseSuite(JSON.stringify(typo), 's.json'); } catch (e) { return (e as SuiteError).problems; } return []; })();
    assert.deepEqual(all.map((p) => `${p.code} ${p.place} ${p.message}`), [`RUN002 s.json#/tests/0/steps/${at}/message/from /tests/0/steps/${at}/message/from must be string`]);
    const t = structuredClone(tiny);
    t.tests[0].steps.push({ step: 'crash', host: 'h-nowhere' });
    const bad = err(JSON.stringify(t));
    assert.equal(bad.code, 'RUN003');
    assert.equal(bad.place, `s.json#/tests/0/steps/${t.tests[0].steps.length - 1}`);
    assert.match(bad.message, /h-nowhere/);
  });

  it('a module that is missing or not an adapter is a coded problem', async () => {
    await assert.rejects(loadAdapter('no/such/adapter.ts', ROOT), (e: unknown) => e instanceof AdapterError && e.code === 'RUN004');
    await assert.rejects(loadAdapter('checker/codes.ts', ROOT), (e: unknown) => e instanceof AdapterError && e.code === 'RUN005' && /default export is missing/.test(e.message));
  });

  it('a syntax error in a .mts adapter names that file (esbuild sees it as .ts)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'snc-mts-'));
    writeFileSync(join(d, 'broken.mts'), 'export default { name: "x", start( {\n');
    await assert.rejects(loadAdapter(join(d, 'broken.mts')), (e: unknown) => {
      assert.ok(e instanceof AdapterError && e.code === 'RUN004', String(e));
      assert.match(e.message, /broken\.mts:\d+:\d+: ERROR/);
      assert.doesNotMatch(e.message, /broken\.ts\b/);
      return true;
    });
    rmSync(d, { recursive: true, force: true });
  });

  it('a syntax error in a JavaScript adapter names the file and line (Node\'s import() does not)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'snc-mjs-'));
    writeFileSync(join(d, 'broken.mjs'), 'export default {\n  name: "x",\n  error error\n};\n');
    await assert.rejects(loadAdapter(join(d, 'broken.mjs')), (e: unknown) => {
      assert.ok(e instanceof AdapterError && e.code === 'RUN004', String(e));
      assert.match(e.message, /Unexpected identifier 'error' \(at .*broken\.mjs:3\)/);
      return true;
    });
    rmSync(d, { recursive: true, force: true });
  });
});

describe('snc run-tests (CLI)', function () {
  this.timeout(120_000);
  const MODEL = 'test/helpers/model-adapter.ts';
  const clean = (r: { code: number | null; stdout: string; stderr: string }, exit: number, code?: RegExp) => {
    assert.equal(r.code, exit, r.stderr + r.stdout);
    assert.ok(!hasStackTrace(r.stdout + r.stderr), r.stderr);
    if (code) assert.match(r.stderr, code);
  };

  it('runs a suite: a line per test and a summary; exit 0, or 1 with the failure and the recording', async () => {
    const ok = await snc(['run-tests', join(dir, 'contest.json'), '--adapter', MODEL, '--seed', '2', '--out', join(dir, 'cli')]);
    clean(ok, 0);
    assert.match(ok.stdout, /^✓ contest-states-1 {2}\(\d+ steps?, [\d.]+ s\) {2}.*cli\/contest-states-1\.ndjson$/m);
    assert.match(ok.stdout, /on model: 2 passed, 0 failed, 0 skipped of 2 tests \([\d.]+ s; time scale 0\.02, seed 2\)$/m);
    const bad = await snc(['run-tests', join(dir, 'contest.json'), '--adapter', MODEL, '--seed', '2', '--out', join(dir, 'cli'), '--bug', 'skip-capacity-check', '--format', 'junit']);
    clean(bad, 1);
    assert.match(bad.stdout, /<testcase classname="contest" name="contest-states-\d"[^>]*><failure message="sn1 sent ConnectAck/);
    assert.match(bad.stdout, /recording: .*contest-states-\d\.skip-capacity-check\.ndjson/);
  });

  it('an adapter whose start() fails: the test line prints no recording path (none was written)', async () => {
    const broken = join(dir, 'start-fails.ts');
    writeFileSync(broken, 'export default { name: "start-fails", start: async () => { throw new Error("cannot bind port 4000"); } };\n');
    const r = await snc(['run-tests', join(dir, 'contest.json'), '--adapter', broken, '--seed', '2', '--out', join(dir, 'cli-start-fails')]);
    clean(r, 1);
    assert.match(r.stdout, /^✗ contest-states-1 {2}\(\d+ steps?, [\d.]+ s\)\n {4}RUN007 adapter: adapter start-fails threw: cannot bind port 4000$/m);
    assert.doesNotMatch(r.stdout, /\.ndjson/);
  });

  it('--format json prints a report that matches schemas/report.schema.json (the run under testRun)', async () => {
    const r = await snc(['run-tests', join(dir, 'contest.json'), '--adapter', MODEL, '--seed', '2', '--out', join(dir, 'cli-json'), '--bug', 'skip-capacity-check', '--format', 'json']);
    clean(r, 1);
    const report = JSON.parse(r.stdout) as Report;
    const validate = new Ajv2020({ strict: true }).compile<Report>(reportSchema as AnySchema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual([report.command, report.ok, report.reportVersion], ['run-tests', false, 1]);
    const run = report.testRun!;
    assert.deepEqual([run.suite, run.bugs, run.seed, run.cases.length, run.failed + run.passed + run.skipped], ['contest', ['skip-capacity-check'], 2, 2, 2]);
    const failed = run.cases.find((c) => c.status === 'fail')!;
    assert.equal(failed.failures[0].code, 'CHK001');
    assert.match(failed.recording ?? '', /cli-json\/contest-states-\d\.skip-capacity-check\.ndjson$/);
  });

  it('bad input: coded errors, distinct exit codes, no stack trace', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format": "supernode-testcases",\n  "version": }');
    writeFileSync(join(dir, 'not-a-suite.json'), JSON.stringify({ hello: 1 }));
    writeFileSync(join(dir, 'not-an-adapter.ts'), 'export default { name: "x" };\n');
    const suite = join(dir, 'tiny.json');
    clean(await snc(['run-tests', '--adapter', MODEL]), 2, /CLI001 no test suite given/);
    clean(await snc(['run-tests', suite]), 2, /CLI001 --adapter MODULE is required/);
    clean(await snc(['run-tests', join(dir, 'missing.json'), '--adapter', MODEL]), 2, /CLI002 file not found/);
    clean(await snc(['run-tests', join(dir, 'broken.json'), '--adapter', MODEL]), 3, /broken\.json:2:14: RUN001 not valid JSON/);
    clean(await snc(['run-tests', join(dir, 'not-a-suite.json'), '--adapter', MODEL]), 3, /not-a-suite\.json#\/: RUN002 .*required property 'format'/);
    clean(await snc(['run-tests', suite, '--adapter', 'nowhere/adapter.ts']), 2, /RUN004 adapter module "nowhere\/adapter\.ts" not found/);
    clean(await snc(['run-tests', suite, '--adapter', join(dir, 'not-an-adapter.ts')]), 2, /RUN005 .* is not an adapter: its default export has no `start\(opts\)` method/);
    // A .ts adapter with no "type": "module" package.json above it is taken for CommonJS.
    const loose = mkdtempSync(join(tmpdir(), 'snc-adapter-'));
    writeFileSync(join(loose, 'cjs.ts'), 'const a = { name: "a", start: async () => { throw new Error("x"); } };\nexport default a;\n');
    clean(await snc(['run-tests', suite, '--adapter', join(loose, 'cjs.ts')]), 2, /RUN004 adapter module ".*cjs\.ts" is not loaded as an ES module .*hint: .*name it \.mts/);
    rmSync(loose, { recursive: true, force: true });
    clean(await snc(['run-tests', suite, '--adapter', MODEL, '--bug', 'no-such-bug']), 2, /RUN006 adapter model has no bug switch "no-such-bug" — hint: its switches: skip-capacity-check, skip-credential-check, /);
    clean(await snc(['run-tests', suite, '--adapter', MODEL, '--time-scale', 'fast']), 2, /CLI001 --time-scale must be a number/);
    clean(await snc(['run-tests', suite, '--adapter', MODEL, '--formt', 'json']), 2, /CLI001 unknown flag --formt .*did you mean --format/);
    clean(await snc(['run-tests', suite, '--adapter', MODEL, '--out', suite]), 2, /CLI003 cannot write to ".*": ENOTDIR \(.* is not a folder\) — hint: --out DIR must be a folder/);
  });

  it('--help names the flags; snc --help lists the command', async () => {
    const h = await snc(['run-tests', '--help']);
    clean(h, 0);
    for (const f of ['--adapter MODULE', '--bug NAME', '--time-scale F', '--format text|json|junit', '--out DIR', '--seed S', '--emit-mocha DIR']) assert.ok(h.stdout.includes(f), f);
    assert.match((await snc(['--help'])).stdout, /^ {2}run-tests <suite\.json> +run generated test cases/m);
  });

  it('--emit-mocha writes one `it` per case with a banner, and the file runs under mocha', async () => {
    const out = join(dir, 'mocha');
    const r = await snc(['run-tests', join(dir, 'tiny.json'), '--adapter', MODEL, '--seed', '4', '--out', join(dir, 'mocha-rec'), '--emit-mocha', out]);
    clean(r, 0);
    const file = join(out, 'tiny.test.ts');
    // The command it prints runs this file alone (without --no-config, .mocharc.json adds the project's suite).
    assert.ok(r.stdout.includes(`run: npx mocha --no-config --require tsx ${file}`), r.stdout);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\/\/ generated by supernode-check — do not edit — regenerate with:\n\/\/ {3}snc run-tests .*tiny\.json --adapter test\/helpers\/model-adapter\.ts --seed 4 --emit-mocha /);
    assert.equal(text.match(/^ {2}it\(/gm)?.length, tiny.tests.length);
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', '--no-config', '--require', 'tsx', '--timeout', '100000', file], { cwd: ROOT });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (code) => resolve({ code, out: text }));
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, new RegExp(`${tiny.tests.length} passing`));
  });
});
