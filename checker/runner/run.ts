// `snc run-tests` as a library call: runs the abstract test cases of a suite
// (snc testgen) against an implementation through its adapter, and judges
// each run by its recording. Per test: scale the config for real time, start
// the system, follow the plan (checker/runner/plan.ts: inputs and faults
// through the adapter, drops armed ahead of their message, waits for the
// test's timeouts, settle() where the test lets the network run), stop(),
// then check the recording
// with the conformance checker (hidden timeouts on) and the test's
// properties. A test passes when the recording conforms and no property
// outside the test's `expect.violated` is violated. Returns data; prints
// nothing.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileReport, Problem, TestCaseResult, TestFailure, TestRunReport } from '../../schemas/generated/report.js';
import type { TestCase, TestSuite } from '../../schemas/generated/testcases.js';
import { checkFile, CHECK_DEFAULTS } from '../conform/check.js';
import type { PropParams } from '../props/index.js';
import type { Adapter, RunningSystem } from './adapter.js';
import { DEFAULT_TIME_SCALE, planCase, scaleConfig, type Op } from './plan.js';

export { DEFAULT_TIME_SCALE } from './plan.js';

export interface RunOptions {
  /** Real ms per model ms (default DEFAULT_TIME_SCALE). */
  readonly timeScale?: number;
  /** Bug switches to turn on in the implementation. */
  readonly bugs?: readonly string[];
  /** Where recordings go (created if missing). */
  readonly outDir: string;
  /** Base seed; test n runs with a seed derived from it. */
  readonly seed?: number;
  /** settle(quietMs, maxMs) after each applied step (default 40 ms quiet, at most 3 s). */
  readonly quietMs?: number;
  readonly settleMaxMs?: number;
  /** An adapter call that takes longer than this fails the test (RUN007; default 60 s). */
  readonly callTimeoutMs?: number;
  /**
   * The checker may infer an unrecorded timeout at most this many real ms before its
   * deadline (timers fire by their deadline anyway; default 25 ms, the jitter of a
   * loaded machine). No hidden inputs: the runner applied every input itself.
   */
  readonly timerSlackMs?: number;
}

export const RUN_DEFAULTS = { quietMs: 40, settleMaxMs: 3_000, callTimeoutMs: 60_000, seed: 1, timerSlackMs: 25 } as const;

// The shapes of a run's results are those of `snc run-tests --format json`
// (schemas/report.schema.json, TestRunReport), plus each case's checker report.
export type CaseStatus = TestCaseResult['status'];
/** Why a test failed: a code, the property (or `conformance`), a message, `recording:line`. */
export type Failure = TestFailure;
export interface CaseResult extends TestCaseResult {
  /** The checker's report of the recording (not in the JSON output). */
  readonly report?: FileReport;
}
export interface SuiteResult extends Omit<TestRunReport, 'cases'> {
  readonly cases: readonly CaseResult[];
}

/** The seed of test number `n` (from 0) under base seed `seed`. */
export function caseSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(n + 1, 0x85ebca6b)) >>> 1;
}

