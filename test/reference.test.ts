// The reference overlay (reference/): real runs over TCP with scaled timers,
// recorded and checked by the conformance checker. A correct steady run and a
// supernode crash conform (clients reattach within the bound); each bug
// switch, in a run that exercises it, is caught; the adapter interface works;
// the CLI runs a scenario. Runs wait on conditions, with generous limits.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileReport } from '../schemas/generated/report.js';
import type { Actor, Params } from '../schemas/generated/trace.js';
import type { SystemConfig } from '../schemas/generated/testcases.js';
import { checkFile } from '../checker/conform/check.js';
import { validateFile } from '../checker/trace/validate.js';
import reference, { startReference, type ReferenceSystem } from '../reference/adapter.js';
import { REFERENCE_PARAMS } from '../reference/overlay.js';
import { overlayConfig } from '../reference/scenarios.js';
import type { Client } from '../reference/roles.js';
import { memoryIo } from '../checker/cli/io.js';
import { main } from '../checker/cli/main.js';
import { testgen } from '../checker/testgen/run.js';
import { runSuite } from '../checker/runner/run.js';
import { PRESETS } from '../models/presets.js';

const dir = mkdtempSync(join(tmpdir(), 'snc-reference-'));
let runs = 0;
const MAX = 8000; // generous upper bound for any wait on a loaded machine

/** auth, im, supernodes sn1…snM (own hosts), clients c1…cN (users u1…, host cache sn1, sn2, … unless given). */
function system(clients: number, supernodes: number, extra: { params?: Params; client?: (i: number) => Partial<Actor>; supernode?: (i: number) => Partial<Actor> } = {}): SystemConfig {
  const actors: Actor[] = [{ id: 'auth', role: 'auth', host: 'h-auth' }, { id: 'im', role: 'im', host: 'h-im' }];
  for (let i = 1; i <= supernodes; i++) actors.push({ id: `sn${i}`, role: 'supernode', host: `h-sn${i}`, ...extra.supernode?.(i) } as Actor);
  for (let i = 1; i <= clients; i++) actors.push({ id: `c${i}`, role: 'client', host: `h-c${i}`, user: `u${i}`, ...extra.client?.(i) } as Actor);
  return { actors, params: { ...TEST_PARAMS, ...extra.params } };
}

/** The reference durations, with more patience for answers (a loaded machine must not change who serves whom). */
const TEST_PARAMS: Params = { ...REFERENCE_PARAMS, connectTimeout: 250, loginTimeout: 400 };

