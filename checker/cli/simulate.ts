// `snc simulate SCENARIO`: runs a bundled scenario (by name) or a scenario
// file through the discrete-event simulator (checker/sim) and prints a
// summary: baseline, peak load, supernodes lost, lowest online share, time to
// 90 % recovery, property verdicts with the time of the first violation.
// Optionally writes the time series (CSV), an SVG chart and a sampled
// supernode-trace. Exit 0 when the simulation ran (whatever the verdicts),
// 2 usage error, 3 invalid scenario.
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadScenario, resolveScenario, bundledScenarios, ScenarioError, type SimScenario } from '../sim/scenario.js';
import { simulate, SIM_PROPS, type SimResult } from '../sim/run.js';
import { seriesCsv } from '../sim/metrics.js';
import { seriesSvg } from '../sim/svg.js';
import { CATALOGUE, TIME_WITHIN, UnknownPropertyError } from '../props/index.js';
import { PARAMS, type Params } from '../../models/params.js';
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import { CliError, choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs, type FlagValues } from './args.js';
import { printable, type Io } from './io.js';
import { checkReadable, checkWritable, refuseOverwrite, refuseStdin } from './files.js';
import type { PropertyResult, Report } from '../../schemas/generated/report.js';
import { plural } from './render.js';
import { parseProps } from './prop-flags.js';

const FLAGS: FlagSpecs = {
  clients: { type: 'string', valueName: 'N', description: 'number of clients (default: the scenario\'s); supernodes and mega-supernodes scale along' },
  supernodes: { type: 'string', valueName: 'M', description: 'number of supernodes (default: the scenario\'s ratio to clients)' },
  hours: { type: 'string', valueName: 'H', description: 'simulated hours, up to 8760 (default: the scenario\'s duration)' },
  seed: { type: 'string', valueName: 'S', description: 'seed of latencies, behaviour and faults (default 1)' },
  param: { type: 'string', valueName: 'NAME=V,...', description: 'override model parameters, e.g. overloadThreshold=0 (counterfactuals)' },
  'mega-shift': { type: 'string', valueName: 'DURATION', description: 'move every add-mega action: --mega-shift=-1h (earlier), --mega-shift 30m (later)' },
  props: { type: 'string', valueName: 'IDS', description: 'comma-separated property ids to monitor (default: all; one the scenario cannot exercise is reported not-checked)' },
  trace: { type: 'string', valueName: 'FILE', description: 'write a supernode-trace (clock "ms") of a sample of clients' },
  'sample-clients': { type: 'string', valueName: 'K', description: 'clients in the trace (default 50)' },
  series: { type: 'string', valueName: 'FILE.csv', description: 'write the time series as CSV' },
  plot: { type: 'string', valueName: 'FILE.svg', description: 'write an SVG line chart of the time series' },
  format: { type: 'string', valueName: 'text|json', description: 'text summary (default) or JSON (schemas/report.schema.json, the run under simulation)' },
  exact: { type: 'boolean', description: 'step every event (no keepalive acceleration, no quiet sweeps, no deferred timers): the same run, several times slower' },
  list: { type: 'boolean', description: 'list the bundled scenarios and exit' },
};

export const SIMULATE_HELP = `Usage: snc simulate SCENARIO [options]

Runs a large-scale scenario on a millisecond clock through the same models,
system semantics and property monitors as explore and check. SCENARIO is a
bundled name (${bundledScenarios().join(', ')}) or a scenario JSON file
(schemas/scenario.schema.json). Messages take a seeded random latency; timers,
user logins and logouts, host restarts, faults and operator actions happen on
schedule. The same seed gives the same run.

Options:
${flagHelp(FLAGS)}

Bounded-response properties are measured in clock time: ${Object.entries(TIME_WITHIN).map(([k, v]) => `${k} ${v / 1000}s`).join(', ')}
(a scenario's "props" overrides them). Series columns: t_ms, online_clients,
live_supernodes, live_regular_supernodes, attached_clients, mean_load, max_load
(messages per supernode per loadWindow), logins_per_s, down_hosts.
Exit: 0 the simulation ran (see the verdicts) · 2 usage error · 3 invalid scenario
`;

