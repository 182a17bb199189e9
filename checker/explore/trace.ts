// Turns an explored path into a `supernode-trace` (clock "step") by replaying
// its actions from the initial state: the header names the non-standby actors
// and the parameters, then one line per observation. `snc validate` accepts
// it and `snc check` replays it to the same verdict.
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { Event, Header } from '../../schemas/generated/trace.js';
import type { Mid } from '../system/state.js';
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
  // A message to an actor that is not in the system yet (a standby actor before its join, which
  // other actors' peers or host caches name) stays in flight in the model: delivered before the
  // join it is lost, after it it is handled. A trace cannot name that actor before its join, so
  // the send is written right after the join (the sender's model keeps an unrecorded send in its
  // outbox until then), or not at all if the message is gone by then, with its deliver or drop.
  // One case has no faithful trace: the sender's host crashed after the send and before the join
  // (its model then no longer holds the message). Such a send is written all the same, and the
  // header's source names its line, where \`snc check\` reports CHK004 or CHK001.
  const present = new Set(header.actors.map((a) => a.id));
  const deferred = new Map<Mid, Extract<Event, { type: 'send' }>>();
  const senderCrashed = new Set<Mid>();
  const unplaceable: number[] = [];
  const emit = (ap: Applied) => {
    const lineOf: number[] = [];
    for (const o of ap.observations) {
      const ev = o.ev;
      lineOf.push(lines.length + 1);
      if (ev.type === 'send' && !present.has(ev.to)) { deferred.set(ev.mid, ev); continue; }
      if ((ev.type === 'deliver' || ev.type === 'drop') && deferred.delete(ev.mid)) continue;
      if (ev.type === 'crash') for (const [mid, m] of deferred) if (o.touched.some((t) => sys.topo.ids[t.idx] === m.from)) senderCrashed.add(mid);
      if (ev.type === 'join') {
        present.add(ev.actor.id);
        const i = sys.topo.index.get(ev.actor.id);
        lines.push(JSON.stringify(i === undefined ? ev : { ...ev, actor: resolved(i, true) }));
        // The sends whose sender crashed go last: the sender's later sends of the same message match first.
        for (const late of [false, true]) {
          for (const [mid, m] of deferred) {
            if (m.to !== ev.actor.id || senderCrashed.has(mid) !== late) continue;
            lines.push(JSON.stringify({ ...m, t: ev.t }));
            if (late) unplaceable.push(lines.length);
            deferred.delete(mid);
          }
        }
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
  if (unplaceable.length) notes += `; ${lineList(unplaceable)}: sent to an actor before it joined, by one whose host then crashed: a trace can place the send only after the join, where snc check reports it (CHK004 or CHK001)`;
  if (notes) lines[0] = JSON.stringify({ ...header, source: `${source}${notes}` });
  return { lines, verdictLine };
}
