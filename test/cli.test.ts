// Golden-ish tests of the `snc` executable, run as a child process: exit codes
// (0 valid, 3 invalid, 2 usage, 70 internal), the shape of the output, no
// stack traces on bad input, and the JSON report against report.schema.json.
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema } from 'ajv';
import type { Report } from '../schemas/generated/report.js';
import reportSchema from '../schemas/report.schema.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };
import { main } from '../checker/cli/main.js';
import { memoryIo } from '../checker/cli/io.js';
import { spawn } from 'node:child_process';
import { hasStackTrace, ROOT, snc } from './helpers/cli.js';
import { EMPTY_HEADER, writeHugeLine } from './helpers/hostile.js';

const S = 'traces/samples';
// A child process includes tsx's start-up and shares the machine with other
// tests: this bound only tells "finishes" from "hangs or goes quadratic" (a
// 100 MB line takes about a second). The in-process timing is in reader.test.ts.
const HANG_MS = 20_000;
let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'snc-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts a clean failure: the exit code, a code on stderr, no stack trace anywhere. */
function assertClean(r: { code: number | null; stdout: string; stderr: string }, exit: number): void {
  assert.equal(r.code, exit, `exit code; stderr: ${r.stderr}`);
  assert.ok(!hasStackTrace(r.stdout + r.stderr), `stack trace printed:\n${r.stderr}`);
}