/** The recording's file name for a test under some bug switches. */
export function recordingName(id: string, bugs: readonly string[]): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(id)}${bugs.length ? `.${bugs.map(safe).join('+')}` : ''}.ndjson`;
}

class CallTimeout extends Error {}

async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new CallTimeout(`adapter ${what} did not finish within ${ms} ms`)), ms); });
  try { return await Promise.race([p, guard]); } finally { clearTimeout(timer); }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * What is at the recording's path: `recorded` (a file with something in it), or why
 * not (`ENOENT`, `empty file`, `not a file`, another error code). A result names its
 * recording only when something was recorded: a path to nothing sends the user
 * looking for a file the adapter never wrote.
 */
async function recordingAt(path: string): Promise<'recorded' | string> {
  try {
    const s = await stat(path);
    return !s.isFile() ? 'not a file' : s.size === 0 ? 'empty file' : 'recorded';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/** Applies one op of the plan to the running system. */
async function perform(rs: RunningSystem, op: Op, guard: <T>(what: string, p: Promise<T>) => Promise<T>): Promise<void> {
  if (op.op === 'wait') { await sleep(op.ms); return; }
  if (op.op === 'arm-drop') { await guard(`drop(${op.from}, ${op.to}, ${op.kind})`, rs.drop!(op.from, op.to, op.kind)); return; }
  const s = op.step;
  switch (s.step) {
    case 'input': return guard(`input(${s.actor}, ${s.input.kind})`, rs.input(s.actor, s.input));
    case 'crash': return guard(`crash(${s.host})`, rs.crash(s.host));
    case 'restart': return guard(`restart(${s.host})`, rs.restart(s.host));
    case 'forge': return guard(`forge(${s.from}, ${s.to})`, rs.forge!(s.from, s.to));
    case 'partition': return guard('partition()', rs.partition!());
    case 'heal': return guard('heal()', rs.heal!());
    case 'join': return guard(`join(${s.actor})`, rs.join!(s.actor));
    default: return;
  }
}

/** Property overrides of a (scaled) config, for the checker. */
function overridesOf(props: TestSuite['config']['props']): Record<string, Partial<PropParams>> {
  const out: Record<string, Partial<PropParams>> = {};
  for (const [id, p] of Object.entries(props ?? {})) if (p) out[id] = { ...(p.within !== undefined ? { within: p.within } : {}), ...(p.measure ? { measure: p.measure } : {}) };
  return out;
}

/**
 * The failures in a checked recording: conformance problems (except the
 * forged Registers the test itself injected: the sender's model never emits
 * them) and violations of properties the test does not expect violated.
 */
export function judge(report: FileReport, test: TestCase): { failures: Failure[]; expectedViolated: string[] } {
  const failures: Failure[] = [];
  const at = (p: Problem) => (p.line !== undefined ? `${p.file}:${p.line}` : undefined);
  if (report.verdict === 'invalid') {
    for (const p of report.problems) failures.push({ code: p.code, property: 'conformance', message: p.message, ...(at(p) ? { at: at(p) } : {}) });
    return { failures, expectedViolated: [] };
  }
  const forged = [...test.opening, ...test.steps].flatMap((s) => (s.step === 'forge' ? [`${s.from} sent Register to ${s.to},`] : []));
  for (const p of report.problems) {
    if (p.property !== 'conformance') continue;
    const k = p.code === 'CHK001' ? forged.findIndex((f) => p.message.startsWith(f)) : -1;
    if (k >= 0) { forged.splice(k, 1); continue; }
    failures.push({ code: p.code, property: 'conformance', message: p.message, ...(at(p) ? { at: at(p) } : {}) });
  }
  const expectedViolated: string[] = [];
  for (const r of report.properties ?? []) {
    if (r.status !== 'violated') continue;
    if (test.expect.violated.includes(r.id)) { expectedViolated.push(r.id); continue; }
    failures.push({ code: 'PRP001', property: r.id, message: `property ${r.id} violated: ${r.explanation ?? ''}`, ...(r.line !== undefined ? { at: `${report.file}:${r.line}` } : {}) });
  }
  // First in the recording first.
  const line = (f: Failure) => Number(f.at?.slice(f.at.lastIndexOf(':') + 1) ?? Infinity);
  failures.sort((a, b) => line(a) - line(b));
  return { failures, expectedViolated };
}

/**
 * Runs test `test` (number `n` of `suite`) against `adapter`. Never throws for
 * a failure of the implementation: an adapter that throws or hangs fails the
 * test with RUN007.
 */
export async function runCase(adapter: Adapter, suite: TestSuite, test: TestCase, n: number, opts: RunOptions): Promise<CaseResult> {
  const t0 = performance.now();
  const scale = opts.timeScale ?? DEFAULT_TIME_SCALE;
  const bugs = opts.bugs ?? [];
  const seed = caseSeed(opts.seed ?? RUN_DEFAULTS.seed, n);
  const scaled = scaleConfig(suite.config, scale);
  const plan = planCase(suite.config, scaled, test);
  const base = { id: test.id, length: test.steps.length, seed, expectedViolated: [] as string[] };
  const secs = () => Math.round(performance.now() - t0) / 1000;

  const missing = plan.needs.filter((m) => typeof (adapter as unknown as Record<string, unknown>)[m] !== 'function');
  const record = join(opts.outDir, recordingName(test.id, bugs));
  await mkdir(opts.outDir, { recursive: true });
  // A recording left by an earlier run must not be checked in place of this one's (an adapter that records nothing fails).
  await rm(record, { force: true });
  const timeoutMs = opts.callTimeoutMs ?? RUN_DEFAULTS.callTimeoutMs;
  const guard = <T>(what: string, p: Promise<T>) => within(what, timeoutMs, p);
  const quiet = opts.quietMs ?? RUN_DEFAULTS.quietMs;
  const settleMax = opts.settleMaxMs ?? RUN_DEFAULTS.settleMaxMs;

  let rs: RunningSystem | undefined;
  try {
    rs = await guard('start()', adapter.start({ config: scaled, record, bugs, seed }));
    const lacking = missing.filter((m) => typeof (rs as unknown as Record<string, unknown>)[m] !== 'function');
    if (lacking.length) {
      await guard('stop()', rs.stop());
      return { ...base, status: 'skip', failures: [], skipped: `needs ${lacking.map((m) => `${m}()`).join(', ')}, which the adapter does not offer`, notes: [...plan.notes], seconds: secs() };
    }
    for (const op of plan.ops) {
      await perform(rs, op, guard);
      if (op.op === 'wait' || (op.op === 'apply' && op.settle)) await guard('settle()', rs.settle(quiet, settleMax));
    }
    await guard('stop()', rs.stop());
  } catch (e) {
    if (rs) await within('stop()', timeoutMs, rs.stop()).catch(() => undefined);
    const message = e instanceof CallTimeout ? e.message : `adapter ${adapter.name} threw: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
    // A start() that failed has usually recorded nothing: the recording is named only when there is one (a partial run's).
    const partial = (await recordingAt(record)) === 'recorded' ? { recording: record } : {};
    return { ...base, status: 'fail', ...partial, failures: [{ code: 'RUN007', property: 'adapter', message }], notes: [...plan.notes], seconds: secs() };
  }

  // No recording, or one that cannot be read: RUN007, naming the file only when there is one to look at.
  const unreadable = (why: string, named: boolean): CaseResult => ({
    ...base, status: 'fail', ...(named ? { recording: record } : {}), notes: [...plan.notes], seconds: secs(),
    failures: [{ code: 'RUN007', property: 'adapter', message: `adapter ${adapter.name} wrote no readable recording at ${record}: ${why}` }],
  });
  const at = await recordingAt(record);
  if (at !== 'recorded') return unreadable(at, false);
  let report: FileReport;
  try {
    report = await checkFile(record, {
      props: test.properties, overrides: overridesOf(scaled.props),
      hidden: CHECK_DEFAULTS.hidden, hiddenKinds: ['timeout'], timerSlack: opts.timerSlackMs ?? RUN_DEFAULTS.timerSlackMs, start: 0, maxErrors: 20,
    });
  } catch (e) {
    return unreadable((e as NodeJS.ErrnoException).code ?? (e as Error).message, true);
  }
  const { failures, expectedViolated } = judge(report, test);
  const notes = [...plan.notes];
  const lineOf = (f: Failure) => Number(f.at?.slice(f.at.lastIndexOf(':') + 1) ?? Infinity);
  const firstDivergence = Math.min(...failures.filter((f) => f.property === 'conformance').map(lineOf));
  for (const f of failures) {
    if (f.code === 'PRP001' && lineOf(f) < firstDivergence) notes.push(`${f.property} is violated on a path the model allows (the recording conforms up to there): a protocol issue, or a race the test's interleaving avoids`);
  }
  const missed = test.expect.violated.filter((p) => !expectedViolated.includes(p));
  if (missed.length) notes.push(`the model violates ${missed.join(', ')} on this path; this run did not`);
  return { ...base, status: failures.length ? 'fail' : 'pass', recording: record, failures, expectedViolated, notes, seconds: secs(), report };
}

/** Runs every test of `suite` (or those in `only`), one after another; `onCase` sees each result as it comes. */
export async function runSuite(adapter: Adapter, suite: TestSuite, opts: RunOptions & { readonly suiteName?: string; readonly only?: readonly string[] }, onCase?: (r: CaseResult) => void): Promise<SuiteResult> {
  const t0 = performance.now();
  const cases: CaseResult[] = [];
  for (const [n, test] of suite.tests.entries()) {
    if (opts.only && !opts.only.includes(test.id)) continue;
    const r = await runCase(adapter, suite, test, n, opts);
    cases.push(r);
    onCase?.(r);
  }
  const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  return {
    adapter: adapter.name, suite: opts.suiteName ?? suite.preset, bugs: [...(opts.bugs ?? [])],
    timeScale: opts.timeScale ?? DEFAULT_TIME_SCALE, seed: opts.seed ?? RUN_DEFAULTS.seed,
    cases, passed: count('pass'), failed: count('fail'), skipped: count('skip'),
    seconds: Math.round(performance.now() - t0) / 1000,
  };
}
