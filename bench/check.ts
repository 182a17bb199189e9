// bench/check: `snc check` throughput and memory on a large simulated trace,
// next to the raw splitter + JSON.parse rate on the same file in the same run.
// The trace comes from `snc simulate` with every client traced, so it conforms
// by construction: by default login-flood-2007 at 10,000 clients and 200
// supernodes over 3 simulated hours (a mass restart of 90% of the hosts at 2 h:
// crashes, a reattach storm, a self-eviction cascade), cut to its first 10M
// lines. Its first 1M lines are checked too: peak RSS must not grow with the
// length of the trace.
//
//   npm run bench -- check [--scenario login-flood-2007] [--clients 10000] [--supernodes 200] [--hours 3]
//                          [--lines 10000000] [--prefix 1000000] [--hidden 0,2] [--repeats 1] [--file PATH] [--tsx]
//
// The checker runs compiled, from dist/ (bench/compiled.ts: rebuilt first if
// stale), as `snc check` runs: through tsx (`--tsx`, how this bench measured
// until issue #5's memory work) the process carries ~30 MB more RSS (the
// loader and the sources it compiled) and ~3 MB more live heap, which V8's
// heap sizing multiplies.
//
// Each figure is a median of --repeats runs, with the process's CPU time next
// to the wall time: on a shared machine CPU time is the steadier of the two.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readLines } from '../checker/trace/reader.js';
import { codeRoot, ROOT } from './compiled.js';
import { CHECK_V8_FLAGS } from '../checker/cli/check.js';
import { STARTUP_FLAGS } from '../bin/launch.js';

type Code = ReturnType<typeof codeRoot>;

/** The raw reading rate: the same reader's splitter and JSON.parse, nothing else. */
async function rawRate(file: string): Promise<{ lines: number; seconds: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let lines = 0;
  await readLines(file, { line(text) { if (text) JSON.parse(text); lines++; }, overlong() {} });
  return { lines, seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(process.cpuUsage(c0)) };
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** Runs `snc check` in a child process (so its peak RSS is its own), with the CLI's V8 flags (and its startup flags for a large trace, bin/launch.js), and returns time and RSS. */
function checkRun(file: string, hidden: number, code: Code): { seconds: number; cpu: number; rssMb: number; verdict: string } {
  const module = join(code.root, `checker/conform/check.${code.ext}`);
  const script = `
    const { checkFile } = await import(${JSON.stringify(module)});
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await checkFile(${JSON.stringify(file)}, { hidden: ${hidden}, maxErrors: 5 });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({ seconds: s, cpu: (c.user + c.system) / 1e6, rssMb: process.resourceUsage().maxRSS / 1024, verdict: r.verdict, problems: r.problems.slice(0, 3) }));`;
  const p = spawnSync(process.execPath, [...STARTUP_FLAGS.check, ...CHECK_V8_FLAGS, ...(code.ext === 'ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.status !== 0) throw new Error(`check run failed: ${p.stderr.slice(0, 2000)}`);
  const j = JSON.parse(p.stdout);
  if (j.verdict !== 'conforms') process.stdout.write(`  note: verdict ${j.verdict}: ${JSON.stringify(j.problems).slice(0, 600)}\n`);
  return j;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Copies the first `n` lines of `from` to `to`. */
async function firstLines(from: string, to: string, n: number): Promise<number> {
  const out = createWriteStream(to);
  let k = 0;
  const rl = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
  for await (const line of rl) {
    if (k >= n) break;
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    k++;
  }
  rl.close();
  await new Promise<void>((r) => out.end(() => r()));
  return k;
}

/** Times the raw rate and `snc check` (per hidden setting) on one file, in the same run. */
async function measure(file: string, hidden: number[], repeats: number, code: Code): Promise<void> {
  const mb = statSync(file).size / 1e6;
  const raw = [];
  for (let i = 0; i < repeats; i++) raw.push(await rawRate(file));
  const rawS = median(raw.map((r) => r.seconds));
  const rawCpu = median(raw.map((r) => r.cpu));
  const lines = raw[0].lines;
  process.stdout.write(`bench/check: ${file}\n  ${lines.toLocaleString('en')} lines, ${mb.toFixed(0)} MB\n`);
  process.stdout.write(`  raw splitter + JSON.parse: ${Math.round(lines / rawS).toLocaleString('en')} lines/s (${(mb / rawS).toFixed(0)} MB/s; cpu ${rawCpu.toFixed(1)} s), median of ${repeats}\n`);
  for (const h of hidden) {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(checkRun(file, h, code));
    const s = median(runs.map((r) => r.seconds));
    const cpu = median(runs.map((r) => r.cpu));
    const rss = Math.max(...runs.map((r) => r.rssMb));
    process.stdout.write(`  snc check --hidden ${h}, all properties${code.ext === 'ts' ? ' (tsx)' : ''}: ${Math.round(lines / s).toLocaleString('en')} events/s = ${(rawS / s).toFixed(2)}x raw (cpu ${(rawCpu / cpu).toFixed(2)}x); peak RSS ${rss.toFixed(0)} MB; ${s.toFixed(1)} s, cpu ${cpu.toFixed(1)} s\n`);
  }
}

export async function run(args: string[] = []): Promise<void> {
  const { values } = parseArgs({ args, strict: false, options: {
    scenario: { type: 'string', default: 'login-flood-2007' }, clients: { type: 'string', default: '10000' },
    supernodes: { type: 'string', default: '200' }, hours: { type: 'string', default: '3' },
    lines: { type: 'string', default: '10000000' }, prefix: { type: 'string', default: '1000000' },
    hidden: { type: 'string', default: '0,2' }, repeats: { type: 'string', default: '1' }, file: { type: 'string' }, seed: { type: 'string', default: '1' },
    tsx: { type: 'boolean', default: false },
  } });
  const dir = join(ROOT, 'bench/data');
  mkdirSync(dir, { recursive: true });
  const lines = Number(values.lines);
  const name = `check-${values.scenario}-${values.clients}c-${values.supernodes}sn-${values.hours}h-seed${values.seed}`;
  const file = (values.file as string | undefined) ?? join(dir, `${name}-${lines}.ndjson`);
  if (!existsSync(file)) {
    const full = join(dir, `${name}.full.ndjson`);
    process.stdout.write(`bench/check: generating ${file} with snc simulate (every client traced; several minutes) …\n`);
    const g = spawnSync(process.execPath, ['bin/snc.js', 'simulate', String(values.scenario), '--clients', String(values.clients), '--supernodes', String(values.supernodes), '--hours', String(values.hours), '--seed', String(values.seed), '--trace', full, '--sample-clients', String(values.clients)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] });
    if (g.status !== 0 && g.status !== 1) throw new Error(`snc simulate exited ${g.status}`);
    const kept = await firstLines(full, `${file}.part`, lines);
    unlinkSync(full);
    renameSync(`${file}.part`, file);
    if (kept < lines) process.stdout.write(`  note: the run wrote only ${kept.toLocaleString('en')} lines; raise --hours for ${lines.toLocaleString('en')}\n`);
  }
  const hidden = String(values.hidden).split(',').map(Number);
  const repeats = Number(values.repeats);
  const code = codeRoot(values.tsx === true);
  process.stdout.write(`bench/check: snc check runs as ${code.label}\n`);
  await measure(file, hidden, repeats, code);
  const prefix = Number(values.prefix);
  if (prefix > 0) {
    const small = file.replace(/\.ndjson$/, `.first-${prefix}.ndjson`);
    if (!existsSync(small)) await firstLines(file, small, prefix);
    await measure(small, hidden, repeats, code);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run(process.argv.slice(2));
