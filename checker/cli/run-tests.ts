// `snc run-tests FILE.json --adapter MODULE`: runs the abstract test cases of
// a suite written by `snc testgen` against an implementation through its
// adapter (checker/runner), and prints a line per test (pass, fail with the
// property or divergence and the recording's file:line, skip), then a summary.
// `--emit-mocha DIR` writes the cases as a mocha test file instead of running
// them. Exit 0 all pass, 1 some fail, 2 usage (flag, adapter, bug switch),
// 3 invalid test suite.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TestSuite } from '../../schemas/generated/testcases.js';
import type { Report, TestRunReport } from '../../schemas/generated/report.js';
import { AdapterError, checkBugs, loadAdapter } from '../runner/load-adapter.js';
import { loadSuite, SuiteError } from '../runner/suite.js';
import { DEFAULT_TIME_SCALE, runSuite, type RunOptions } from '../runner/run.js';
import { mochaFile } from '../runner/mocha.js';
import { CliError, choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs } from './args.js';
import type { Io } from './io.js';
import { checkReadable, ensureFolder, NO_STDIN_HINT, refuseStdin } from './files.js';
import { caseLine, runJunit, runSummary } from './render-run.js';

const FLAGS: FlagSpecs = {
  adapter: { type: 'string', valueName: 'MODULE', description: 'ES module whose default export is an Adapter (checker/runner/adapter.ts); required' },
  bug: { type: 'string', valueName: 'NAME', multiple: true, description: 'turn on a bug switch of the adapter (repeatable)' },
  'time-scale': { type: 'string', valueName: 'F', description: `real ms per model ms: every duration parameter × F (default ${DEFAULT_TIME_SCALE})` },
  format: { type: 'string', valueName: 'text|json|junit', description: 'output format (default text; json follows schemas/report.schema.json, the run under testRun)' },
  out: { type: 'string', valueName: 'DIR', description: 'where recordings go (default snc-out/run-tests/SUITE)' },
  seed: { type: 'string', valueName: 'S', description: 'seed for the implementation (default: chosen and printed)' },
  only: { type: 'string', valueName: 'IDS', description: 'run only these test ids (comma-separated)' },
  'emit-mocha': { type: 'string', valueName: 'DIR', description: 'write the cases as DIR/SUITE.test.ts (one mocha `it` per case) instead of running them' },
};

export const RUN_TESTS_HELP = `Usage: snc run-tests FILE.json --adapter MODULE [options]

Runs the test cases of a suite written by \`snc testgen\` against an
implementation, through its adapter: per test, starts the system with the
suite's config (durations scaled by --time-scale), applies the test's inputs
and faults (crash, restart, drop, forge, partition, heal), lets the
implementation's own network and timers do the deliveries and timeouts,
stops it, and checks its recording against the models (as snc check does;
unrecorded timeouts fire by their deadlines) and the test's properties. A
test passes when the recording conforms and violates no property the test
does not expect violated. A drop is armed just before the step that leads to
the lost message; a test needing a fault the adapter lacks is skipped. Each
test's line names its recording when the adapter recorded something; one
that recorded nothing (start() threw, say) fails with RUN007 and no path.
README.md, "Testing your own implementation", shows how to write an adapter.

Options:
${flagHelp(FLAGS)}

Exit: 0 all pass · 1 a test fails · 2 usage error (flag, adapter, bug switch) · 3 invalid test suite
`;

