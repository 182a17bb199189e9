// The explorer as a library call: a system config and options in, a report
// (schemas/report.schema.json ExplorationReport) and the counterexample and
// witness traces out. Prints nothing; `snc explore` renders and writes files.
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { ExplorationReport, PropertyResult } from '../../schemas/generated/report.js';
import { instantiate, type Measure, type PropParams } from '../props/index.js';
import { systemFor, initialState } from './setup.js';
import { bfs, type Finding, type Progress } from './bfs.js';
import { randomSearch } from './random.js';
import { pathTrace } from './trace.js';
import { DEFAULT_HORIZON } from './actions.js';

export interface ExploreSpec {
  readonly config: SystemConfig;
  /** Preset name or config file, for the report. */
  readonly model: string;
  readonly props?: readonly string[];
  readonly overrides?: Record<string, Partial<PropParams>>;
  readonly measure?: Measure;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly symmetry?: boolean;
  readonly timers?: 'after-network' | 'free';
  readonly horizon?: number;
  readonly network?: 'unordered' | 'fifo';
  readonly random?: { readonly runs: number; readonly depth: number; readonly seed: number };
  readonly onProgress?: (p: Progress) => void;
  /** Command line that reproduces this run (for the report's replay hint). */
  readonly command?: string;
}

export interface FindingTrace {
  readonly property: string;
  readonly kind: 'violation' | 'witness';
  readonly lines: readonly string[];
  readonly verdictLine?: number;
}

export interface ExploreOutcome {
  readonly report: ExplorationReport;
  readonly traces: readonly FindingTrace[];
}

export const EXPLORE_DEFAULTS = { maxDepth: 1000, maxStates: 2_000_000 } as const;

/** Runs an exhaustive or random exploration. Throws UnknownPropertyError for an unknown property id. */
export function explore(spec: ExploreSpec): ExploreOutcome {
  const props = instantiate(spec.props, spec.overrides, spec.measure);
  const sys = systemFor(spec.config, props, spec.network);
  const actionOpts = { timers: spec.timers ?? 'after-network', horizon: spec.horizon ?? DEFAULT_HORIZON } as const;
  let findings: ReadonlyMap<string, Finding>;
  let report: ExplorationReport;
  /** The bound alone, for the per-property explanations (the hint is said once, in `report.bound`). */
  let shortBound: string | undefined;
  if (spec.random) {
    const r = randomSearch(sys, () => initialState(sys, spec.config), { ...actionOpts, ...spec.random });
    findings = r.findings;
    report = {
      mode: 'random', model: spec.model, states: r.steps, transitions: r.steps, depth: spec.random.depth,
      seconds: round(r.seconds), statesPerSecond: Math.round(r.steps / Math.max(r.seconds, 1e-9)), complete: false,
      bound: `random search, ${r.runs} ${r.runs === 1 ? 'walk' : 'walks'} of at most ${spec.random.depth} steps`,
      seed: spec.random.seed, runs: r.runs, properties: [],
      ...(spec.command ? { replay: spec.command } : {}),
    };
  } else {
    const { state, applied } = initialState(sys, spec.config);
    const r = bfs(sys, state, applied, {
      ...actionOpts,
      maxDepth: spec.maxDepth ?? EXPLORE_DEFAULTS.maxDepth,
      maxStates: spec.maxStates ?? EXPLORE_DEFAULTS.maxStates,
      symmetry: spec.symmetry ?? false,
      onProgress: spec.onProgress,
    });
    findings = r.findings;
    report = {
      mode: 'exhaustive', model: spec.model, symmetry: spec.symmetry ?? false, states: r.states, transitions: r.transitions,
      depth: r.depth, seconds: round(r.seconds), statesPerSecond: Math.round(r.states / Math.max(r.seconds, 1e-9)),
      complete: r.complete, properties: [],
      ...(r.bound === 'depth' ? { bound: `depth bound ${spec.maxDepth ?? EXPLORE_DEFAULTS.maxDepth} reached (raise with --max-depth${counters(spec.config)})` } : {}),
      ...(r.bound === 'states' ? { bound: `state bound ${spec.maxStates ?? EXPLORE_DEFAULTS.maxStates} reached (raise with --max-states${counters(spec.config)})` } : {}),
    };
    if (r.bound) shortBound = r.bound === 'depth' ? `depth bound ${spec.maxDepth ?? EXPLORE_DEFAULTS.maxDepth} reached` : `state bound ${spec.maxStates ?? EXPLORE_DEFAULTS.maxStates} reached`;
  }
  const traces: FindingTrace[] = [];
  report.properties = props.map((p): PropertyResult => {
    const f = findings.get(p.def.id);
    const base = { id: p.def.id, kind: p.def.kind };
    if (!f) {
      if (p.def.kind === 'sometimes') return { ...base, status: 'unwitnessed', explanation: 'no path reached it within the explored states' };
      return { ...base, status: 'holds', ...(report.complete ? {} : { explanation: `no violation found; ${shortBound ?? report.bound}` }) };
    }
    const t = pathTrace(sys, spec.config, f.path, `snc explore ${spec.model}: ${f.verdict.type} of ${p.def.id}`, p.def.id);
    traces.push({ property: p.def.id, kind: f.verdict.type, lines: t.lines, verdictLine: t.verdictLine });
    return {
      ...base,
      status: f.verdict.type === 'witness' ? 'witnessed' : 'violated',
      length: f.path.length,
      actors: [...f.verdict.actors],
      explanation: f.verdict.explanation + (f.atDeadlock ? ' — at a deadlock: nothing else can happen' : ''),
      ...(t.verdictLine ? { line: t.verdictLine } : {}),
    };
  });
  return { report, traces };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A config that leaves a load counter on (overloadThreshold, authQueue: their defaults are
 * 2000 and 1000 messages) gives every message count its own state, which no bound reaches the
 * end of: the presets set both to 0 (models/presets.ts EXPLORE_PARAMS). Said in the bound's hint.
 */
function counters(config: SystemConfig): string {
  const p = (config.params ?? {}) as Partial<Record<'overloadThreshold' | 'authQueue', number>>;
  const on = (['overloadThreshold', 'authQueue'] as const).filter((k) => p[k] !== 0);
  return on.length ? `; or set ${on.map((k) => `${k} to 0`).join(' and ')} in params: a load counter that is on makes every message count a state of its own, as the presets avoid` : '';
}
