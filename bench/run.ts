// Runs the benchmarks: every bench/*.ts module that exports `run(args)`, in
// name order, or only those named on the command line.
//
//   npm run bench                     all benchmarks
//   npm run bench -- validate         bench/validate.ts only
//   npm run bench -- validate --events 200000
//                                     flags after the names go to each bench
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Bench = { run?: (args: string[]) => Promise<void> };

const here = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((a) => a.startsWith('-'));
const names = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const args = firstFlag < 0 ? [] : argv.slice(firstFlag);

const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort();
const unknown = names.filter((n) => !files.includes(`${n}.ts`));
if (unknown.length) {
  console.error(`bench: no bench/${unknown[0]}.ts (have: ${files.map((f) => basename(f, '.ts')).join(', ')})`);
  process.exit(2);
}
let ran = 0;
for (const file of files) {
  const name = basename(file, '.ts');
  if (names.length && !names.includes(name)) continue;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as Bench;
  if (typeof mod.run !== 'function') continue;
  await mod.run(args);
  ran++;
}
if (ran === 0) console.error('bench: no benchmark ran');