async function run(config: SystemConfig, bugs: string[], script: (s: ReferenceSystem) => Promise<void>): Promise<{ file: string; report: FileReport; lines: Record<string, unknown>[] }> {
  const file = join(dir, `run-${++runs}.ndjson`);
  const s = await startReference({ config, record: file, bugs, seed: 1 });
  try {
    await script(s);
  } finally {
    await s.stop();
  }
  assert.deepEqual(s.overlay.errors, [], 'no errors inside the overlay');
  const report = await checkFile(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { file, report, lines };
}

const clientsOf = (s: ReferenceSystem) => s.overlay.clients;
const allOnline = (s: ReferenceSystem, ids?: string[]) => clientsOf(s).filter((c) => !ids || ids.includes(c.id)).every((c) => c.state === 'online');
const serving = (s: ReferenceSystem) => s.overlay.supernodes.every((sn) => sn.state === 'serving');
async function must(p: Promise<boolean>, what: string): Promise<void> { assert.ok(await p, `timed out waiting until ${what}`); }
async function login(s: ReferenceSystem, ids: string[]): Promise<void> {
  await must(s.waitFor(() => serving(s), MAX), 'the supernodes serve');
  for (const id of ids) await s.input(id, { kind: 'Login' });
  await must(s.waitFor(() => allOnline(s, ids), MAX), `${ids.join(', ')} are online`);
}
/** Waits until the overlay's clock has passed `ms` more (a condition on the recorder's clock, not a bare sleep). */
async function elapse(s: ReferenceSystem, ms: number): Promise<void> {
  const until = s.overlay.rt.now() + ms;
  await must(s.waitFor((o) => o.rt.now() > until, ms + MAX), `${ms} ms passed`);
}
const problems = (r: FileReport) => r.problems.map((p) => `${p.code}${p.property && p.property !== 'conformance' ? `(${p.property})` : ''} line ${p.line}: ${p.message}`).join('\n');
const status = (r: FileReport, id: string) => r.properties?.find((p) => p.id === id)?.status;
const sends = (lines: Record<string, unknown>[], kind: string, from?: string) =>
  lines.filter((l) => l.type === 'send' && (l.msg as { kind: string }).kind === kind && (!from || l.from === from));

describe('reference overlay', function () {
  this.timeout(60_000);

  it('a correct steady run validates and conforms', async () => {
    let c2at: string | null = null;
    const { file, report, lines } = await run({ ...overlayConfig(5, 3), params: TEST_PARAMS }, [], async (s) => {
      await login(s, ['c1', 'c2', 'c3', 'c4', 'c5']);
      c2at = s.overlay.client('c2').target;
      await s.input('c1', { kind: 'Lookup', user: 'u2' }); // on another supernode: answered through the mesh
      await s.input('c2', { kind: 'Lookup', user: 'u5' }); // on the same supernode
      await s.input('c3', { kind: 'Lookup', user: 'nobody' });
      await must(s.waitFor((o) => (o.rt.sent.get('LookupResult') ?? 0) >= 3, MAX), 'three LookupResults');
      await s.input('c4', { kind: 'Logout' });
      await s.settle(30, 1000);
    });
    const v = await validateFile(file);
    assert.equal(v.verdict, 'valid', JSON.stringify(v.problems.slice(0, 3)));
    assert.equal(report.verdict, 'conforms', problems(report));
    const results = sends(lines, 'LookupResult').map((l) => l.msg as { user: string; supernode: string | null });
    assert.ok(c2at);
    assert.ok(results.some((m) => m.user === 'u2' && m.supernode === c2at), JSON.stringify(results));
    assert.ok(results.some((m) => m.user === 'nobody' && m.supernode === null));
    assert.ok(sends(lines, 'Query').length > 0, 'a lookup went through the mesh');
    assert.equal(lines.filter((l) => l.type === 'observe').length, 10, 'one observe per actor');
    assert.ok(!lines.some((l) => l.type === 'timeout'), 'timeouts are not recorded');
    assert.equal((lines[0] as { clock: string }).clock, 'ms');
  });

  it('a supernode crash: every client reattaches within the bound, and the run conforms', async () => {
    let victim = '';
    let moved: string[] = [];
    const { report, lines } = await run(system(4, 3), [], async (s) => {
      await login(s, ['c1', 'c2', 'c3', 'c4']);
      // Every host cache starts with sn1, so (unless a machine is very slow) all are at sn1.
      const busiest = [...s.overlay.supernodes].sort((a, b) => b.directory.length - a.directory.length)[0];
      victim = busiest.id;
      moved = clientsOf(s).filter((c) => c.target === victim).map((c) => c.id);
      assert.ok(moved.length >= 2, `${victim} serves ${moved.join(', ')}`);
      await s.crash(busiest.spec.host);
      await must(s.waitFor(() => clientsOf(s).every((c) => c.state === 'online' && c.target !== victim), MAX), 'every client is online elsewhere');
      await s.input('c1', { kind: 'Lookup', user: 'u3' });
      await s.settle(30, 1000);
    });
    assert.equal(report.verdict, 'conforms', problems(report));
    assert.equal(status(report, 'reattach-within'), 'holds');
    assert.equal(status(report, 'notice-dead-upstream'), 'holds');
    const crashAt = lines.findIndex((l) => l.type === 'crash');
    assert.ok(crashAt > 0);
    const reconnects = new Set(lines.slice(crashAt).filter((l) => l.type === 'send' && (l.msg as { kind: string }).kind === 'Register').map((l) => l.from));
    for (const c of moved) assert.ok(reconnects.has(c), `${c} registered again elsewhere`);
    const observed = lines.filter((l) => l.type === 'observe' && typeof l.upstream === 'string').map((l) => l.upstream);
    assert.ok(observed.length === 4 && observed.every((u) => u !== victim), JSON.stringify(observed));
  });

  it('join: a standby mega-supernode joins mid-run (recorded as join), takes the client its full supernode refuses, and the run conforms', async () => {
    const config: SystemConfig = {
      ...system(2, 1, { supernode: () => ({ capacity: 1 }), client: () => ({ hostCache: ['sn1', 'mega1'] }) }),
    };
    config.actors.push({ id: 'mega1', role: 'supernode', host: 'h-mega1', mega: true } as Actor);
    config.standby = ['mega1'];
    const { report, lines } = await run(config, [], async (s) => {
      await login(s, ['c1']);
      await s.input('c2', { kind: 'Login' }); // sn1 is full; mega1 is not there yet: c2 goes round its cache
      await s.join('mega1');
      await must(s.waitFor(() => allOnline(s, ['c1', 'c2']), MAX), 'both clients are online');
      assert.equal(s.overlay.client('c2').target, 'mega1');
      await assert.rejects(s.join('mega1'), /mega1 has joined already/);
      await assert.rejects(s.join('c1'), /"c1" is not a standby actor of this system; standby: mega1/);
      await s.settle(30, 1000);
    });
    assert.equal(report.verdict, 'conforms', problems(report));
    assert.ok(!(lines[0] as { actors: { id: string }[] }).actors.some((a) => a.id === 'mega1'), 'mega1 is not in the header');
    const joinAt = lines.findIndex((l) => l.type === 'join');
    assert.ok(joinAt > 0 && (lines[joinAt].actor as { id: string }).id === 'mega1');
    assert.ok(!lines.slice(0, joinAt).some((l) => l.type === 'send' && l.from === 'mega1'), 'mega1 sends nothing before it joins');
    assert.ok(sends(lines, 'ConnectAck', 'mega1').length > 0);
  });

  it('run-tests: generated tests with a join step run on the overlay (not skipped) and pass', async () => {
    const suite = testgen({ config: PRESETS['outage-small'], preset: 'outage-small', coverage: 'transitions' });
    const joining = suite.tests.filter((t) => t.steps.some((st) => st.step === 'join')).map((t) => t.id);
    assert.ok(joining.length > 0, 'outage-small has tests that add the mega-supernode');
    const r = await runSuite(reference, suite, { outDir: join(dir, 'join-suite'), seed: 5, only: joining });
    assert.equal(r.skipped, 0, JSON.stringify(r.cases.map((c) => c.skipped)));
    assert.equal(r.failed, 0, JSON.stringify(r.cases.flatMap((c) => c.failures)));
    assert.equal(r.passed, joining.length);
  });

  it('the adapter interface: start, input, crash, restart, drop, settle, stop', async () => {
    assert.equal(reference.name, 'reference-overlay');
    assert.deepEqual(Object.keys(reference.bugs ?? {}).sort(), ['accept-expired-credential', 'crash-on-late-im', 'keep-dead-client', 'never-reattach', 'skip-capacity-check']);
    const file = join(dir, 'adapter.ndjson');
    const sys = await reference.start({ config: system(2, 2), record: file, bugs: [], seed: 7 });
    await sys.settle(20, 2000);
    await sys.input('c1', { kind: 'Login' });
    await sys.input('c2', { kind: 'Login' });
    await sys.settle(40, MAX);
    // Beyond the interface, the reference system lets a test wait for what it armed.
    const ref = sys as ReferenceSystem;
    await must(ref.waitFor(() => allOnline(ref), MAX), 'both clients are online');
    await sys.drop!('c1', ref.overlay.client('c1').target!, 'Keepalive');
    await must(ref.waitFor((o) => (o.rt.counts.get('drop') ?? 0) >= 1, MAX), 'a keepalive was dropped');
    await sys.crash('h-c2');
    await sys.settle(40, 2000);
    await sys.restart('h-c2');
    await sys.settle(40, MAX);
    await must(ref.waitFor(() => allOnline(ref), MAX), 'c2 is online again');
    await sys.stop();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string; actor?: string });
    for (const type of ['crash', 'restart', 'drop', 'input', 'send', 'deliver', 'observe']) assert.ok(lines.some((l) => l.type === type), `a ${type} event`);
    assert.deepEqual(lines.filter((l) => l.type === 'observe' && l.actor?.startsWith('c')).map((l) => l.state), ['online', 'online'], 'both clients online again at the end');
    const report = await checkFile(file);
    assert.equal(report.verdict, 'conforms', problems(report));
  });

  it('forge: a Register with a forged credential is refused; the checker sees the adversary\'s send', async () => {
    // The forger uses the address of c2, which is not logged in. (From a client that is
    // registered, the checker's auth-before-service monitor would misfire: see the README.)
    let directory: string[] = [];
    const { report, lines } = await run(system(2, 1), [], async (s) => {
      await login(s, ['c1']);
      await s.forge('c2', 'sn1');
      await must(s.waitFor((o) => (o.rt.sent.get('RegisterReject') ?? 0) >= 1, MAX), 'sn1 answered');
      await s.settle(30, 1000);
      directory = s.overlay.supernode('sn1').directory;
    });
    const reject = sends(lines, 'RegisterReject', 'sn1').map((l) => [l.to, l.msg]);
    assert.deepEqual(reject, [['c2', { kind: 'RegisterReject', reason: 'bad-credential' }]]);
    assert.deepEqual(sends(lines, 'RegisterAck', 'sn1').map((l) => l.to).filter((to) => to !== 'c1'), [], 'only c1 was admitted');
    assert.deepEqual(directory, ['u1']);
    // The trace format cannot mark a send as an adversary's: c2's model never sends that Register.
    assert.equal(report.verdict, 'violates');
    assert.deepEqual(report.problems.map((p) => p.code), ['CHK001'], problems(report));
    assert.match(report.problems[0].message, /c2 sent Register to sn1/);
    // After that line the monitors follow the model's run, not the overlay's: the properties are not judged
    // there (the refusal and the directory above show what the overlay did).
    assert.equal(status(report, 'auth-before-service'), 'not-checked');
  });

  describe('bug switches are caught by the checker', () => {
    it('skip-capacity-check: sn1 (capacity 1) admits a second client → CHK001 at its ConnectAck', async () => {
      const config = system(2, 2, { supernode: (i) => (i === 1 ? { capacity: 1 } : {}) });
      const script = async (s: ReferenceSystem) => { await login(s, ['c1']); await login(s, ['c2']); await s.settle(30, 1000); };
      const ok = await run(config, [], script);
      assert.equal(ok.report.verdict, 'conforms', problems(ok.report));
      const bad = await run(config, ['skip-capacity-check'], script);
      assert.equal(bad.report.verdict, 'violates');
      const p = bad.report.problems[0];
      assert.equal(p.code, 'CHK001', problems(bad.report));
      assert.match(p.message, /sn1 sent ConnectAck to c2/);
    });

    it('never-reattach: the client keeps talking to its crashed supernode → CHK001 at its Keepalive', async () => {
      const { report } = await run(system(1, 2), ['never-reattach'], async (s) => {
        await login(s, ['c1']);
        await s.crash(s.overlay.supernode(s.overlay.client('c1').target!).spec.host);
        const p = s.overlay.params;
        await elapse(s, (p.missedKeepalives + 2) * p.keepaliveInterval);
      });
      assert.equal(report.verdict, 'violates');
      assert.equal(report.problems[0].code, 'CHK001', problems(report));
      assert.match(report.problems[0].message, /c1 sent Keepalive to sn\d/);
      assert.match(report.problems[0].model ?? '', /connecting/);
    });

    it('keep-dead-client: a dead client stays in the directory → CHK001 at the stale LookupResult', async () => {
      const { report } = await run(system(2, 2), ['keep-dead-client'], async (s) => {
        await login(s, ['c1', 'c2']);
        await s.crash('h-c2');
        const p = s.overlay.params;
        await elapse(s, (p.missedKeepalives + 2) * p.keepaliveInterval);
        await s.input('c1', { kind: 'Lookup', user: 'u2' });
        await s.settle(30, 1000);
      });
      assert.equal(report.verdict, 'violates');
      const p = report.problems.find((x) => x.code === 'CHK001');
      assert.ok(p, problems(report));
      assert.match(p.message, /sn\d sent (LookupResult to c1|QueryResult to sn\d)/);
    });

    it('accept-expired-credential: an expired registration keeps being served → CHK001 at its KeepaliveAck', async () => {
      // Credentials live 500 ms; auth goes down, so the renewal fails and c1's credential expires.
      const config = system(1, 2, { params: { credentialLifetime: 500, renewBefore: 150 } });
      const script = async (s: ReferenceSystem) => {
        await login(s, ['c1']);
        await s.input('auth', { kind: 'SetMode', mode: 'down' });
        const expires = (s.overlay.client('c1') as Client).credential!.expiresAt;
        await must(s.waitFor((o) => o.rt.now() > expires + 3 * o.params.keepaliveInterval, MAX), 'the credential expired');
      };
      const ok = await run(config, [], script);
      // The correct overlay drops the expired entry, and its client logs in again at the first
      // event after expiry; the model does both (no client online with an expired credential).
      assert.deepEqual(ok.report.problems, [], problems(ok.report));
      assert.equal(status(ok.report, 'auth-before-service'), 'holds');
      const issued = sends(ok.lines, 'LoginOk', 'auth')[0].msg as { credential: { expiresAt: number } };
      assert.ok(sends(ok.lines, 'LoginRequest', 'c1').some((l) => (l.t as number) >= issued.credential.expiresAt), 'c1 asked auth again after its credential expired');
      const bad = await run(config, ['accept-expired-credential'], script);
      const p = bad.report.problems.find((x) => x.code === 'CHK001');
      assert.ok(p, problems(bad.report));
      assert.match(p.message, /sn\d sent KeepaliveAck to c1/);
    });

    /** im turns slow, c1 logs in and gets a late OfflineImBatch; waits until it is online (again, if it crashed). */
    const lateImBatch = async (s: ReferenceSystem) => {
      await must(s.waitFor(() => serving(s), MAX), 'sn1 serves');
      await s.input('im', { kind: 'SetMode', mode: 'slow' });
      await s.input('c1', { kind: 'Login' });
      const p = s.overlay.params;
      await elapse(s, p.imSlowDelay + p.restartDelay + 100);
      await must(s.waitFor(() => allOnline(s), MAX), 'c1 is online');
    };

    it('crash-on-late-im: a 5.0.0.156 client crashes on a late OfflineImBatch → the model disagrees', async () => {
      const config = system(1, 1);
      const script = async (s: ReferenceSystem) => {
        await lateImBatch(s);
        await s.settle(30, 1000);
      };
      const ok = await run(config, [], script);
      assert.equal(ok.report.verdict, 'conforms', problems(ok.report));
      const bad = await run(config, ['crash-on-late-im'], script);
      assert.ok(bad.lines.some((l) => l.type === 'note' && /crashed on a late OfflineImBatch/.test(String(l.text))));
      assert.equal(bad.report.verdict, 'violates');
      // The program crashed by itself (a note) and its host restarted: the model's c1 never stopped (CHK005), then sends what it would not.
      assert.ok(['CHK001', 'CHK003', 'CHK005'].includes(bad.report.problems[0].code), problems(bad.report));
    });

    it('for comparison: the correct overlay with 5.0.0.152 crashes as the model predicts → no-client-crash', async () => {
      const { report, lines } = await run(system(1, 1, { client: () => ({ version: '5.0.0.152' }) }), [], lateImBatch);
      assert.ok(lines.some((l) => l.type === 'restart'), 'the host restarted by itself');
      assert.deepEqual(report.problems.map((p) => `${p.code} ${p.property}`), ['PRP001 no-client-crash'], problems(report));
    });
  });

  it('snc overlay counts a client stuck online at a dead upstream apart, not as online (never-reattach)', async () => {
    const file = join(dir, 'cli-stuck.ndjson');
    const io = memoryIo();
    const code = await main(['overlay', '--clients', '4', '--supernodes', '2', '--scenario', 'supernode-crash', '--duration', '1500', '--bug', 'never-reattach', '--record', file], io);
    assert.equal(code, 0, io.stderr.join(''));
    const out = io.stdout.join('');
    const m = /at the end: (\d)\/4 clients online at a live supernode \+ (\d) stuck online at a dead upstream \(crashed, or restarted without them\) · bug switches: never-reattach\n/.exec(out);
    assert.ok(m, out);
    // The recording agrees: the clients observed online at the supernode whose host crashed are the stuck ones.
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const crashed = `${lines.find((l) => l.type === 'crash')!.host as string}`.replace(/^h-/, '');
    const online = lines.filter((l) => l.type === 'observe' && l.state === 'online' && String(l.actor).startsWith('c'));
    assert.equal(Number(m[2]), online.filter((l) => l.upstream === crashed).length);
    assert.equal(Number(m[1]), online.filter((l) => l.upstream !== crashed).length);
    assert.ok(Number(m[2]) >= 1);
  });

  it('snc overlay runs a scenario and prints the check command', async () => {
    const file = join(dir, 'cli.ndjson');
    const io = memoryIo();
    const code = await main(['overlay', '--clients', '4', '--supernodes', '2', '--scenario', 'supernode-crash', '--duration', '1500', '--record', file], io);
    assert.equal(code, 0, io.stderr.join(''));
    const out = io.stdout.join('');
    assert.match(out, /8 actors/);
    assert.match(out, /at the end: \d\/4 clients online at a live supernode/);
    assert.match(out, new RegExp(`snc check ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const report = await checkFile(file);
    assert.equal(report.verdict, 'conforms', problems(report));
    const bad = memoryIo();
    assert.equal(await main(['overlay', '--record', file, '--bug', 'no-such-bug'], bad), 2);
    assert.match(bad.stderr.join(''), /REF001 unknown bug switch "no-such-bug"/);
    assert.equal(await main(['overlay', '--scenario', 'nope', '--record', file], memoryIo()), 2);
    const dash = memoryIo();
    assert.equal(await main(['overlay', '--record', '-'], dash), 2);
    assert.match(dash.stderr.join(''), /CLI001 --record needs a file/);
    // Checked before the run, in the words the other commands use for their output flags.
    const nowhere = memoryIo();
    assert.equal(await main(['overlay', '--record', join(dir, 'no', 'such', 'x.ndjson')], nowhere), 2);
    assert.match(nowhere.stderr.join(''), /CLI003 cannot write ".*x\.ndjson": ENOENT \(no folder .*\) — hint: choose a writable path for --record/);
  });
});

