// What the simulator measures: counters kept up to date event by event (online
// clients, serving supernodes, crashes, evictions, per-supernode message load
// per loadWindow) and, at every sample time, one row of the time series. The
// attached-clients column is the only scan (over supernodes, not clients), and
// it runs once per sample.
import type { SupernodeContext } from '../../models/index.js';
import type { SysState } from '../system/state.js';
import { CLIENT, SUPERNODE, type Topology } from '../system/topology.js';

/** One row of the time series. Loads are messages per supernode per loadWindow. */
export interface SeriesRow {
  readonly t: number;
  readonly online: number;
  /** Supernodes serving (regular and mega). */
  readonly liveSupernodes: number;
  /** Regular (non-mega) supernodes serving. */
  readonly liveRegular: number;
  /** Clients registered in the directory of a serving supernode. */
  readonly attached: number;
  readonly meanLoad: number;
  readonly maxLoad: number;
  /** LoginRequests reaching auth per second. */
  readonly loginsPerSec: number;
  /** Hosts down at this time. */
  readonly downHosts: number;
}

export const SERIES_COLUMNS = ['t_ms', 'online_clients', 'live_supernodes', 'live_regular_supernodes', 'attached_clients', 'mean_load', 'max_load', 'logins_per_s', 'down_hosts'] as const;

export class Metrics {
  online = 0;
  serving = 0;
  servingRegular = 0;
  evictions = 0;
  firstEvictionAt: number | null = null;
  /** Clients that crashed on a delivered message (the 5.0.0.152 bug), counted once each. */
  readonly crashedClients = new Set<number>();
  /** Every such crash: a crashed client restarts, logs in again and may crash again (no-client-crash counts each one). */
  clientCrashes = 0;
  /** Regular supernodes whose host crashed at least once. */
  readonly crashedSupernodes = new Set<number>();
  readonly series: SeriesRow[] = [];

  private readonly winId: Float64Array;
  private readonly winCount: Int32Array;
  private periodMax = 0;
  private periodMessages = 0;
  private periodLogins = 0;
  private lastSample = 0;
  private readonly snIdx: number[];

  /** `loadWindow`: the window of the per-supernode load count (ms); a message at `t` counts in window floor(t / loadWindow). */
  constructor(private readonly topo: Topology, readonly loadWindow: number, readonly megaIdx: ReadonlySet<number>) {
    this.winId = new Float64Array(topo.ids.length).fill(-1);
    this.winCount = new Int32Array(topo.ids.length);
    this.snIdx = topo.roles.flatMap((r, i) => (r === 'supernode' ? [i] : []));
  }

  /** A message reached live supernode `idx` at `t`. */
  supernodeMessage(idx: number, t: number): void {
    this.supernodeMessages(idx, Math.floor(t / this.loadWindow), 1);
  }

  /** `n` messages reached live supernode `idx` in window `w` (times in [w, w + 1) × loadWindow): n supernodeMessage calls at once. */
  supernodeMessages(idx: number, w: number, n: number): void {
    this.periodMessages += n;
    if (this.winId[idx] !== w) { this.winId[idx] = w; this.winCount[idx] = 0; }
    const c = (this.winCount[idx] += n);
    if (c > this.periodMax) this.periodMax = c;
  }

  loginRequest(): void {
    this.periodLogins++;
  }

  /** Accounts for a local state change of actor `idx`. */
  transition(idx: number, before: string | undefined, after: string | undefined, t: number): void {
    if (before === after) return;
    const role = this.topo.roleCode[idx];
    if (role === CLIENT) {
      if (before === 'online') this.online--;
      if (after === 'online') this.online++;
    } else if (role === SUPERNODE) {
      const regular = !this.megaIdx.has(idx);
      if (before === 'serving') { this.serving--; if (regular) this.servingRegular--; }
      if (after === 'serving') { this.serving++; if (regular) this.servingRegular++; }
      if (after === 'overloaded') { this.evictions++; this.firstEvictionAt ??= t; }
      if (after === 'crashed' && regular) this.crashedSupernodes.add(idx);
    }
  }

  /** Closes the interval ending at `t` and appends a row. */
  sample(st: SysState, t: number): SeriesRow {
    let attached = 0;
    let up = 0;
    for (const i of this.snIdx) {
      const l = st.locals[i];
      if (!l || l.value === 'crashed') continue;
      up++;
      if (l.value !== 'serving') continue;
      // The directory holds the user of each registered attachment, one entry each (models/supernode.ts keeps it with
      // the list): its length is the count, without reading every attachment (a cache miss each at 100k clients).
      attached += (l.ctx as SupernodeContext).directory.length;
    }
    const span = Math.max(1, t - this.lastSample);
    const row: SeriesRow = {
      t,
      online: this.online,
      liveSupernodes: this.serving,
      liveRegular: this.servingRegular,
      attached,
      meanLoad: round2(up ? (this.periodMessages / up) * (this.loadWindow / span) : 0),
      maxLoad: this.periodMax,
      loginsPerSec: round2(this.periodLogins / (span / 1000)),
      downHosts: st.down.size,
    };
    this.series.push(row);
    this.periodMax = 0; this.periodMessages = 0; this.periodLogins = 0; this.lastSample = t;
    return row;
  }
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** The series as CSV (header line first). */
export function seriesCsv(rows: readonly SeriesRow[]): string {
  const lines = [SERIES_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.t, r.online, r.liveSupernodes, r.liveRegular, r.attached, r.meanLoad, r.maxLoad, r.loginsPerSec, r.downHosts].join(','));
  return lines.join('\n') + '\n';
}