/** `1h 05m`, `12m 30s`, `45s`. */
export function hms(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${sec ? `${String(sec).padStart(2, '0')}s` : ''}`;
  return `${sec}s`;
}

const n = (x: number) => x.toLocaleString('en');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The text summary of a run. */
export function simulationText(r: SimResult, sc: SimScenario): string {
  const s = r.summary;
  const win = `${sc.resolved.loadWindow / 1000}s`;
  const buggy = sc.resolved.buggyVersions.join(', ');
  const rows: [string, string][] = [
    [`baseline (${hms(s.baseline.from)}–${hms(s.baseline.to)})`, `${n(s.baseline.online)} online · ${plural(s.baseline.liveRegular, 'supernode')} serving · load ${s.baseline.meanLoad} messages/supernode/${win}`],
    ['peak load', `mean ${s.peakMeanLoad.value} (${s.peakMeanLoad.multiple}x baseline) at ${hms(s.peakMeanLoad.at)} · busiest supernode had ${s.peakMaxLoad.value} (${s.peakMaxLoad.multiple}x) at ${hms(s.peakMaxLoad.at)}`],
    ['supernodes', `${pct(s.supernodesCrashed)} had their host crash · at most ${pct(s.supernodesLost.share)} not serving (at ${hms(s.supernodesLost.at)}) · ${n(s.evictions)} self-evictions${s.firstEvictionAt !== null ? `, first at ${hms(s.firstEvictionAt)}` : ''}`],
    // Distinct clients here; no-client-crash below counts every crash, and a crashed client restarts and may crash again.
    ['clients crashed', `${n(s.clientsCrashed.count)} (${pct(s.clientsCrashed.share)} of all, ${s.clientsCrashed.buggy ? `${pct(s.clientsCrashed.shareOfBuggy)} of ${buggy}` : `no client runs ${buggy}`})${s.clientsCrashed.crashes > s.clientsCrashed.count ? ` · ${n(s.clientsCrashed.crashes)} crashes in all: a crashed client restarts, and may crash again` : ''}`],
    ['lowest online', `${pct(s.lowestOnline.share)} of baseline at ${hms(s.lowestOnline.at)}`],
    ['recovery to 90%', s.recovery90 ? `at ${hms(s.recovery90.at)}: ${s.firstActionAt === null ? '' : `${hms(s.recovery90.afterFirstAction)} after the first action, `}${hms(s.recovery90.afterTrough)} after the trough` : s.lowestOnline.share >= 0.9 ? 'never below 90%' : 'not within the run'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  // A shortened run (--hours) may end before some of the scenario's faults and operator actions.
  const late = sc.schedule.filter((a) => a.at >= sc.duration);
  const lateNote = late.length
    ? [`note: the run ends at ${hms(sc.duration)}, before ${late.length === 1 ? 'a scheduled action' : `${late.length} scheduled actions`} of the scenario (${late.slice(0, 3).map((a) => `${a.action} at ${hms(a.at)}`).join(', ')}${late.length > 3 ? ', …' : ''}): raise --hours to include ${late.length === 1 ? 'it' : 'them'}`, '']
    : [];
  const out = [
    `snc simulate ${r.scenario} — seed ${r.seed}, ${plural(r.clients, 'client', n)}, ${plural(r.supernodes, 'supernode', n)}${r.megaSupernodes ? ` (+${r.megaSupernodes} mega)` : ''}, ${hms(r.duration)} simulated`,
    `  ${n(r.events)} events in ${r.seconds.toFixed(r.seconds < 0.1 ? 2 : 1)} s (${n(Math.round(r.events / Math.max(r.seconds, 1e-3)))} events/s${r.virtualEvents ? `; ${n(r.virtualEvents)} of them keepalive rounds, loadWindow timers and re-armed timers' no-op firings accounted without stepping` : ''}${r.quietSweeps ? `, ${n(r.quietSweeps)} sweeps that could drop nobody not stepped` : ''})`,
    '',
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    '',
    ...lateNote,
    'properties:',
  ];
  const pw = Math.max(...r.properties.map((p) => p.id.length));
  for (const p of r.properties) {
    const first = p.firstAt !== undefined ? ` ${n(p.count)}x, first at ${hms(p.firstAt)}: ${p.explanation}` : p.status === 'not-checked' ? ` ${p.explanation}` : '';
    const pending = p.pending ? ` (${n(p.pending)} open at the end)` : '';
    out.push(`  ${p.id.padEnd(pw)}  ${p.status.padEnd(11)}${first}${pending}`);
  }
  return out.map(printable).join('\n') + '\n';
}

/** A buffered synchronous line writer (constant memory, no back-pressure to manage). */
function lineWriter(path: string): { write: (line: string) => void; close: () => void } {
  let fd: number;
  try { fd = openSync(path, 'w'); } catch (e) {
    throw new CliError('CLI003', `cannot write ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose a writable path for --trace');
  }
  let buf: string[] = [];
  let size = 0;
  const flush = () => { if (buf.length) { writeSync(fd, buf.join('')); buf = []; size = 0; } };
  return {
    write: (line) => { buf.push(line, '\n'); size += line.length + 1; if (size > 1 << 20) flush(); },
    close: () => { flush(); closeSync(fd); },
  };
}

