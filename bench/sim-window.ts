// CPU seconds of one window of simulated hours, for before/after comparisons of
// a change that moves only some hours of a day (a storm, the quiet hours):
// the hours before the window are simulated first, untimed, then the window is
// timed alone. The compiled simulator in dist/ (bench/compiled.ts: rebuilt if
// stale), every property monitor on but those the scenario cannot exercise, as
// `snc simulate` runs it. Not a benchmark of `npm run bench` (it exports no
// `run`); run it under the simulator's V8 flags, as below, to compare with
// bench/simulate.ts. Hours count from 0: --from 2 --to 4 is `--by-hour`'s h3 and h4.
// The run before the window ends by putting its accelerated keepalive rounds
// back as real events (Simulator.run), and the window steps those (about one
// event per client) before they run accelerated again: the window's figure
// holds a few tenths of a second of that at 100k clients, the same for a
// before and an after.
//
//   node --max-semi-space-size=256 --import tsx bench/sim-window.ts --clients 100000 --from 2 --to 4
//   ... --scenario steady --seed 3
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { codeRoot } from './compiled.js';

type ScenarioModule = typeof import('../checker/sim/scenario.js');
type RunModule = typeof import('../checker/sim/run.js');
type EngineModule = typeof import('../checker/sim/engine.js');

async function main(args: string[]): Promise<void> {
  let opts;
  try {
    opts = parseArgs({ args, strict: true, options: {
      clients: { type: 'string', default: '100000' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: '1' },
      scenario: { type: 'string', default: 'outage-2010' }, seed: { type: 'string', default: '1' },
    } }).values;
  } catch (e) {
    console.error(`sim-window: ${(e as Error).message}`);
    process.exit(2);
  }
  const clients = Number(opts.clients);
  const from = Number(opts.from);
  const to = Number(opts.to);
  const seed = Number(opts.seed);
  if (!(Number.isInteger(clients) && clients > 0 && Number.isInteger(seed) && Number.isFinite(from) && Number.isFinite(to) && from >= 0 && to > from)) {
    console.error('sim-window: --clients is a positive whole number, --seed a whole number; --from and --to are simulated hours, 0 ≤ from < to');
    process.exit(2);
  }
  const { root, ext } = codeRoot(false);
  const base = join(root, 'checker', 'sim');
  const sc = (await import(join(base, `scenario.${ext}`))) as ScenarioModule;
  const { simProps, unexercised } = (await import(join(base, `run.${ext}`))) as RunModule;
  const { Simulator } = (await import(join(base, `engine.${ext}`))) as EngineModule;
  let scenario;
  try {
    ({ scenario } = await sc.loadScenario(opts.scenario));
  } catch (e) {
    console.error(`sim-window: ${(e as Error).message}`);
    process.exit(2);
  }
  const s = sc.resolveScenario(scenario, { clients, hours: to });
  // As simulate() monitors them (checker/sim/run.ts): not the properties no input of the scenario exercises.
  const props = simProps(s).filter((p) => !unexercised(p, s));
  const sim = new Simulator(s, props, seed);
  sim.run(from * 3_600_000);
  const e0 = sim.totalEvents;
  const v0 = sim.virtualEvents;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  sim.run(to * 3_600_000);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  console.log(`sim-window: ${s.name}, ${clients} clients, seed ${seed}, hours ${from}–${to}: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s, ${wall.toFixed(2)} s wall, ${(sim.totalEvents - e0).toLocaleString('en')} events (${(sim.virtualEvents - v0).toLocaleString('en')} virtual)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
