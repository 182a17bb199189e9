// `simulate`: the simulator as a library call. A resolved scenario, a seed and
// options in; the time series, the summary and the property verdicts out.
// Prints nothing and writes no file: a trace goes line by line to the
// caller's `traceLine` callback (the CLI writes it to a file).
import { instantiate, CATALOGUE, type PropertyInstance } from '../props/index.js';
import { weight } from '../props/types.js';
import { Rng } from './rng.js';
import { Simulator, type Progress } from './engine.js';
import { SampleTrace } from './trace.js';
import type { SeriesRow } from './metrics.js';
import { summarise, type PropertySummary, type SimSummary } from './summary.js';
import type { SimScenario } from './scenario.js';


/** Every property of the catalogue: the simulator also reports the `overload-evicts` witness. */
export const SIM_PROPS: readonly string[] = CATALOGUE.map((p) => p.id);

export interface SimSpec {
  readonly scenario: SimScenario;
  readonly seed: number;
  /** Property ids (default SIM_PROPS). */
  readonly props?: readonly string[];
  /** Receives the trace's NDJSON lines (without newline) when given. */
  readonly traceLine?: (line: string) => void;
  /** Clients in the trace (default 50). */
  readonly sampleClients?: number;
  readonly onProgress?: (p: Progress) => void;
  /** The command that reproduces the run, for the trace's source. */
  readonly command?: string;
  /** Keepalive acceleration and deferred timers (default true; see checker/sim/engine.ts). Off: every keepalive round is stepped and every re-armed timer's old firing popped. */
  readonly accelerate?: boolean;
}

export interface SimResult {
  readonly scenario: string;
  readonly seed: number;
  readonly clients: number;
  readonly supernodes: number;
  readonly megaSupernodes: number;
  readonly duration: number;
  /** Events of the run, accelerated keepalive rounds included (the same count with and without acceleration). */
  readonly events: number;
  /** Of which accounted without being stepped: accelerated keepalive rounds, loadWindow timers, re-armed timers' no-op firings (0 with acceleration off). */
  readonly virtualEvents: number;
  /** Of the others, supernode sweeps whose timer popped but whose step was not applied: it could drop nobody (checker/sim/engine.ts, Quiet sweeps). */
  readonly quietSweeps: number;
  readonly seconds: number;
  readonly series: readonly SeriesRow[];
  readonly summary: SimSummary;
  readonly properties: readonly PropertySummary[];
  readonly traceLines?: number;
}

/**
 * The monitors of a simulation: every bounded-response property measured in clock ms,
 * with the scenario's N or else the catalogue's clock-time default (props/index.ts TIME_WITHIN).
 */
export function simProps(sc: SimScenario, ids: readonly string[] = SIM_PROPS): PropertyInstance[] {
  const overrides: Record<string, { within: number }> = {};
  for (const id of ids) {
    const def = CATALOGUE.find((d) => d.id === id);
    if (def?.kind === 'response' && sc.props[id] !== undefined) overrides[id] = { within: sc.props[id] };
  }
  return instantiate(ids, overrides, 'time');
}

/**
 * Whether no user input of scenario `sc` can exercise property `p` (PropertyDef.needsInput): simulate() then does
 * not monitor it and reports it not-checked, where a monitor fed every directory change of a day found nothing to
 * judge and said `holds` (directory-fresh: 4% of the 100k-client outage-2010 day, which makes no lookups).
 */
export function unexercised(p: PropertyInstance, sc: SimScenario): boolean {
  return p.def.needsInput === 'Lookup' && sc.users.lookupsPerHour === 0;
}

/** Runs `spec.scenario` with `spec.seed`. Throws UnknownPropertyError for an unknown property id. */
export function simulate(spec: SimSpec): SimResult {
  const sc = spec.scenario;
  const all = simProps(sc, spec.props);
  const props = all.filter((p) => !unexercised(p, sc));
  let tracer: SampleTrace | undefined;
  const sim = new Simulator(sc, props, spec.seed, {
    observe: (o) => tracer?.observe(o),
  }, { accelerate: spec.accelerate ?? true });
  if (spec.traceLine) {
    // An independent stream picks the sample, so tracing never changes the run.
    const idx = sim.pop.clientIds.map((id) => sim.sys.topo.index.get(id)!);
    const chosen = new Rng(spec.seed ^ 0x7ace).sample(idx, spec.sampleClients ?? 50).sort((a, b) => a - b);
    tracer = new SampleTrace(sim.sys, chosen, spec.traceLine);
    sim.keepExact(chosen);
    tracer.header(sc.params, `snc simulate ${sc.name}, seed ${spec.seed}: ${chosen.length} of ${sc.clients} clients sampled; traffic of the others is left out, so supernodes, auth and im are partially observed${spec.command ? ` (${spec.command})` : ''}`);
    // The initial supernode greetings happened before the header was written: write them now.
    for (const o of sim.initialObservations) tracer.observe(o);
  }
  const started = Date.now();
  sim.run(sc.duration, spec.onProgress);
  const seconds = (Date.now() - started) / 1000;
  const properties = all.map((p): PropertySummary => {
    if (unexercised(p, sc)) return { id: p.def.id, kind: p.def.kind, count: 0, status: 'not-checked', explanation: 'the scenario makes no lookups (users.lookupsPerHour 0): nothing to judge' };
    const i = props.indexOf(p);
    const tally = sim.tallies.get(p.def.id)!;
    const fin = p.finish?.(sim.st.monitors[i], sim.st, sim.sys, false);
    let count = tally.count;
    let first = tally.first;
    if (fin?.violations.length) {
      for (const v of fin.violations) count += weight(v);
      first ??= { ...fin.violations[0], type: 'violation', t: sim.st.time };
    }
    const base = { id: p.def.id, kind: p.def.kind, count, ...(fin?.pending.length ? { pending: fin.pending.length } : {}) };
    if (!first) return { ...base, status: p.def.kind === 'sometimes' ? 'unwitnessed' : 'holds' };
    return { ...base, status: first.type === 'witness' ? 'witnessed' : 'violated', firstAt: first.t, actors: first.actors, explanation: first.explanation };
  });
  const buggy = sim.pop.clientIds.reduce((n, id) => n + (sim.isBuggy(sim.sys.topo.index.get(id)!) ? 1 : 0), 0);
  const m = sim.metrics;
  return {
    scenario: sc.name, seed: spec.seed, clients: sc.clients, supernodes: sc.supernodes, megaSupernodes: sc.megaTotal,
    duration: sc.duration, events: sim.totalEvents, virtualEvents: sim.virtualEvents, quietSweeps: sim.quietSweeps, seconds,
    series: m.series,
    summary: summarise({ series: m.series, sc, crashedClients: m.crashedClients.size, clientCrashes: m.clientCrashes, buggyClients: buggy, crashedSupernodes: m.crashedSupernodes.size, evictions: m.evictions, firstEvictionAt: m.firstEvictionAt }),
    properties,
    ...(tracer ? { traceLines: tracer.lines } : {}),
  };
}
