// Scenarios for `snc simulate`: loading a JSON file (or a bundled scenario by
// name), validating it against schemas/scenario.schema.json plus the checks a
// schema cannot express, and resolving it into a `SimScenario`: every
// duration in ms, defaults applied, counts scaled to --clients/--supernodes.
// Problems come back as data (ScenarioError) with a code, the place
// (file:line:column and JSON pointer) and a hint; the CLI prints them.
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lazySchema } from '../lazy-schema.js';
import scenarioSchema from '../../schemas/scenario.schema.json' with { type: 'json' };
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import type { Scenario, Duration } from '../../schemas/generated/scenario.js';
import { resolveParams, type Params, type ResolvedParams } from '../../models/params.js';
import { CATALOGUE } from '../props/index.js';
import type { Latency } from './rng.js';
import { locate } from './locate.js';
import { PROJECT_ROOT } from '../root.js';

export type { Scenario };

/** Folder of the bundled scenarios. */
export const SCENARIO_DIR = join(PROJECT_ROOT, 'scenarios');

export interface ScenarioProblem {
  readonly code: 'SCN001' | 'SCN002' | 'SCN003';
  readonly message: string;
  /** `file:line:column` (or the file alone). */
  readonly place: string;
  /** JSON pointer of the offending value. */
  readonly pointer: string;
  readonly hint: string;
}

export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map((p) => `${p.place}: ${p.code} ${p.message}`).join('\n'));
  }
}

export type SimAction =
  | { readonly at: number; readonly action: 'crash'; readonly target: 'supernode-hosts' | 'client-hosts'; readonly count: number; readonly restart: boolean }
  | { readonly at: number; readonly action: 'mass-restart'; readonly window: number; readonly share: number }
  | { readonly at: number; readonly action: 'set-mode'; readonly server: 'im' | 'auth'; readonly mode: 'up' | 'slow' | 'overloaded' | 'down' }
  | { readonly at: number; readonly action: 'add-mega'; readonly count: number };

/** A scenario with everything resolved: times in ms, defaults applied, counts at the run's scale. */
export interface SimScenario {
  readonly name: string;
  readonly description: string;
  readonly clients: number;
  readonly supernodes: number;
  readonly publicShare: number;
  readonly versions: readonly { readonly version: string; readonly share: number }[];
  readonly bootstrap: number;
  readonly meshDegree: number;
  readonly megaCapacity: number;
  /** Mega-supernode ids at the end of each client's bootstrap host cache. */
  readonly megaBootstrap: number;
  readonly users: { readonly loginSpread: number; readonly sessionMean: number | null; readonly offlineMean: number; readonly retryMean: number; readonly lookupsPerHour: number };
  readonly latency: Latency;
  readonly loss: number;
  /** The scenario's parameter overrides (as a trace header carries them) and the resolved set. */
  readonly params: Params;
  readonly resolved: ResolvedParams;
  readonly sources: Readonly<Record<string, string>>;
  readonly schedule: readonly SimAction[];
  readonly megaTotal: number;
  readonly duration: number;
  readonly sample: number;
  readonly baseline: { readonly from: number; readonly to: number };
  /** N in ms per bounded-response property. */
  readonly props: Readonly<Record<string, number>>;
}

/** Overrides from the command line. */
export interface ScaleOptions {
  readonly clients?: number;
  readonly supernodes?: number;
  readonly hours?: number;
  /** Parameter overrides on top of the scenario's (counterfactuals). */
  readonly params?: Params;
  /** Moves every add-mega action by this many ms (negative: earlier). */
  readonly megaShift?: number;
}

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A scenario duration in ms: `90000`, `"90s"`, `"1.5m"`. */
export function ms(d: Duration): number {
  if (typeof d === 'number') return d;
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/.exec(d)!;
  return Math.round(Number(m[1]) * UNIT[m[2]]);
}

