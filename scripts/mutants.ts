// `npm run mutants`: the mutation score of the generated tests. Generates test
// suites from the models (snc testgen on the `mutation` preset: breadth-first
// transition coverage, plus seeded random fault schedules), runs them against
// an implementation once as it is and once per bug switch its adapter offers,
// and prints which switches the tests detect, by which test (the shortest
// failing one: tests run shortest first and a mutant stops at its first
// failure) and which property or divergence, with the recording's file:line.
// Exit 0 when every test passes on the correct implementation and every bug
// switch is detected, 1 otherwise, 2 on a usage error.
//
//   npm run mutants                                   # reference/adapter.ts
//   npm run mutants -- --adapter test/helpers/model-adapter.ts --out snc-out/mutants
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TestCase, TestSuite } from '../schemas/generated/testcases.js';
import { preset } from '../checker/explore/config.js';
import { testgen } from '../checker/testgen/run.js';
import { AdapterError, loadAdapter } from '../checker/runner/load-adapter.js';
import { DEFAULT_TIME_SCALE, runCase, type CaseResult, type RunOptions } from '../checker/runner/run.js';

const PRESET = 'mutation';
const RANDOM = { seed: 20261125, runs: 60, depth: 40 };

interface Entry { readonly suite: TestSuite; readonly test: TestCase; readonly n: number }

function usage(message: string): never {
  process.stderr.write(`npm run mutants: ${message}\nUsage: npm run mutants -- [--adapter MODULE] [--out DIR] [--time-scale F] [--seed S] [--all]\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { adapter: { type: 'string' }, out: { type: 'string' }, 'time-scale': { type: 'string' }, seed: { type: 'string' }, all: { type: 'boolean' } }, strict: true }).values;
  } catch (e) { usage((e as Error).message); }
  const adapterPath = args.adapter ?? 'reference/adapter.ts';
  const outDir = args.out ?? join('snc-out', 'mutants');
  const timeScale = args['time-scale'] !== undefined ? Number(args['time-scale']) : DEFAULT_TIME_SCALE;
  if (!(timeScale > 0)) usage(`--time-scale must be a positive number, got ${JSON.stringify(args['time-scale'])}`);
  const seed = args.seed !== undefined ? Number(args.seed) : 1;
  if (!Number.isSafeInteger(seed) || seed < 0) usage(`--seed must be an integer ≥ 0, got ${JSON.stringify(args.seed)}`);

  let adapter;
  try { adapter = await loadAdapter(adapterPath); } catch (e) {
    if (e instanceof AdapterError) usage(`${e.code} ${e.message} — hint: ${e.hint}`);
    throw e;
  }
  const config = preset(PRESET)!;
  const say = (s: string) => process.stdout.write(s + '\n');

  // The suites, written beside the recordings so that `snc run-tests` can replay any of them.
  await mkdir(outDir, { recursive: true });
  const suites = [
    testgen({ config, preset: PRESET, coverage: 'transitions', command: `snc testgen --preset ${PRESET} --coverage transitions` }),
    testgen({ config, preset: PRESET, coverage: 'transition-pairs', random: RANDOM, command: `snc testgen --preset ${PRESET} --coverage transition-pairs --random --seed ${RANDOM.seed} --runs ${RANDOM.runs} --depth ${RANDOM.depth}` }),
  ];
  const names = ['mutation-transitions', 'mutation-random'];
  for (const [k, s] of suites.entries()) await writeFile(join(outDir, `${names[k]}.json`), JSON.stringify(s, null, 2) + '\n');
  // Shortest first: a mutant's first failure is then its shortest failing test.
  const entries: Entry[] = suites.flatMap((suite) => suite.tests.map((test, n) => ({ suite, test, n })))
    .sort((a, b) => a.test.steps.length - b.test.steps.length || a.test.id.localeCompare(b.test.id));
  say(`mutants: ${entries.length} tests (${suites.map((s, k) => `${names[k]}: ${s.tests.length}`).join(', ')}) against ${adapter.name}; time scale ${timeScale}, seed ${seed}; recordings in ${outDir}`);

  const opts = (bugs: string[]): RunOptions => ({ outDir: join(outDir, bugs.length ? bugs.join('+') : 'correct'), bugs, timeScale, seed });
  const run = async (bugs: string[], stopAtFirst: boolean): Promise<CaseResult[]> => {
    const out: CaseResult[] = [];
    for (const e of entries) {
      const r = await runCase(adapter, e.suite, e.test, e.n, opts(bugs));
      out.push(r);
      if (stopAtFirst && r.status === 'fail') break;
    }
    return out;
  };

  const t0 = performance.now();
  const correct = await run([], false);
  const bad = correct.filter((r) => r.status === 'fail');
  say(`correct: ${correct.filter((r) => r.status === 'pass').length} passed, ${bad.length} failed, ${correct.filter((r) => r.status === 'skip').length} skipped`);
  for (const r of bad) say(`  ✗ ${r.id}: ${describe(r)}`);

  const rows: string[][] = [];
  let detected = 0;
  const bugs = Object.keys(adapter.bugs ?? {});
  for (const bug of bugs) {
    const results = await run([bug], args.all !== true);
    const failing = results.filter((r) => r.status === 'fail');
    const first = failing[0];
    if (first) detected++;
    rows.push([
      bug,
      first ? `yes${args.all ? ` (${failing.length}/${results.length} tests)` : ''}` : 'NO',
      first ? `${first.id} (${first.length} steps)` : '—',
      first ? describe(first) : `all ${results.length} tests pass`,
    ]);
  }
  const head = ['bug switch', 'detected', 'shortest failing test', 'by'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 3 ? r[i].length : 0))));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(width[i]) : c)).join('  ');
  say('');
  say(line(head));
  for (const r of rows) say(line(r));
  say('');
  const score = bugs.length ? Math.round((100 * detected) / bugs.length) : 0;
  say(`mutation score: ${detected}/${bugs.length} bug switches detected (${score}%); correct run: ${bad.length ? `${bad.length} FAILED` : 'all pass'} (${Math.round((performance.now() - t0) / 1000)} s)`);
  return bad.length === 0 && detected === bugs.length ? 0 : 1;
}

/** The first failure of a test: code, property, place, message (cut). */
function describe(r: CaseResult): string {
  const f = r.failures[0];
  if (!f) return r.skipped ?? r.status;
  const msg = f.message.length > 110 ? `${f.message.slice(0, 110)}…` : f.message;
  return `${f.code}${f.property !== 'conformance' ? ` ${f.property}` : ''} at ${f.at ?? r.recording}: ${msg}`;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`npm run mutants: internal error: ${(e as Error)?.message ?? e}\n`);
  process.exit(70);
});
