// Benchmark of `snc simulate`: simulated events per second, wall time and
// peak memory for outage-2010 at growing scale. Supernodes scale with the
// clients as the scenario has them (resolveScenario: 40 per 2,000, i.e. 1 per
// 50, so 100k clients run 2,000 supernodes; the scenario's capacity of 45 is
// set against ~39 online clients per supernode). Every property monitor is on
// (as the CLI runs) unless --props none. Each scale runs in its own child
// process, so that its peak RSS is its own.
//
// Events are counted as an exact run applies them; with keepalive
// acceleration (the default) the keepalive-round events (timer, Keepalive,
// KeepaliveAck) of accelerated clients and the loadWindow timers of serving
// supernodes (and the no-op firings of re-armed timers that deferral leaves
// out) are accounted without being stepped: "virtual"; the sweeps of
// supernodes whose every client runs accelerated pop but are not stepped
// either: "quiet sweeps". --exact steps every event. CPU seconds are given
// beside wall time (the machine is shared).
// The children run the compiled simulator in dist/, as `snc simulate` does
// (bench/compiled.ts: rebuilt first if a source is newer), with the V8 flags
// `snc simulate` starts with (bin/launch.js); --tsx runs the
// TypeScript sources through tsx instead (~1.3x slower). The header says which.
//
//   npx tsx bench/simulate.ts                          10k, 50k, 100k clients, 24 simulated hours
//   npx tsx bench/simulate.ts --clients 10000 --hours 1 --exact
//   npx tsx bench/simulate.ts --clients 100000 --by-hour   also CPU-s per simulated hour (storms against quiet hours)
//   npm run bench -- simulate --clients 20000
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { codeRoot } from './compiled.js';
import { STARTUP_FLAGS } from '../bin/launch.js';

type ScenarioModule = typeof import('../checker/sim/scenario.js');
type RunModule = typeof import('../checker/sim/run.js');

/** The simulator's modules, compiled (dist/, which the parent made fresh) or from the sources (--tsx). */
async function modules(args: string[]): Promise<ScenarioModule & RunModule> {
  const { root, ext } = codeRoot(args.includes('--tsx'));
  const base = join(root, 'checker', 'sim');
  const [sc, run] = await Promise.all([import(join(base, `scenario.${ext}`)) as Promise<ScenarioModule>, import(join(base, `run.${ext}`)) as Promise<RunModule>]);
  return { ...sc, ...run };
}

