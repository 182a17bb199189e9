// Benchmark of `snc validate`'s library path (the streaming reader + the
// validator) against the raw floor on the same file in the same run: a bare
// `indexOf('\n')` splitter + JSON.parse. Generates a realistic 1M-event trace
// into bench/data/ once (gitignored), takes the median of 3 runs of each, and
// prints lines/s, MB/s and the ratio. Goal: ratio ≥ 0.7.
//
//   npm run bench -- validate [--events N] [--runs N]
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { validateFile } from '../checker/trace/validate.js';
import { generateTrace } from './trace-gen.js';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

/** The raw floor: read, split on '\n', JSON.parse every line, nothing else. */
async function rawParse(path: string): Promise<number> {
  let lines = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, encoding: 'utf8' })) {
    const s = carry + (chunk as string);
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      JSON.parse(s.slice(start, nl));
      lines++;
      start = nl + 1;
    }
    carry = s.slice(start);
  }
  if (carry) { JSON.parse(carry); lines++; }
  return lines;
}

async function libraryValidate(path: string): Promise<number> {
  const r = await validateFile(path);
  if (r.verdict !== 'valid') throw new Error(`bench trace is invalid: ${JSON.stringify(r.problems[0])}`);
  return r.lines ?? 0;
}

/** Wall-clock seconds, and CPU seconds of this process (steadier when other work shares the cores). */
async function timed(fn: () => Promise<number>): Promise<{ lines: number; seconds: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const lines = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { lines, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Runs the benchmark and prints its figures. */
export async function run(args: string[] = []): Promise<void> {
  const events = flag(args, 'events', 1_000_000);
  const runs = flag(args, 'runs', 3);
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `validate-${events}-v1.ndjson`);
  if (!existsSync(path)) {
    const t = await timed(async () => generateTrace(path, events));
    console.log(`generated ${path} (${t.lines} lines) in ${t.seconds.toFixed(1)} s`);
  }
  const mb = statSync(path).size / (1024 * 1024);
  const raw: number[] = [];
  const lib: number[] = [];
  const rawCpu: number[] = [];
  const libCpu: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that drift (thermal, page cache) hits both alike.
    const a = await timed(() => rawParse(path));
    const b = await timed(() => libraryValidate(path));
    if (a.lines !== b.lines) throw new Error(`line counts differ: raw ${a.lines}, validate ${b.lines}`);
    lines = a.lines;
    raw.push(a.seconds);
    lib.push(b.seconds);
    rawCpu.push(a.cpu);
    libCpu.push(b.cpu);
  }
  const row = (name: string, s: number) =>
    `  ${name.padEnd(36)} ${s.toFixed(3).padStart(7)} s  ${Math.round(lines / s).toLocaleString('en-US').padStart(11)} lines/s  ${(mb / s).toFixed(1).padStart(6)} MB/s`;
  const rawS = median(raw);
  const libS = median(lib);
  console.log(`bench validate: ${lines.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MB, median of ${runs} runs (node ${process.version})`);
  console.log(row('raw: indexOf split + JSON.parse', rawS));
  console.log(row('snc validate (reader + validator)', libS));
  console.log(`  ratio validate/raw: ${(rawS / libS).toFixed(2)} (goal ≥ 0.70); by CPU time: ${(median(rawCpu) / median(libCpu)).toFixed(2)}`);
}
