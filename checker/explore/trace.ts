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
  const header: Header = {
    type: 'header', format: 'supernode-trace', version: 1, clock: 'step',
    actors: sys.topo.actors.filter((_, i) => !sys.standby.has(i)) as Header['actors'],
    ...(config.params ? { params: config.params } : {}),
    source,
  };
  const lines = [JSON.stringify(header)];
  const { state, applied } = initialState(sys, config);
  let verdictLine: number | undefined;
  const emit = (ap: Applied) => {
    const base = lines.length;
    for (const o of ap.observations) lines.push(JSON.stringify(o.ev));
    const v = property ? ap.verdicts.find((x) => x.property === property) : undefined;
    if (v) verdictLine = base + v.at + 1;
  };
  emit(applied);
  for (const a of path) emit(applyAction(sys, state, a));
  return { lines, verdictLine };
}