interface Row {
  clients: number; supernodes: number; hours: number; props: string; exact: boolean;
  events: number; virtualEvents: number; quietSweeps: number; seconds: number; cpuSeconds: number; simSeconds: number; eventsPerSec: number; peakRssMB: number; online: number;
  /** What the day was: a day with the cascade costs far more than a quiet one (its storms are stepped events). */
  crashedShare: number; evictions: number; lowestOnline: number;
  /** --by-hour: CPU-s of each simulated hour (see byHourMeter). */
  cpuByHour?: HourSpan[];
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** One scale in this process; returns its row. */
async function one(args: string[]): Promise<Row> {
  const clients = Number(flag(args, 'clients', '10000'));
  const hours = Number(flag(args, 'hours', '24'));
  const propsMode = flag(args, 'props', 'all');
  const seed = Number(flag(args, 'seed', '1'));
  const exact = args.includes('--exact');
  const { loadScenario, resolveScenario, simulate, SIM_PROPS } = await modules(args);
  const { scenario } = await loadScenario(flag(args, 'scenario', 'outage-2010'));
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const sc = resolveScenario(scenario, { clients, hours });
  const byHour = args.includes('--by-hour') ? byHourMeter() : undefined;
  const r = simulate({ scenario: sc, seed, props: propsMode === 'none' ? [] : SIM_PROPS, accelerate: !exact, onProgress: byHour?.progress });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return {
    clients, supernodes: sc.supernodes, hours, props: propsMode, exact,
    events: r.events, virtualEvents: r.virtualEvents, quietSweeps: r.quietSweeps, seconds: round1(seconds), cpuSeconds: round1((cpu.user + cpu.system) / 1e6), simSeconds: round1(r.seconds),
    eventsPerSec: Math.round(r.events / seconds), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    online: r.series.length ? r.series[r.series.length - 1].online : 0,
    crashedShare: r.summary.clientsCrashed.share, evictions: r.summary.evictions, lowestOnline: r.summary.lowestOnline.share,
    ...(byHour ? { cpuByHour: byHour.done(hours) } : {}),
  };
}

/**
 * CPU-s per simulated hour, read at the progress reports (every ~65k stepped events): the first report past
 * an hour's end closes it, so an hour's figure also holds up to ~65k events of the next (in a quiet hour at
 * 100k clients, ~590k events, some minutes of simulated time: ±10%). Where reports are further apart than an
 * hour (a small run), one span covers the hours between two reports ("h2–h5").
 */
function byHourMeter(): { progress: (p: { readonly t: number }) => void; done: (hours: number) => HourSpan[] } {
  const spans: HourSpan[] = [];
  let from = 0;
  let last = process.cpuUsage();
  const close = (to: number) => {
    const d = process.cpuUsage(last);
    last = process.cpuUsage();
    spans.push({ from: from + 1, to, cpu: round1((d.user + d.system) / 1e6) });
    from = to;
  };
  return {
    progress: (p) => { const h = Math.floor(p.t / 3_600_000); if (h > from) close(h); },
    done: (hours) => { const end = Math.ceil(hours); if (end > from) close(end); return spans; },
  };
}

/** Simulated hours from..to (1-based, inclusive) and the CPU-s they took. */
interface HourSpan { from: number; to: number; cpu: number }

const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const n = (x: number) => x.toLocaleString('en');

/** Runs the benchmark; prints one line per scale and returns the rows. */
export async function run(args: string[] = []): Promise<Row[]> {
  const scales = flag(args, 'clients', '10000,50000,100000').split(',').map(Number);
  const hours = flag(args, 'hours', '24');
  const exact = args.includes('--exact');
  console.log(`bench simulate: ${flag(args, 'scenario', 'outage-2010')}, ${hours} simulated h, props ${flag(args, 'props', 'all')}, seed ${flag(args, 'seed', '1')}, keepalive acceleration ${exact ? 'off (--exact)' : 'on'}, ${codeRoot(args.includes('--tsx')).label}, node ${process.version} ${STARTUP_FLAGS.simulate.join(' ')}`);
  const rows: Row[] = [];
  const me = fileURLToPath(import.meta.url);
  for (const clients of scales) {
    const rest = args.filter((a, i) => a !== '--clients' && args[i - 1] !== '--clients');
    const child = spawnSync(process.execPath, [...STARTUP_FLAGS.simulate, '--import', 'tsx', me, '--one', '--clients', String(clients), ...rest], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
    if (child.status !== 0 || !line) { console.log(`  ${clients} clients: failed (exit ${child.status}${child.signal ? `, ${child.signal}` : ''})\n${child.stderr.slice(-2000)}`); continue; }
    const row = JSON.parse(line) as Row;
    rows.push(row);
    // Quiet sweeps pop from the queue but are not stepped (checker/sim/engine.ts).
    const real = row.events - row.virtualEvents - row.quietSweeps;
    if (row.cpuByHour) console.log(`  ${String(row.clients).padStart(7)} clients, CPU-s per simulated hour (the first with the setup): ${row.cpuByHour.map((x) => `h${x.from}${x.to > x.from ? `–h${x.to}` : ''} ${x.cpu.toFixed(1)}`).join(' · ')}`);
    console.log(`  ${String(row.clients).padStart(7)} clients ${String(row.supernodes).padStart(5)} supernodes: ${n(row.events).padStart(13)} events (${n(row.virtualEvents)} virtual, ${n(row.quietSweeps)} quiet sweeps, ${n(real)} stepped) in ${row.seconds.toFixed(1).padStart(6)} s wall, ${row.cpuSeconds.toFixed(1)} s CPU (${row.simSeconds.toFixed(1)} s simulating) = ${n(row.eventsPerSec).padStart(9)} events/s (${n(Math.round(real / row.seconds))} stepped/s) · peak RSS ${n(row.peakRssMB)} MB · ${n(row.online)} online at the end · the day: ${pct(row.crashedShare)} of clients crashed, ${n(row.evictions)} self-evictions, lowest online ${pct(row.lowestOnline)} of baseline`);
  }
  if (rows.length > 1) {
    const a = rows[0];
    const b = rows[rows.length - 1];
    console.log(`  growth ${n(a.clients)} → ${n(b.clients)} clients (${round1(b.clients / a.clients)}x): events ${round1(b.events / a.events)}x, wall time ${round1(b.seconds / a.seconds)}x, CPU time ${round1(b.cpuSeconds / a.cpuSeconds)}x, events/s ${round1(b.eventsPerSec / a.eventsPerSec)}x`);
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes('--one')) console.log(JSON.stringify(await one(args)));
  else await run(args);
}
