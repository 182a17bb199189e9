// The property catalogue (PROTOCOL.md's table plus `sometimes` sanity checks),
// and the resolution of `--props`/`--within` options to monitor instances.
import { authBeforeService, capacity, hostCacheBound, noClientCrash, publicOnlySupernodes } from './safety.js';
import { loginAnswered, noticeDeadUpstream, reattachWithin } from './response.js';
import { directoryFresh } from './directory.js';
import { lookupFound, reattachHappens, someClientOnline, supernodeSheds } from './sometimes.js';
import type { Measure, PropertyDef, PropertyInstance, PropParams } from './types.js';

export type { PropertyDef, PropertyInstance, PropParams, Verdict, Pending, Measure } from './types.js';

/** Every property, in the order reports list them. */
export const CATALOGUE: readonly PropertyDef[] = [
  reattachWithin, noticeDeadUpstream, loginAnswered, authBeforeService, capacity,
  publicOnlySupernodes, directoryFresh, hostCacheBound, noClientCrash,
  someClientOnline, lookupFound, reattachHappens, supernodeSheds,
];

/**
 * N in ms of the bounded-response properties measured in clock time (`--measure time`,
 * and the simulator) when nothing else says: their `defaults.within` counts steps.
 */
export const TIME_WITHIN: Readonly<Record<string, number>> = {
  // Noticing a dead upstream takes up to missedKeepalives+1 keepalive intervals (4 min by default).
  'reattach-within': 5 * 60_000,
  'notice-dead-upstream': 5 * 60_000,
  'login-answered': 1_000,
  'directory-fresh': 5 * 60_000,
};
/** TIME_WITHIN of a response property not listed there. */
export const TIME_WITHIN_OTHER = 60_000;

/** The default set: everything except `overload-evicts`, which only presets with overload can witness. */
export const DEFAULT_PROPS: readonly string[] = CATALOGUE.map((p) => p.id).filter((id) => id !== 'overload-evicts');

export class UnknownPropertyError extends Error {
  constructor(readonly id: string) {
    super(`unknown property "${id}"; known: ${CATALOGUE.map((p) => p.id).join(', ')}`);
  }
}

/**
 * Monitors for `ids` (default: DEFAULT_PROPS), with per-property overrides of
 * N and the step measure. Throws UnknownPropertyError for an unknown id.
 */
export function instantiate(ids: readonly string[] = DEFAULT_PROPS, overrides: Record<string, Partial<PropParams> | undefined> = {}, defaultMeasure?: Measure): PropertyInstance[] {
  for (const id of Object.keys(overrides)) if (!CATALOGUE.some((p) => p.id === id)) throw new UnknownPropertyError(id);
  return ids.map((id) => {
    const def = CATALOGUE.find((p) => p.id === id);
    if (!def) throw new UnknownPropertyError(id);
    const measure = overrides[id]?.measure ?? defaultMeasure ?? def.defaults?.measure ?? 'global';
    // A step count is no time bound: in clock time N defaults to TIME_WITHIN (12 steps were read as 12 ms).
    const timeDefault = measure === 'time' && def.kind === 'response' ? TIME_WITHIN[id] ?? TIME_WITHIN_OTHER : undefined;
    const params: PropParams = { within: overrides[id]?.within ?? timeDefault ?? def.defaults?.within ?? 0, measure };
    return def.create(params);
  });
}
