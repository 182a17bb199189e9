// From a finished simulation to its summary: the baseline (normal online users
// and load per supernode), the peak load and its multiple of the baseline, the
// share of supernodes lost, the lowest online share and when, the time to 90 %
// recovery, crashes and evictions, and one verdict per property with the time
// of its first violation. Pure: data in, data out.
import type { SeriesRow } from './metrics.js';
import { round2 } from './metrics.js';
import type { SimScenario } from './scenario.js';

export interface PropertySummary {
  readonly id: string;
  readonly kind: string;
  /** not-checked: not monitored, as the scenario cannot exercise it (explanation: why). */
  readonly status: 'holds' | 'violated' | 'witnessed' | 'unwitnessed' | 'not-checked';
  /** How many violations (or witnesses) the monitor reported. */
  readonly count: number;
  /** Time (ms) of the first violation or witness. */
  readonly firstAt?: number;
  readonly actors?: readonly string[];
  readonly explanation?: string;
  /** Obligations still open at the end (bounded-response properties). */
  readonly pending?: number;
}

export interface SimSummary {
  readonly baseline: { readonly online: number; readonly meanLoad: number; readonly liveRegular: number; readonly from: number; readonly to: number };
  readonly peakMeanLoad: { readonly value: number; readonly multiple: number; readonly at: number };
  readonly peakMaxLoad: { readonly value: number; readonly multiple: number; readonly at: number };
  /** Largest share of the baseline's serving regular supernodes not serving at once, and when. */
  readonly supernodesLost: { readonly share: number; readonly at: number };
  /** Share of regular supernodes whose host crashed at least once. */
  readonly supernodesCrashed: number;
  /** Clients crashed by the bug (each counted once): share of all clients and of the buggy-version clients; `crashes`: every crash, repeats included. */
  readonly clientsCrashed: { readonly count: number; readonly share: number; readonly shareOfBuggy: number; readonly crashes: number; readonly buggy: number };
  readonly lowestOnline: { readonly share: number; readonly at: number };
  /** First time after the trough that online users were back at ≥ 90 % of the baseline. */
  readonly recovery90: { readonly at: number; readonly afterFirstAction: number; readonly afterTrough: number } | null;
  readonly evictions: number;
  readonly firstEvictionAt: number | null;
  readonly firstActionAt: number | null;
}

export interface SummaryInput {
  readonly series: readonly SeriesRow[];
  readonly sc: SimScenario;
  readonly crashedClients: number;
  readonly clientCrashes: number;
  readonly buggyClients: number;
  readonly crashedSupernodes: number;
  readonly evictions: number;
  readonly firstEvictionAt: number | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const share = (x: number) => Math.round(x * 10000) / 10000;

/** The summary of a run's series. */
export function summarise(inp: SummaryInput): SimSummary {
  const { series, sc } = inp;
  const { from, to } = sc.baseline;
  let base = series.filter((r) => r.t > from && r.t <= to);
  if (!base.length) base = series.slice(0, 1);
  const baseOnline = mean(base.map((r) => r.online)) || 1;
  const baseLoad = mean(base.map((r) => r.meanLoad)) || 1;
  const baseRegular = mean(base.map((r) => r.liveRegular)) || 1;
  // Peaks and troughs are looked for from the start of the baseline on: the first logins are a ramp, not an outage.
  const after = series.filter((r) => r.t > from);
  const scope = after.length ? after : series;
  const argmax = (f: (r: SeriesRow) => number) => scope.reduce((a, r) => (f(r) > f(a) ? r : a), scope[0]);
  const argmin = (f: (r: SeriesRow) => number) => scope.reduce((a, r) => (f(r) < f(a) ? r : a), scope[0]);
  const pMean = argmax((r) => r.meanLoad);
  const pMax = argmax((r) => r.maxLoad);
  const lost = argmax((r) => -r.liveRegular);
  const low = argmin((r) => r.online);
  const firstActionAt = sc.schedule.length ? sc.schedule[0].at : null;
  const back = low ? series.find((r) => r.t > low.t && r.online >= 0.9 * baseOnline) : undefined;
  return {
    baseline: { online: Math.round(baseOnline), meanLoad: round2(baseLoad), liveRegular: Math.round(baseRegular), from, to },
    peakMeanLoad: { value: pMean?.meanLoad ?? 0, multiple: round2((pMean?.meanLoad ?? 0) / baseLoad), at: pMean?.t ?? 0 },
    peakMaxLoad: { value: pMax?.maxLoad ?? 0, multiple: round2((pMax?.maxLoad ?? 0) / baseLoad), at: pMax?.t ?? 0 },
    supernodesLost: { share: share(Math.max(0, 1 - (lost?.liveRegular ?? baseRegular) / baseRegular)), at: lost?.t ?? 0 },
    supernodesCrashed: share(inp.crashedSupernodes / Math.max(1, sc.supernodes)),
    clientsCrashed: { count: inp.crashedClients, share: share(inp.crashedClients / sc.clients), shareOfBuggy: share(inp.crashedClients / Math.max(1, inp.buggyClients)), crashes: inp.clientCrashes, buggy: inp.buggyClients },
    lowestOnline: { share: share((low?.online ?? 0) / baseOnline), at: low?.t ?? 0 },
    recovery90: low && low.online < 0.9 * baseOnline
      ? back ? { at: back.t, afterFirstAction: back.t - (firstActionAt ?? 0), afterTrough: back.t - low.t } : null
      : null,
    evictions: inp.evictions,
    firstEvictionAt: inp.firstEvictionAt,
    firstActionAt,
  };
}