async function writeOut(path: string, text: string, flag: string): Promise<void> {
  try { await writeFile(path, text); } catch (e) {
    throw new CliError('CLI003', `cannot write ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, `choose a writable path for --${flag}`);
  }
}

const DURATION = /^(-?)([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const PARAM_SCHEMA = traceSchema.$defs.Params.properties as Record<string, { type?: string; minimum?: number; description?: string }>;

/** --param a=1,b=2 and --mega-shift -1h. */
function paramFlags(values: FlagValues): { params?: Params; megaShift?: number } {
  const out: { params?: Params; megaShift?: number } = {};
  if (typeof values.param === 'string') {
    const params: Record<string, number> = {};
    const numeric = `numeric parameters: ${PARAMS.filter((p) => typeof p.default === 'number').map((p) => p.name).join(', ')}`;
    for (const part of values.param.split(',').filter(Boolean)) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(part.trim());
      const doc = m ? PARAMS.find((p) => p.name === m[1]) : undefined;
      if (!m || !doc || typeof doc.default !== 'number') {
        throw usageError(`--param expects NAME=NUMBER with a numeric model parameter, got ${JSON.stringify(part)}`, numeric);
      }
      // The bounds the trace schema sets for the parameter (as a scenario file's params get them).
      const bound = PARAM_SCHEMA[m[1]];
      const whole = bound?.type === 'integer';
      if (!/^\d+(?:\.\d+)?$/.test(m[2])) {
        throw usageError(`--param ${m[1]} must be a plain decimal number${bound?.minimum !== undefined ? ` of at least ${bound.minimum}` : ''}, got ${JSON.stringify(m[2])}`, `write it in digits, e.g. ${m[1]}=${doc.default}${whole ? '' : ' (ms)'}`);
      }
      if (whole && !Number.isInteger(Number(m[2]))) {
        throw usageError(`--param ${m[1]} must be a whole number (a count), got ${m[2]}`, `e.g. ${m[1]}=${doc.default}`);
      }
      if (bound?.minimum !== undefined && Number(m[2]) < bound.minimum) {
        throw usageError(`--param ${m[1]} must be at least ${bound.minimum}, got ${m[2]}`, bound.description ?? `see $defs/Params in schemas/trace.schema.json`);
      }
      params[m[1]] = Number(m[2]);
    }
    out.params = params as Params;
  }
  if (values['mega-shift'] !== undefined) {
    const m = typeof values['mega-shift'] === 'string' ? DURATION.exec(values['mega-shift']) : null;
    if (!m) throw usageError(`--mega-shift must be a duration such as -1h or 30m, got ${JSON.stringify(values['mega-shift'])}`, 'a signed number with ms, s, m or h: --mega-shift=-1h moves every add-mega action an hour earlier');
    out.megaShift = (m[1] ? -1 : 1) * Math.round(Number(m[2]) * UNIT_MS[m[3]]);
  }
  return out;
}

/** The longest run --hours asks for: a simulated year (a day at 2,000 clients takes seconds; a year, hours). */
const MAX_HOURS = 8760;

function scale(values: FlagValues) {
  const hours = values.hours;
  if (hours !== undefined && (typeof hours !== 'string' || !/^\d+(\.\d+)?$/.test(hours) || Number(hours) <= 0)) {
    throw usageError(`--hours must be a positive decimal number, got ${JSON.stringify(hours)}`, 'in digits: e.g. --hours 24 or --hours 0.5');
  }
  if (hours !== undefined && Number(hours) > MAX_HOURS) {
    throw usageError(`--hours ${hours} is more than a simulated year (${MAX_HOURS} h)`, 'the outages this replays last hours to days: e.g. --hours 48');
  }
  return {
    ...paramFlags(values),
    ...(values.clients !== undefined ? { clients: intFlag(values, 'clients', 1, 1, 10_000_000) } : {}),
    ...(values.supernodes !== undefined ? { supernodes: intFlag(values, 'supernodes', 1, 1, 1_000_000) } : {}),
    ...(hours !== undefined ? { hours: Number(hours) } : {}),
  };
}

/** Runs `snc simulate`; returns the exit code. */
export async function runSimulate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'simulate');
  if (values.help) { io.out(SIMULATE_HELP); return 0; }
  if (values.list) { io.out(bundledScenarios().map((s) => `  ${s}\n`).join('')); return 0; }
  if (positionals.length !== 1) throw usageError(positionals.length ? `expected one scenario, got ${positionals.length}` : 'no scenario given', `e.g. snc simulate outage-2010; bundled: ${bundledScenarios().join(', ')}`);
  const format = choiceFlag(values, 'format', ['text', 'json'] as const);
  const seed = intFlag(values, 'seed', 1, 0, 2 ** 31 - 1);
  const sizes = scale(values);
  if (values['sample-clients'] !== undefined && values.trace === undefined) throw usageError('--sample-clients needs --trace FILE');
  const sampleClients = intFlag(values, 'sample-clients', 50, 1);
  const props = parseProps(values.props, SIM_PROPS);
  for (const id of props) if (!CATALOGUE.some((p) => p.id === id)) throw usageError(new UnknownPropertyError(id).message, 'see snc simulate --help');
  // Neither a bundled name nor a readable file: a usage error (CLI002/CLI003), as for every file argument.
  if (!bundledScenarios().includes(positionals[0])) {
    const hint = `name a bundled scenario (${bundledScenarios().join(', ')}; snc simulate --list) or a scenario JSON file`;
    refuseStdin(positionals[0], 'a scenario', hint);
    await checkReadable(positionals[0], hint, hint);
  }
  let sc: SimScenario;
  try {
    const { scenario } = await loadScenario(positionals[0]);
    sc = resolveScenario(scenario, sizes);
  } catch (e) {
    if (e instanceof ScenarioError) {
      for (const p of e.problems) io.err(printable(`snc simulate: ${p.place}: ${p.code} ${p.message} — hint: ${p.hint}`) + '\n');
      // A scenario that does not exist is a usage error (2), like a missing file; a broken one is invalid input (3).
      return e.problems.some((p) => p.code === 'SCN001' && /ENOENT|EISDIR/.test(p.message)) ? 2 : 3;
    }
    throw e;
  }
  if (sizes.supernodes !== undefined && sizes.supernodes > sc.supernodes) {
    throw usageError(`--supernodes ${sizes.supernodes} is more than the ${sc.clients} clients: a supernode runs on a client's host`, `at most --supernodes ${sc.clients}, or more --clients`);
  }
  if (sizes.megaShift !== undefined && !sc.schedule.some((a) => a.action === 'add-mega')) {
    throw usageError(`--mega-shift: scenario ${positionals[0]} has no add-mega action to move`, 'the bundled outage-2010 has three; snc simulate --list');
  }
  if (sc.duration < sc.sample) {
    const least = Math.ceil((sc.sample / 3_600_000) * 100) / 100;
    throw usageError(`${values.hours !== undefined ? `--hours ${values.hours} gives` : 'the scenario has'} a run of ${sc.duration / 1000} s, shorter than its sample interval (${sc.sample / 1000} s): the summary would have no sample to report`, `use --hours ${least} or more (a few samples at least: e.g. --hours ${Math.max(0.1, Math.round(least * 500) / 100)})`);
  }
  const command = ['snc simulate', positionals[0], ...argv.filter((a) => a !== positionals[0])].join(' ');
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
  const onProgress = tty ? (p: { t: number; duration: number; events: number; seconds: number }) =>
    io.err(`\r  ${hms(p.t)} of ${hms(p.duration)} simulated · ${n(p.events)} events · ${n(Math.round(p.events / Math.max(p.seconds, 1e-3)))}/s   `) : undefined;
  // Output paths first: a typo must not throw away the run, and no output may land on the
  // scenario file or on another output.
  const outputs = (['trace', 'series', 'plot'] as const).flatMap((k) => (typeof values[k] === 'string' ? [{ flag: `--${k}`, path: values[k] as string }] : []));
  const scenarioFile = bundledScenarios().includes(positionals[0]) ? [] : [{ path: positionals[0], what: 'the scenario file' }];
  outputs.forEach((o, i) => refuseOverwrite(o.flag, o.path, [...scenarioFile, ...outputs.slice(0, i).map((e) => ({ path: e.path, what: `the ${e.flag} file` }))]));
  if (typeof values.series === 'string') await checkWritable(values.series, 'choose a writable path for --series');
  if (typeof values.plot === 'string') await checkWritable(values.plot, 'choose a writable path for --plot');
  const writer = typeof values.trace === 'string' ? lineWriter(values.trace) : undefined;
  let result: SimResult;
  try {
    result = simulate({ scenario: sc, seed, props, sampleClients, onProgress, command, accelerate: values.exact !== true, ...(writer ? { traceLine: writer.write } : {}) });
  } finally {
    writer?.close();
    if (onProgress) io.err('\r\x1b[K');
  }
  if (typeof values.series === 'string') await writeOut(values.series, seriesCsv(result.series), 'series');
  if (typeof values.plot === 'string') await writeOut(values.plot, seriesSvg(result.series, `${sc.name}: ${n(sc.clients)} clients, ${n(sc.supernodes)} supernodes, seed ${seed}`, sc.schedule), 'plot');
  if (format === 'json') {
    // schemas/report.schema.json: the common envelope, the run under `simulation`, verdicts as PropertyResults.
    const properties: PropertyResult[] = result.properties.map((p) => ({
      id: p.id, kind: p.kind as PropertyResult['kind'], status: p.status, count: p.count,
      ...(p.pending ? { pendingCount: p.pending } : {}),
      ...(p.firstAt !== undefined ? { time: p.firstAt } : {}),
      ...(p.actors ? { actors: [...p.actors] } : {}),
      ...(p.explanation !== undefined ? { explanation: p.explanation } : {}),
    }));
    const report: Report = {
      tool: 'supernode-check', reportVersion: 1, command: 'simulate', ok: properties.every((p) => p.status !== 'violated'),
      simulation: { ...result, properties, sources: sc.sources, params: sc.params },
    };
    io.out(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.out(simulationText(result, sc));
    const files = [
      typeof values.series === 'string' ? `series → ${values.series}` : '',
      typeof values.plot === 'string' ? `chart → ${values.plot}` : '',
      writer ? `trace → ${values.trace} (${n(result.traceLines ?? 0)} lines, ${plural(Math.min(sampleClients, sc.clients), 'client')})` : '',
    ].filter(Boolean);
    if (files.length) io.out(`\nwrote ${files.join(' · ')}\n`);
  }
  return 0;
}