describe('snc (CLI)', function () {
  // Some tests run 20–35 child processes in turn: ~15 s on an idle machine, 50 s and more
  // (one over mocha's 60 s) while other jobs load both cores. Hangs are caught by HANG_MS.
  this.timeout(180_000);
  it('--help lists validate and the coming commands; --version prints the version', async () => {
    const help = await snc(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}validate <file>\.\.\. +check that trace files/m);
    for (const c of ['explore', 'check', 'simulate', 'testgen', 'docs', 'explain']) {
      assert.match(help.stdout, new RegExp(`^ {2}${c}\\b`, 'm'), `${c} is listed (available, or marked coming)`);
    }
    assert.equal((await snc(['--version'])).stdout, `${pkg.version}\n`);
    const sub = await snc(['validate', '-h']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /--max-errors N/);
  });

  it('exits 0 on the valid samples, with a verdict per file and a summary', async () => {
    const files = ['valid-login-two-clients.ndjson', 'valid-supernode-crash-reattach.ndjson'].map((f) => `${S}/${f}`);
    const r = await snc(['validate', ...files]);
    assertClean(r, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /valid-login-two-clients\.ndjson: valid \(56 lines, 55 events, 5 actors\)/);
    assert.match(r.stdout, /^2 files: 2 valid, 0 invalid$/m);
  });

  it('exits 3 on an invalid trace, with file:line, the code, the value and a hint', async () => {
    const r = await snc(['validate', `${S}/invalid-deliver-unknown-mid.ndjson`]);
    assertClean(r, 3);
    assert.match(r.stdout, /^traces\/samples\/invalid-deliver-unknown-mid\.ndjson:7: TRC005 deliver of unknown mid "m9" — hint: /m);
    assert.match(r.stdout, /: invalid: 1 problem, first on line 7/);
  });

  it('--quiet prints the problems only', async () => {
    const r = await snc(['validate', '-q', `${S}/valid-login-two-clients.ndjson`, `${S}/invalid-time-backwards.ndjson`]);
    assertClean(r, 3);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ')[0]), ['traces/samples/invalid-time-backwards.ndjson:4:']);
  });

  it('exits 2 with CLI002 and the path for a missing file, before validating anything', async () => {
    const r = await snc(['validate', `${S}/valid-login-two-clients.ndjson`, 'no/such/trace.ndjson']);
    assertClean(r, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /CLI002 file not found: "no\/such\/trace\.ndjson" — hint: /);
  });

  it('exits 2 with a CLI code on usage errors and bad file arguments', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['validate', '--max-erors', '3', 'x'], /CLI001 unknown flag --max-erors .*did you mean --max-errors\?/],
      [['validate'], /CLI001 no trace file given/],
      [['validate', '--format', 'xml', 'x'], /CLI001 --format must be one of text, json/],
      [['validate', '--max-errors', '-1', 'x'], /CLI001 --max-errors must be an integer.*got "-1"/],
      [['validate', '-', '-'], /CLI001 standard input \(-\) can be read only once/],
      [['check', '-', '-'], /CLI001 standard input \(-\) can be read only once/],
      [['check', '--props', '', 'traces/samples/valid-login-two-clients.ndjson'], /CLI001 --props names no property/],
      [['explore', '--config', '-'], /CLI001 --config cannot be read from standard input \(-\)/],
      [['run-tests', '-', '--adapter', 'reference/adapter.ts'], /CLI001 a test suite cannot be read from standard input \(-\)/],
      [['export', '--itf', 'no/such.ndjson'], /CLI002 file not found: "no\/such\.ndjson" — hint: check the path \(relative paths start from the current directory\)$/m],
      [['simulate', '-'], /CLI001 a scenario cannot be read from standard input \(-\)/],
      [['explain', 'traces'], /CLI003 "traces" is a directory/],
      [['explain', 'CHK999'], /CLI001 unknown problem code "CHK999" — hint: the codes are listed in docs\/errors\.md/],
      [['explain', 'Capacity'], /CLI001 "Capacity" is neither a trace file nor a problem code or property id — hint: did you mean capacity\?/],
      [['validate', 'traces'], /CLI003 "traces" is a directory/],
      [['simulate', 'no-such-scenario'], /CLI002 file not found: "no-such-scenario" — hint: name a bundled scenario \(login-flood-2007, outage-2010/],
      [['simulate', 'traces'], /CLI003 "traces" is a directory/],
      [['testgen', '--config', 'no/such.json', '--out', 'x.json'], /CLI002 file not found: "no\/such\.json"/],
      [['testgen', '--config', 'traces', '--out', 'x.json'], /CLI003 "traces" is a directory/],
      [['check', 'traces/samples/valid-login-two-clients.ndjson', '--hidden', '-3'], /CLI001 --hidden must be an integer .*got "-3"/],
      [['frobnicate'], /CLI001 unknown command "frobnicate"/],
      [['explain', `${S}/valid-login-two-clients.ndjson`, '--report', 'missing.json'], /CLI002 file not found: "missing\.json" — hint: pass the JSON that snc check, explore or simulate wrote/],
      [['chek', 'x.ndjson'], /CLI001 unknown command "chek" — hint: did you mean check\? commands:/],
      [['simulate', 'steady', '--param', 'loadWindow=0'], /CLI001 --param loadWindow must be at least 1, got 0 — hint: ms, at least 1: the timer re-arms itself/],
      [['simulate', 'steady', '--param', 'capacity=1.5'], /CLI001 --param capacity must be a whole number \(a count\), got 1\.5 — hint: e\.g\. capacity=300/],
      [['simulate', 'steady', '--param', 'capacity=1e3'], /CLI001 --param capacity must be a plain decimal number of at least 0, got "1e3"/],
      [['simulate', 'steady', '--clients', '10', '--supernodes', '100'], /CLI001 --supernodes 100 is more than the 10 clients: a supernode runs on a client's host/],
      [['simulate', 'steady', '--mega-shift', '1h'], /CLI001 --mega-shift: scenario steady has no add-mega action to move/],
      [['validate', '/dev/zero'], /CLI003 "\/dev\/zero" is a device or socket, not a file/],
      [['simulate', 'steady', '--props', ','], /CLI001 --props names no property/],
      [['simulate', 'steady', '--hours', '0.01'], /CLI001 --hours 0\.01 gives a run of 36 s, shorter than its sample interval \(60 s\): the summary would have no sample to report/],
      [['explore', '--preset', 'tiny', '--random', '--max-states', '10'], /CLI001 --max-states bounds the exhaustive search, not --random — hint: --runs and --depth bound the random walks/],
      [['simulate', 'steady', '--hours', '100000'], /CLI001 --hours 100000 is more than a simulated year \(8760 h\) — hint: the outages this replays last hours to days/],
    ];
    // A command listed as coming answers with a usage error, not a crash.
    const coming = /^ {2}(\w+)\b.*\(coming\)/m.exec((await snc(['--help'])).stdout)?.[1];
    if (coming) cases.push([[coming], new RegExp(`CLI001 \`snc ${coming}\` is not available yet`)]);
    for (const [args, expected] of cases) {
      const r = await snc(args);
      assertClean(r, 2);
      assert.match(r.stderr, expected, args.join(' '));
    }
  });

  it('--list lists what a command names, in explore, testgen and simulate; --list-presets stays an alias, documented as one', async () => {
    for (const cmd of ['explore', 'testgen']) {
      const r = await snc([cmd, '--list']);
      assertClean(r, 0);
      assert.match(r.stdout, /^ {2}tiny +1 auth, 1 im, 2 supernodes, 2 clients/m, cmd);
      assert.match(r.stdout, /^ {2}outage-small +/m, cmd);
      const old = await snc([cmd, '--list-presets']);
      assertClean(old, 0);
      assert.equal(old.stdout, r.stdout, `${cmd} --list-presets`);
      const help = (await snc([cmd, '--help'])).stdout;
      assert.match(help, /^ {2}--preset NAME +a named system \(default tiny\); --list shows them$/m, cmd);
      assert.match(help, /^ {2}--list +list the presets and exit$/m, cmd);
      assert.match(help, /^ {2}--list-presets +the same as --list \(the older spelling, still accepted\)$/m, cmd);
    }
    const sim = await snc(['simulate', '--list']);
    assertClean(sim, 0);
    assert.match(sim.stdout, /^ {2}outage-2010$/m);
    // Every command that lists something spells it --list.
    for (const cmd of ['explore', 'testgen', 'simulate']) assert.match((await snc([cmd, '--help'])).stdout, /^ {2}--list +list the (presets|bundled scenarios) and exit$/m, cmd);
  });

  it('refuses an unwritable output path before the work, not after it', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['simulate', 'steady', '--clients', '200', '--hours', '0.2', '--series', 'no/such/folder/x.csv'], /CLI003 cannot write "no\/such\/folder\/x\.csv": ENOENT \(no folder .*\) — hint: choose a writable path for --series/],
      [['simulate', 'steady', '--clients', '200', '--hours', '0.2', '--plot', 'traces'], /CLI003 cannot write "traces": EISDIR \(it is a folder\) — hint: choose a writable path for --plot/],
      [['explore', '--preset', 'tiny', '--out', 'package.json/x'], /CLI003 cannot write to "package\.json\/x": ENOTDIR — hint: choose a writable folder with --out DIR/],
      [['testgen', '--preset', 'tiny', '--out', 'no/such/folder/s.json'], /CLI003 cannot write "no\/such\/folder\/s\.json": ENOENT/],
      [['check', `${S}/valid-login-two-clients.ndjson`, '--report', 'no/such/folder/r.json'], /CLI003 cannot write "no\/such\/folder\/r\.json": ENOENT/],
      [['check', `${S}/valid-login-two-clients.ndjson`, '--report', ''], /CLI003 cannot write "": ENOENT \(an empty path\)/],
      [['export', '--itf', `${S}/valid-login-two-clients.ndjson`, '-o', 'traces'], /CLI003 cannot write "traces": EISDIR \(it is a folder\) — hint: choose a writable path for --out/],
      [['explain', `${S}/valid-login-two-clients.ndjson`, '-o', 'no/such/folder/x.md'], /CLI003 cannot write "no\/such\/folder\/x\.md": ENOENT/],
      [['check', `${S}/valid-login-two-clients.ndjson`, '--report', 'newdir/'], /CLI003 cannot write "newdir\/": EISDIR \(a folder name\)/],
      [['check', `${S}/valid-login-two-clients.ndjson`, '--report', join(dir, 'dangling.json')], /CLI003 cannot write ".*dangling\.json": ENOENT \(a symbolic link to a missing file\)/],
    ];
    // A folder that cannot be created although its parent looks writable: as root, /proc passes access(W_OK), and
    // Node's recursive mkdir then retried its ENOENT forever (explore, docs and run-tests hung at 100% CPU).
    if (process.getuid?.() === 0 && existsSync('/proc/self')) {
      cases.push([['explore', '--preset', 'tiny', '--out', '/proc/snc-x'], /CLI003 cannot write to "\/proc\/snc-x": ENOENT \(cannot create \/proc\/snc-x\) — hint: choose a writable folder with --out DIR/]);
      cases.push([['docs', '--out', '/proc/snc-x'], /CLI003 cannot write to "\/proc\/snc-x": ENOENT/]);
      // A file there too: it was refused only after the whole check had run.
      cases.push([['check', `${S}/valid-login-two-clients.ndjson`, '--report', '/proc/snc-r.json'], /CLI003 cannot write "\/proc\/snc-r\.json": ENOENT — hint: choose a writable path for --report/]);
    }
    // An output on an input (or on another output) would destroy it: a recording may not be reproducible.
    const rec = join(dir, 'rec.ndjson');
    writeFileSync(rec, readFileSync(`${S}/valid-login-two-clients.ndjson`));
    linkSync(rec, join(dir, 'hard.ndjson'));
    writeFileSync(join(dir, 'cfg.json'), '{}');
    cases.push(
      [['check', rec, '--report', join(dir, 'hard.ndjson')], /CLI001 --report ".*hard\.ndjson" is a trace to check/],
      [['testgen', '--config', join(dir, 'cfg.json'), '--coverage', 'states', '--out', join(dir, 'cfg.json')], /CLI001 --out ".*cfg\.json" is the config file/],
      [['check', rec, '--report', join(dir, '.', 'rec.ndjson')], /CLI001 --report ".*rec\.ndjson" is a trace to check: writing there would destroy it — hint: choose another path for --report/],
      [['explain', rec, '-o', rec], /CLI001 --out ".*rec\.ndjson" is the trace to explain/],
      [['export', '--itf', rec, '-o', join(dir, '..', basename(dir), 'rec.ndjson')], /CLI001 --out ".*rec\.ndjson" is the trace to export/],
      [['simulate', 'steady', '--clients', '20', '--hours', '0.1', '--trace', join(dir, 't.ndjson'), '--series', join(dir, 't.ndjson')], /CLI001 --series ".*t\.ndjson" is the --trace file: writing there would destroy it/],
    );
    symlinkSync(join(dir, 'no-such-target'), join(dir, 'dangling.json'));
    for (const [args, expected] of cases) {
      const r = await snc(args);
      assertClean(r, 2);
      assert.match(r.stderr, expected, args.join(' '));
      assert.equal(r.stdout, '', `${args.join(' ')}: nothing done, nothing printed`);
    }
    assert.equal(readFileSync(rec, 'utf8'), readFileSync(`${S}/valid-login-two-clients.ndjson`, 'utf8'), 'the recording is intact');
  });

  it('refuses a keepaliveInterval or loadWindow of 0 in a trace header (the checker would fire it forever at one instant)', async () => {
    for (const name of ['keepaliveInterval', 'loadWindow']) {
      const lines = readFileSync(`${S}/valid-login-two-clients.ndjson`, 'utf8').split('\n');
      const header = JSON.parse(lines[0]);
      header.params = { ...header.params, [name]: 0 };
      const f = join(dir, `${name}-0.ndjson`);
      writeFileSync(f, [JSON.stringify(header), ...lines.slice(1)].join('\n'));
      const r = await snc(['check', f]);
      assertClean(r, 3);
      assert.match(r.stdout, new RegExp(`:1: TRC003 invalid header: field "params\\.${name}" must be >= 1, got 0`));
    }
  });

  it('explore: an incomplete search says that no violation was found only within its bound', async () => {
    const r = await snc(['explore', '--preset', 'tiny', '--max-states', '1', '--out', dir]);
    assertClean(r, 0);
    assert.match(r.stdout, / 1 state · /);
    assert.match(r.stdout, /^no property violated in the states explored \(incomplete: a violation may lie beyond the bound\)$/m);
    assert.doesNotMatch(r.stdout, /load counter/, 'the presets keep the load counters off');
    // A hand-written config leaves them on, and its search never ends: the bound's hint says which parameters to set.
    const cfg = join(dir, 'counters.json');
    writeFileSync(cfg, JSON.stringify({ actors: [{ id: 'auth', role: 'auth' }, { id: 'im', role: 'im' }, { id: 'sn1', role: 'supernode', host: 'h1' }, { id: 'c1', role: 'client', host: 'hc1', user: 'u1' }], params: { maxAttempts: 2 } }));
    const c = await snc(['explore', '--config', cfg, '--max-states', '50', '--out', dir]);
    assertClean(c, 0);
    assert.match(c.stdout, /INCOMPLETE: state bound 50 reached \(raise with --max-states; or set overloadThreshold to 0 and authQueue to 0 in params/);
  });

  it('simulate: a scenario without scheduled actions reports recovery after the trough only', async () => {
    const r = await snc(['simulate', 'steady', '--clients', '100', '--hours', '0.05']);
    assertClean(r, 0);
    assert.match(r.stdout, /^recovery to 90% +(never below 90%|at \d+m: \d+m after the trough|not within the run)$/m);
    assert.doesNotMatch(r.stdout, /after the first action/);
  });

  it('count parameters are whole numbers in every schema (a capacity of 1.5 made the correct model violate capacity)', async () => {
    const params = (await import('../schemas/trace.schema.json', { with: { type: 'json' } })).default.$defs.Params.properties as Record<string, { type?: string }>;
    const { PARAMS } = await import('../models/params.js');
    for (const p of PARAMS) {
      if (p.unit === 'count' || p.unit === 'messages') assert.equal(params[p.name]?.type, 'integer', p.name);
    }
    const lines = readFileSync(`${S}/valid-login-two-clients.ndjson`, 'utf8').split('\n');
    const header = JSON.parse(lines[0]);
    header.params = { ...header.params, capacity: 1.5 };
    const f = join(dir, 'capacity-fraction.ndjson');
    writeFileSync(f, [JSON.stringify(header), ...lines.slice(1)].join('\n'));
    const r = await snc(['check', f]);
    assertClean(r, 3);
    assert.match(r.stdout, /:1: TRC003 invalid header: field "params\.capacity" must be of type integer/);
  });

  it('reads standard input for -', async () => {
    const r = await snc(['validate', '-'], readFileSync(`${S}/valid-step-clock-mega-join.ndjson`));
    assertClean(r, 0);
    assert.match(r.stdout, /^<stdin>: valid/m);
    const bad = await snc(['validate', '-'], '{"type":"header"}\n');
    assertClean(bad, 3);
    assert.match(bad.stdout, /^<stdin>:1: TRC003 /m);
  });

  it('--format json prints a report that matches schemas/report.schema.json', async () => {
    const r = await snc(['validate', '--format', 'json', `${S}/valid-windows-bom-crlf.ndjson`, `${S}/invalid-proto-actor-ids.ndjson`, `${S}/invalid-bad-json.ndjson`]);
    assertClean(r, 3);
    const report = JSON.parse(r.stdout) as Report;
    const validate = new Ajv2020({ strict: true }).compile<Report>(reportSchema as AnySchema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.command, 'validate');
    assert.equal(report.ok, false);
    const files = report.files ?? [];
    assert.deepEqual(files.map((f) => f.verdict), ['valid', 'invalid', 'invalid']);
    assert.deepEqual(files[1].problems[0], {
      code: 'TRC008', message: 'unknown actor "__proto__" in "from"', file: `${S}/invalid-proto-actor-ids.ndjson`,
      line: 2, value: '"__proto__"', hint: files[1].problems[0].hint,
    });
  });

  it('simulate --format json prints a report that matches schemas/report.schema.json (the run under simulation)', async () => {
    const r = await snc(['simulate', 'supernode-crash', '--clients', '20', '--hours', '1', '--format', 'json']);
    assertClean(r, 0);
    const report = JSON.parse(r.stdout) as Report;
    const validate = new Ajv2020({ strict: true }).compile<Report>(reportSchema as AnySchema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual([report.command, report.reportVersion], ['simulate', 1]);
    const sim = report.simulation!;
    assert.deepEqual([sim.scenario, sim.seed, sim.clients], ['supernode-crash', 1, 20]);
    const props = sim.properties ?? [];
    assert.ok(props.length > 0 && props.every((p) => typeof p.count === 'number'));
    assert.equal(report.ok, props.every((p) => p.status !== 'violated'));
  });

  it('check names the hidden inputs it inferred (a Logout can explain away a defect), text and JSON', async () => {
    const lines = readFileSync(`${S}/valid-login-two-clients.ndjson`, 'utf8').split('\n').filter(Boolean);
    const k = lines.findIndex((l) => /"type":"observe".*"actor":"c1","state":"online"/.test(l));
    const t = JSON.parse(lines[k]).t;
    const f = join(dir, 'offline-at-once.ndjson');
    writeFileSync(f, [...lines.slice(0, k + 1), JSON.stringify({ type: 'observe', t: t + 5, actor: 'c1', state: 'offline', upstream: null })].join('\n') + '\n');
    const text = await snc(['check', f]);
    assertClean(text, 0);
    assert.match(text.stdout, new RegExp(`hidden steps inferred \\(1 of them input: Logout at c1 before line ${k + 2}\\)`));
    const r = await snc(['check', f, '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    const validate = new Ajv2020({ strict: true }).compile<Report>(reportSchema as AnySchema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(report.files![0].hiddenInputs, { count: 1, first: [{ line: k + 2, actor: 'c1', input: { kind: 'Logout' } }] });
  });

  it('marks a report truncated after --max-errors', async () => {
    const file = join(dir, 'many.ndjson');
    writeFileSync(file, Array.from({ length: 30 }, () => 'nope').join('\n'));
    const r = await snc(['validate', '--format', 'json', '--max-errors', '3', file]);
    assertClean(r, 3);
    const f = JSON.parse(r.stdout).files[0];
    assert.equal(f.problems.length, 3);
    assert.equal(f.truncated, true);
  });

  describe('hostile input: invalid, exit 3, a line number, no crash, fast', () => {
    it('a 100 MB line', async function () {
      this.timeout(30000);
      const file = join(dir, 'huge-line.ndjson');
      const length = writeHugeLine(file);
      const r = await snc(['validate', file]);
      assertClean(r, 3);
      assert.match(r.stdout, new RegExp(`huge-line\\.ndjson:2: TRC012 line is ${length} characters long`));
      assert.ok(r.ms < HANG_MS, `took ${r.ms} ms`);
    });

    it('binary garbage, deep nesting, a truncated last line', async () => {
      const garbage = Buffer.alloc(64 * 1024);
      for (let i = 0, x = 7; i < garbage.length; i++) garbage[i] = x = (x * 1103515245 + 12345) >>> 16 & 0xff;
      const header = `${EMPTY_HEADER}\n`;
      const files: Array<[string, string | Buffer, RegExp]> = [
        ['garbage.bin', garbage, /garbage\.bin:1: TRC001 /],
        ['deep.ndjson', header + '['.repeat(100_000) + '\n', /deep\.ndjson:2: TRC001 JSON nested deeper than 64 levels/],
        ['cut.ndjson', header + '{"type":"note","t":0,"te', /cut\.ndjson:2: TRC001 invalid JSON/],
        ['proto.ndjson', header + '{"type":"note","t":0,"text":"x","__proto__":{"admin":true}}\n', /proto\.ndjson:2: TRC004 invalid "note" event: unexpected field "__proto__"/],
      ];
      for (const [name, content, expected] of files) {
        writeFileSync(join(dir, name), content);
        const r = await snc(['validate', join(dir, name)]);
        assertClean(r, 3);
        assert.match(r.stdout, expected, name);
        assert.ok(r.ms < HANG_MS, `${name} took ${r.ms} ms`);
      }
    });
  });

  it('keeps its exit code when standard error is a closed pipe (it was 1, an uncaught EPIPE)', async () => {
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, ['bin/snc.js', 'validate', 'no-such-file.ndjson'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.destroy();
      child.on('close', (c) => done(c));
    });
    assert.equal(code, 2);
  });

  it('turns an unexpected failure into "internal error", exit 70, no stack trace', async () => {
    const io = memoryIo();
    io.out = () => { throw new Error('disk on fire'); };
    const code = await main(['validate', `${S}/valid-windows-bom-crlf.ndjson`], io);
    assert.equal(code, 70);
    const err = io.stderr.join('');
    assert.match(err, /^snc: internal error: disk on fire\n.*Please report it/m);
    assert.ok(!hasStackTrace(err));
  });
});
