// Benchmark of `snc simulate`: simulated events per second, wall time and
// memory for outage-2010 at growing scale (supernodes scale with the clients:
// 1 per 50, so 100k clients run 2,000 supernodes), with every property
// monitor on (as the CLI runs) or off.
//
//   npx tsx bench/simulate.ts                          10k, 50k, 100k clients, 1 simulated hour
//   npx tsx bench/simulate.ts --clients 100000 --hours 24 --props none
//   npm run bench -- simulate --clients 20000
import { fileURLToPath } from 'node:url';
import { loadScenario, resolveScenario } from '../checker/sim/scenario.js';
import { simulate, SIM_PROPS } from '../checker/sim/run.js';

interface Row { clients: number; supernodes: number; hours: number; props: string; events: number; seconds: number; eventsPerSec: number; rssMB: number; online: number }

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** Runs the benchmark; prints one line per scale and returns the rows. */
export async function run(args: string[] = []): Promise<Row[]> {
  const scales = flag(args, 'clients', '10000,50000,100000').split(',').map(Number);
  const hours = Number(flag(args, 'hours', '1'));
  const propsMode = flag(args, 'props', 'all');
  const seed = Number(flag(args, 'seed', '1'));
  const name = flag(args, 'scenario', 'outage-2010');
  const { scenario } = await loadScenario(name);
  const rows: Row[] = [];
  console.log(`bench simulate: ${name}, ${hours} simulated h, props ${propsMode}, seed ${seed}, node ${process.version}`);
  for (const clients of scales) {
    const sc = resolveScenario(scenario, { clients, hours });
    const started = process.hrtime.bigint();
    const r = simulate({ scenario: sc, seed, props: propsMode === 'none' ? [] : SIM_PROPS });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const row: Row = {
      clients, supernodes: sc.supernodes, hours, props: propsMode, events: r.events, seconds: Math.round(seconds * 10) / 10,
      eventsPerSec: Math.round(r.events / seconds), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      online: r.series.length ? r.series[r.series.length - 1].online : 0,
    };
    rows.push(row);
    console.log(`  ${String(clients).padStart(7)} clients ${String(sc.supernodes).padStart(5)} supernodes: ${row.events.toLocaleString('en').padStart(12)} events in ${row.seconds.toFixed(1).padStart(6)} s wall (incl. setup) = ${row.eventsPerSec.toLocaleString('en').padStart(8)} events/s · rss ${row.rssMB} MB · ${row.online.toLocaleString('en')} online at the end`);
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run(process.argv.slice(2));
}
