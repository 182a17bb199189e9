// Turns an explored path into a `supernode-trace` (clock "step") by replaying
// its actions from the initial state: the header names the non-standby actors
// and the parameters, then one line per observation. `snc validate` accepts
// it and `snc check` replays it to the same verdict.
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { Header } from '../../schemas/generated/trace.js';
import { applyAction, type Action } from './actions.js';
import { initialState } from './setup.js';
import type { Applied, System } from '../system/system.js';

export interface PathTrace {
  /** NDJSON lines, header first. */
  readonly lines: string[];
  /** 1-based line of the event at which the last action's verdict (if any) occurred. */
  readonly verdictLine?: number;
}

/** Replays `path` and writes it as trace lines; `property` marks the line of its first verdict on the last action. */
export function pathTrace(sys: System, config: SystemConfig, path: readonly Action[], source: string, property?: string): PathTrace {
  // The host caches and peers the explorer resolved are written out where the trace's defaults
  // (every supernode in the header) would differ: those count only the actors present at the
  // start, and a standby supernode is not yet (an actor that joins gets them written always).
  const initial = sys.topo.actors.filter((_, i) => !sys.standby.has(i));
  const supernodes = initial.filter((a) => a.role === 'supernode').map((a) => a.id);
  const same = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x, k) => x === ys[k]);
  const resolved = (i: number, always: boolean): Header['actors'][number] => {
    const a = sys.topo.actors[i];
    const cfg = sys.topo.cfgs[i];
    if (a.role === 'client' && a.hostCache === undefined && (always || !same(cfg.hostCache, supernodes))) return { ...a, hostCache: [...cfg.hostCache] };
    if (a.role === 'supernode' && a.peers === undefined && (always || !same(cfg.peers, supernodes.filter((s) => s !== a.id)))) return { ...a, peers: [...cfg.peers] };
    return a as Header['actors'][number];
  };
  const header: Header = {
    type: 'header', format: 'supernode-trace', version: 1, clock: 'step',
    actors: sys.topo.actors.flatMap((_, i) => (sys.standby.has(i) ? [] : [resolved(i, false)])),
    ...(config.params ? { params: config.params } : {}),
    source,
  };
  const lines = [JSON.stringify(header)];
  const { state, applied } = initialState(sys, config);
  let verdictLine: number | undefined;
  // Every send names actors already present: a message to a standby actor before its join is
  // lost at once by the system semantics (System.effects), so it is never sent, and a joining
  // actor's line carries its resolved host cache or peers.
  const emit = (ap: Applied) => {
    const lineOf: number[] = [];
    for (const o of ap.observations) {
      const ev = o.ev;
      lineOf.push(lines.length + 1);
      if (ev.type === 'join') {
        const i = sys.topo.index.get(ev.actor.id);
        lines.push(JSON.stringify(i === undefined ? ev : { ...ev, actor: resolved(i, true) }));
        continue;
      }
      lines.push(JSON.stringify(ev));
    }
    const v = property ? ap.verdicts.find((x) => x.property === property) : undefined;
    if (v) verdictLine = lineOf[v.at];
  };
  emit(applied);
  // A forgery (the adversary's Register with a credential auth never signed) is a send that no
  // model makes: `snc check` reports it as CHK001. The header's source says which lines they are.
  const forged: number[] = [];
  for (const a of path) {
    const first = lines.length + 1;
    emit(applyAction(sys, state, a));
    if (a.kind === 'forge') for (let n = first; n <= lines.length; n++) if (lines[n - 1].startsWith('{"type":"send"')) forged.push(n);
  }
  const lineList = (ns: readonly number[]) => `line${ns.length > 1 ? 's' : ''} ${ns.join(', ')}`;
  let notes = '';
  if (forged.length) notes += `; ${lineList(forged)}: forged by the explorer's adversary (budget forgeries), a send no model makes, which snc check reports as CHK001`;
  if (notes) lines[0] = JSON.stringify({ ...header, source: `${source}${notes}` });
  return { lines, verdictLine };
}