function scaleFlag(raw: unknown): number {
  if (raw === undefined) return DEFAULT_TIME_SCALE;
  const f = typeof raw === 'string' && /^\d*\.?\d+(e-?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
  if (!(f > 0 && f <= 100)) throw usageError(`--time-scale must be a number in (0, 100], got ${JSON.stringify(raw)}`, `e.g. --time-scale ${DEFAULT_TIME_SCALE} (1 model second = ${DEFAULT_TIME_SCALE * 1000} ms)`);
  return f;
}

/** Runs `snc run-tests`; returns the exit code. */
export async function runRunTests(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'run-tests');
  if (values.help) { io.out(RUN_TESTS_HELP); return 0; }
  if (positionals.length !== 1) {
    throw usageError(positionals.length ? `one test suite at a time, got ${positionals.length}` : 'no test suite given', 'e.g. snc testgen --preset tiny --coverage transitions --out tiny.json && snc run-tests tiny.json --adapter reference/adapter.ts');
  }
  const file = positionals[0];
  if (typeof values.adapter !== 'string') throw usageError('--adapter MODULE is required', `e.g. snc run-tests ${file} --adapter reference/adapter.ts`);
  const format = choiceFlag(values, 'format', ['text', 'json', 'junit'] as const);
  const timeScale = scaleFlag(values['time-scale']);
  const bugs = ((values.bug as string[] | undefined) ?? []).flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
  const seed = values.seed !== undefined ? intFlag(values, 'seed', 0, 0, 2 ** 31 - 1) : (Date.now() ^ (process.pid << 8)) >>> 1;
  const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  refuseStdin(file, 'a test suite', 'name the suite file written by snc testgen --out FILE.json');
  await checkReadable(file, 'name the suite file written by snc testgen --out FILE.json', NO_STDIN_HINT);

  let suite: TestSuite;
  try {
    suite = await loadSuite(file);
  } catch (e) {
    if (e instanceof SuiteError) {
      for (const p of e.problems) io.err(`snc run-tests: ${p.place}: ${p.code} ${p.message} — hint: ${p.hint}\n`);
      return 3;
    }
    throw e;
  }
  for (const id of only ?? []) if (!suite.tests.some((t) => t.id === id)) throw usageError(`--only: no test ${JSON.stringify(id)} in ${file}`, `its tests: ${suite.tests.slice(0, 5).map((t) => t.id).join(', ')}${suite.tests.length > 5 ? ', …' : ''}`);
  const name = basename(file).replace(/\.json$/i, '');

  const adapter = await adapterOrUsage(values.adapter, bugs, io);

  if (typeof values['emit-mocha'] === 'string') {
    const dir = values['emit-mocha'];
    const out = join(dir, `${name}.test.ts`);
    const flags = [`--adapter ${values.adapter}`, ...bugs.map((b) => `--bug ${b}`), ...(values['time-scale'] !== undefined ? [`--time-scale ${timeScale}`] : []), `--seed ${seed}`];
    const text = mochaFile({
      suite: only ? { ...suite, tests: suite.tests.filter((t) => only.includes(t.id)) } : suite,
      suitePath: file, adapter: values.adapter, outFile: out, bugs, seed,
      ...(values['time-scale'] !== undefined ? { timeScale } : {}),
      recordings: typeof values.out === 'string' ? values.out : join('snc-out', 'run-tests', name),
      command: `snc run-tests ${file} ${flags.join(' ')}${only ? ` --only ${only.join(',')}` : ''} --emit-mocha ${dir}`,
    });
    await ensureFolder(dir, 'choose a writable folder for --emit-mocha DIR');
    try {
      await writeFile(out, text);
    } catch (e) {
      throw new CliError('CLI003', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose a writable folder for --emit-mocha DIR');
    }
    io.out(`wrote ${out} (${only?.length ?? suite.tests.length} test cases; run: npx mocha --no-config --require tsx ${out})\n`);
    return 0;
  }

  const opts: RunOptions & { suiteName: string; only?: string[] } = {
    outDir: typeof values.out === 'string' ? values.out : join('snc-out', 'run-tests', name),
    bugs, timeScale, seed, suiteName: name, ...(only ? { only } : {}),
  };
  await ensureFolder(opts.outDir, '--out DIR must be a folder (it is created if missing), not an existing file');
  const result = await runSuite(adapter, suite, opts, format === 'text' ? (r) => io.out(caseLine(r)) : undefined);
  if (format === 'json') {
    // schemas/report.schema.json: the common report envelope, the run under `testRun` (checker reports left out).
    const testRun: TestRunReport = { ...result, cases: result.cases.map(({ report: _r, ...c }) => c) };
    const report: Report = { tool: 'supernode-check', reportVersion: 1, command: 'run-tests', ok: result.failed === 0, testRun };
    io.out(JSON.stringify(report, null, 2) + '\n');
  }
  else if (format === 'junit') io.out(runJunit(result));
  else io.out(runSummary(result, file, values.adapter));
  return result.failed ? 1 : 0;
}

async function adapterOrUsage(spec: string, bugs: readonly string[], io: Io) {
  try {
    const adapter = await loadAdapter(spec);
    checkBugs(adapter, bugs);
    return adapter;
  } catch (e) {
    if (e instanceof AdapterError) {
      // The loader's own error, whole, as it was (the coded line that follows escapes control characters).
      if (process.env.SNC_DEBUG === '1' && e.detail) io.err(`${e.detail}\n`);
      throw new CliError(e.code, e.message, e.hint);
    }
    throw e;
  }
}
