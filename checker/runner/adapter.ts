// The adapter interface: how `snc run-tests` drives an implementation of the
// protocol. An adapter is an ES module whose default export is an `Adapter`.
// The runner starts a system described in the model's terms (actors, hosts,
// users, versions, parameters), applies the inputs and faults of a generated
// test case one by one, lets the implementation's own network and timers do
// the rest (deliveries and timeouts are not driven: a real system decides
// those itself), then stops it and checks the recording with the conformance
// checker (`snc check`, hidden timeouts allowed) and the test's properties.
//
// The implementation records its own run as a `supernode-trace` (clock "ms"):
// every send, deliver, drop, input, crash, restart; timeouts need not be
// logged. On `stop()` each actor reports its state as an `observe` event, which
// the checker compares with the model's state at the end of the trace.
import type { Input, SystemConfig } from '../../schemas/generated/testcases.js';

export type { Input, SystemConfig };

export interface StartOptions {
  /** The system to start, in the model's terms. `config.params` are the durations and
   *  limits to run with (already scaled for real time by the runner); the recording's
   *  header must carry them, so the checker's model uses the same ones. */
  readonly config: SystemConfig;
  /** Where to write the recording (NDJSON `supernode-trace`, clock "ms"). */
  readonly record: string;
  /** Bug switches to turn on, by name (see `Adapter.bugs`). Empty for a correct run. */
  readonly bugs: readonly string[];
  /** Seed for whatever the implementation randomises (latencies, orders). */
  readonly seed: number;
}

export interface Adapter {
  /** A short name for reports, e.g. "reference-overlay". */
  readonly name: string;
  /** The bug switches the implementation offers (for mutation testing), with what each does. */
  readonly bugs?: Readonly<Record<string, string>>;
  start(opts: StartOptions): Promise<RunningSystem>;
}

/** A running system. Optional methods are faults an implementation may not support;
 *  the runner skips a test that needs one and says so. */
export interface RunningSystem {
  /** A user or operator input to one actor (Login, Logout, Lookup, Promote, SetMode). */
  input(actor: string, input: Input): Promise<void>;
  /** Stop a host abruptly: its client and supernode (if any) lose all state and sockets. */
  crash(host: string): Promise<void>;
  /** Start a crashed host again. */
  restart(host: string): Promise<void>;
  /** Fault: lose the next message from `from` to `to` of kind `kind` (recorded as `drop`). */
  drop?(from: string, to: string, kind: string): Promise<void>;
  /** Fault: an adversary at `from`'s address sends supernode `to` a `Register` with a forged credential. */
  forge?(from: string, to: string): Promise<void>;
  /** Fault: split the supernode mesh in two halves / heal it. */
  partition?(): Promise<void>;
  heal?(): Promise<void>;
  /** Operator action: a standby actor of `config.standby` (a mega-supernode) starts now. Record it
   *  as a `join` event carrying the actor's entry of `config.actors`, before anything it sends. */
  join?(actor: string): Promise<void>;
  /** Resolves once nothing has been sent or delivered for `quietMs` (or after `maxMs`). */
  settle(quietMs: number, maxMs: number): Promise<void>;
  /** Ends the run: each live actor's state is recorded as an `observe`, sockets close,
   *  the recording is flushed and closed. */
  stop(): Promise<void>;
}
