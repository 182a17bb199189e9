// The reference overlay behind the runner's adapter interface
// (checker/runner/adapter.ts): `snc run-tests` starts it, drives inputs and
// faults, lets its real network and timers run, stops it and checks the
// recording. The running system also offers, beyond the interface, `delay`,
// `waitFor` and the `overlay` itself (for tests and the CLI).
import type { Adapter, RunningSystem, StartOptions } from '../checker/runner/adapter.js';
import type { Input } from '../schemas/generated/trace.js';
import { BUGS } from './roles.js';
import { Overlay } from './overlay.js';

/** What `start` returns: the interface, plus the reference overlay's extras. */
export interface ReferenceSystem extends Required<RunningSystem> {
  readonly overlay: Overlay;
  /** Fault: delay messages from `from` to `to` (of `kind`, if given) by `ms`; 0 removes it. */
  delay(from: string, to: string, ms: number, kind?: string): Promise<void>;
  /** Resolves true once `cond(overlay)` holds, false after `maxMs`. */
  waitFor(cond: (o: Overlay) => boolean, maxMs: number): Promise<boolean>;
}

/** Starts the reference overlay on `opts.config`, recording to `opts.record`. */
export async function startReference(opts: StartOptions): Promise<ReferenceSystem> {
  const overlay = await Overlay.start({ config: opts.config, record: opts.record, bugs: opts.bugs, seed: opts.seed });
  return {
    overlay,
    async input(actor, input) { overlay.input(actor, input as Input); },
    async crash(host) { overlay.crash(host); },
    async restart(host) { await overlay.restart(host); },
    async drop(from, to, kind) { overlay.drop(from, to, kind); },
    async forge(from, to) { overlay.forge(from, to); },
    async partition() { overlay.partition(); },
    async heal() { overlay.heal(); },
    join: (actor) => overlay.join(actor),
    async delay(from, to, ms, kind) { overlay.delay(from, to, ms, kind); },
    settle: (quietMs, maxMs) => overlay.settle(quietMs, maxMs),
    waitFor: (cond, maxMs) => overlay.waitFor(() => cond(overlay), maxMs),
    stop: () => overlay.stop(),
  };
}

const reference: Adapter = {
  name: 'reference-overlay',
  bugs: BUGS,
  start: startReference,
};

export default reference;