/** The names of the bundled scenarios. */
export function bundledScenarios(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

const schemaValidator = lazySchema(scenarioSchema, [traceSchema], false);

/** Reads a scenario by bundled name or path, validates it, and returns it with its file and text. */
export async function loadScenario(nameOrPath: string): Promise<{ scenario: Scenario; file: string }> {
  const bundled = join(SCENARIO_DIR, `${nameOrPath}.json`);
  const file = /^[A-Za-z0-9-]+$/.test(nameOrPath) && existsSync(bundled) ? bundled : nameOrPath;
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (e) {
    const known = bundledScenarios();
    throw new ScenarioError([{ code: 'SCN001', message: `cannot read scenario ${JSON.stringify(nameOrPath)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, place: nameOrPath, pointer: '', hint: `name a bundled scenario (${known.join(', ')}) or a readable JSON file` }]);
  }
  return { scenario: parseScenario(text.replace(/^\uFEFF/, ''), file), file };
}

/** Parses and validates scenario text; throws ScenarioError with the place of the problem. */
export function parseScenario(text: string, file: string): Scenario {
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 1;
    throw new ScenarioError([{ code: 'SCN001', message: `not valid JSON: ${(e as Error).message}`, place: `${file}:${line}`, pointer: '', hint: 'a scenario is one JSON object; see schemas/scenario.schema.json' }]);
  }
  const validate = schemaValidator();
  if (!validate(value)) {
    const e = deepest(validate.errors!);
    const where = locate(text, e.instancePath);
    const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})` : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    throw new ScenarioError([{ code: 'SCN002', message: `${e.instancePath || '/'} ${e.message}${extra}`, place: `${file}:${where.line}:${where.column}`, pointer: e.instancePath, hint: 'see schemas/scenario.schema.json; durations are ms or text like "90s", "10m", "2h"' }]);
  }
  const scenario = value as Scenario;
  const problems = semanticProblems(scenario).map((p) => {
    const where = locate(text, p.pointer);
    return { ...p, place: `${file}:${where.line}:${where.column}` };
  });
  if (problems.length) throw new ScenarioError(problems);
  return scenario;
}

// The error at the deepest path says most (oneOf failures report every branch).
function deepest<E extends { instancePath: string }>(errors: E[]): E {
  return errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
}

function semanticProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const bad = (pointer: string, message: string, hint: string) => out.push({ code: 'SCN003', message, place: '', pointer, hint });
  const p = s.population;
  if (p.supernodes > p.clients) bad('/population/supernodes', `${p.supernodes} supernodes but only ${p.clients} client hosts to run them on`, 'each supernode runs on a public client host: supernodes ≤ clients');
  if (p.versions && p.versions.reduce((a, v) => a + v.share, 0) <= 0) bad('/population/versions', 'version shares add up to 0', 'give each version a share > 0');
  const duration = ms(s.duration);
  if (duration <= 0) bad('/duration', 'duration is 0', 'simulate at least a minute, e.g. "2h"');
  if (s.sample !== undefined && ms(s.sample) <= 0) bad('/sample', 'sample interval is 0', 'e.g. "1m"');
  if (s.baseline && ms(s.baseline.from) >= ms(s.baseline.to)) bad('/baseline', `baseline window is empty (from ${ms(s.baseline.from)} ms to ${ms(s.baseline.to)} ms)`, 'from must be before to');
  for (const id of Object.keys(s.props ?? {})) {
    const def = CATALOGUE.find((d) => d.id === id);
    if (!def || def.kind !== 'response') bad(`/props/${id}`, `${JSON.stringify(id)} is not a bounded-response property`, `bounded-response properties: ${CATALOGUE.filter((d) => d.kind === 'response').map((d) => d.id).join(', ')}`);
  }
  (s.schedule ?? []).forEach((a, i) => {
    if (ms(a.at) > duration) bad(`/schedule/${i}/at`, `action at ${ms(a.at)} ms is after the end of the run (${duration} ms)`, 'raise duration or move the action');
    if (a.action === 'crash' && (a.count === undefined) === (a.share === undefined)) bad(`/schedule/${i}`, 'a crash needs exactly one of count and share', 'e.g. "count": 1 or "share": 0.25');
    if (a.action === 'crash' && a.count !== undefined) {
      const pool = a.target === 'supernode-hosts' ? p.supernodes : p.clients;
      if (a.count > pool) bad(`/schedule/${i}/count`, `crashes ${a.count} ${a.target === 'supernode-hosts' ? 'supernode hosts' : 'client hosts'}, but the population has ${pool}`, `at most ${pool}, or "share" for a fraction that scales with --clients`);
    }
  });
  const lat = s.network?.latency;
  if (lat?.distribution === 'uniform' && lat.min > lat.max) bad('/network/latency', `uniform latency min ${lat.min} > max ${lat.max}`, 'swap them');
  return out;
}

/**
 * The baseline window of a run: the scenario's, cut at the run's end when --hours shortens it;
 * when it starts after the end (or the scenario names none), the half of the run before its
 * first scheduled action (or before its end).
 */
function baselineWindow(w: { from: number; to: number } | undefined, firstAt: number, duration: number): { from: number; to: number } {
  if (w && w.from < duration) return { from: w.from, to: Math.min(w.to, duration) };
  return { from: Math.floor(firstAt / 2), to: firstAt };
}

/** Resolves `s` at the scale asked for (--clients, --supernodes, --hours). */
export function resolveScenario(s: Scenario, scale: ScaleOptions = {}): SimScenario {
  const p = s.population;
  const clients = scale.clients ?? p.clients;
  const supernodes = Math.min(clients, scale.supernodes ?? (scale.clients !== undefined ? Math.max(1, Math.round((p.supernodes * clients) / p.clients)) : p.supernodes));
  const snScale = supernodes / p.supernodes;
  const params: Params = { ...(s.params ?? {}), ...(scale.params ?? {}) };
  const resolved = resolveParams(params);
  const duration = scale.hours !== undefined ? Math.round(scale.hours * 3_600_000) : ms(s.duration);
  const schedule: SimAction[] = (s.schedule ?? []).map((a): SimAction => {
    const at = ms(a.at);
    switch (a.action) {
      case 'crash': {
        const pool = a.target === 'supernode-hosts' ? supernodes : clients;
        const count = a.share !== undefined ? Math.round(a.share * pool) : Math.max(1, Math.round(a.count! * (a.target === 'supernode-hosts' ? snScale : clients / p.clients)));
        return { at, action: 'crash', target: a.target, count: Math.min(pool, count), restart: a.restart ?? true };
      }
      case 'mass-restart': return { at, action: 'mass-restart', window: ms(a.window), share: a.share };
      case 'set-mode': return { at, action: 'set-mode', server: a.server, mode: a.mode };
      case 'add-mega': return { at: Math.max(0, at + (scale.megaShift ?? 0)), action: 'add-mega', count: Math.max(1, Math.round(a.count * snScale)) };
    }
  }).map((a, i) => [a, i] as const).sort((x, y) => x[0].at - y[0].at || x[1] - y[1]).map(([a]) => a);
  const firstAt = schedule.length ? Math.min(schedule[0].at, duration) : duration;
  const u = s.users ?? {};
  const versions = p.versions ?? [{ version: '5.0.0.156', share: 1 }];
  const total = versions.reduce((a, v) => a + v.share, 0);
  return {
    name: s.name,
    description: s.description ?? '',
    clients, supernodes,
    publicShare: Math.max(p.publicShare ?? 0.3, supernodes / clients),
    versions: versions.map((v) => ({ version: v.version, share: v.share / total })),
    bootstrap: p.bootstrap ?? 7,
    meshDegree: p.meshDegree ?? 8,
    megaCapacity: p.megaCapacity ?? 10 * resolved.capacity,
    megaBootstrap: p.megaBootstrap ?? 2,
    users: {
      loginSpread: ms(u.loginSpread ?? '10m'),
      sessionMean: u.sessionMean !== undefined ? ms(u.sessionMean) : null,
      offlineMean: ms(u.offlineMean ?? '1h'),
      retryMean: ms(u.retryMean ?? '5m'),
      lookupsPerHour: u.lookupsPerHour ?? 0,
    },
    latency: (s.network?.latency as Latency | undefined) ?? { distribution: 'lognormal', median: 40, sigma: 0.5 },
    loss: s.network?.loss ?? 0,
    params,
    resolved,
    sources: Object.fromEntries(Object.entries(s.sources ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')),
    schedule,
    megaTotal: schedule.reduce((a, x) => a + (x.action === 'add-mega' ? x.count : 0), 0),
    duration,
    sample: ms(s.sample ?? '1m'),
    baseline: baselineWindow(s.baseline ? { from: ms(s.baseline.from), to: ms(s.baseline.to) } : undefined, firstAt, duration),
    props: Object.fromEntries(Object.entries(s.props ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, ms(v)]]))),
  };
}
