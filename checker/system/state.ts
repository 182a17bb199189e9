// The dynamic state of a whole system: every actor's local state, the
// messages in flight (a Map, or a stand-in with its interface: the
// explorer's PackedNet, the checker's MidMap), what is left
// of the environment's budget, the property monitors' state, and the clocks.
// Mutable with an explicit `clone()`: the explorer clones before each
// successor, the trace checker mutates one state in place (and clones only
// when hidden steps branch).
// The budget and the set of down hosts are replaced, never mutated, so clones share them
// (the simulator, which never clones, has its System update the down set in place).
import type { Local } from '../../models/index.js';
import type { Message } from '../../schemas/generated/trace.js';
import { PackedNet } from './packed-net.js';

export type Mid = string | number;

/** A message on the network. `from`/`to` are actor indices. */
export interface InFlight {
  readonly mid: Mid;
  readonly from: number;
  readonly to: number;
  readonly msg: Message;
  /** Canonical JSON of the message, for fingerprints (computed once). */
  key?: string;
  /** Its two-lane contribution to a state fingerprint (checker/explore/fingerprint.ts; computed once). */
  fpa?: number;
  fpb?: number;
  /** The explorer's interned id of (from, to, canonical message) (checker/explore/successors.ts; set once). */
  tid?: number;
}

/** What is left of each kind of environment action (see schemas/config.schema.json Budget). */
export interface BudgetLeft {
  logins: number; logouts: number; lookups: number; promotes: number;
  crashes: number; drops: number; partitions: number; authFaults: number;
  imFaults: number; joins: number; forgeries: number;
}

/** A property monitor's mutable state. */
export interface MonitorState {
  clone(): MonitorState;
  /** Canonical, step-independent description for state fingerprints; actors named by id (JSON-quoted). */
  key(step: number, time: number, ids: readonly string[]): string;
  /**
   * True when this state behaves, from now on, exactly as the monitor's
   * initial state (`init()`) would: the explorer then shares one initial state
   * between its queued states instead of keeping a copy per state (absent: never).
   */
  fresh?(): boolean;
}

/** A budget with one unit of `kind` spent (a new object: budgets are shared between clones). */
export function spend(b: BudgetLeft, kind: keyof BudgetLeft): BudgetLeft {
  const c = {
    logins: b.logins, logouts: b.logouts, lookups: b.lookups, promotes: b.promotes,
    crashes: b.crashes, drops: b.drops, partitions: b.partitions, authFaults: b.authFaults,
    imFaults: b.imFaults, joins: b.joins, forgeries: b.forgeries,
  };
  c[kind] -= 1;
  return c;
}

export class SysState {
  constructor(
    /** Local state per actor index; null while an actor has not joined (or has left). */
    public locals: (Local | null)[],
    public net: Map<Mid, InFlight>,
    public nextMid: number,
    /** Replaced, never mutated in place (clones share it): see `spend`. */
    public budget: BudgetLeft,
    public monitors: MonitorState[],
    /** Crashed hosts not yet restarted. Replaced, never mutated (clones share it), unless the System runs `inPlace` (no clones). */
    public down: ReadonlySet<string>,
    public partitioned: boolean,
    /** Events applied so far. */
    public step: number,
    /** Clock: ms for ms traces and the simulator; model time stays 0 in the explorer. */
    public time: number,
  ) {}

  clone(): SysState {
    // Written out for speed (the explorer clones once per transition). The
    // explorer's network is a PackedNet (one array slice); a Map filled by
    // forEach is about twice as fast as `new Map(map)`.
    const own = this.net as unknown as PackedNet | Map<Mid, InFlight>;
    let net: Map<Mid, InFlight>;
    if (own instanceof PackedNet) net = own.clone() as unknown as Map<Mid, InFlight>;
    else { net = new Map<Mid, InFlight>(); own.forEach(copyEntry, net); }
    const ms = this.monitors;
    const monitors: MonitorState[] = new Array(ms.length);
    for (let i = 0; i < ms.length; i++) monitors[i] = ms[i].clone();
    return new SysState(this.locals.slice(), net, this.nextMid, this.budget, monitors, this.down, this.partitioned, this.step, this.time);
  }
}

function copyEntry(this: Map<Mid, InFlight>, v: InFlight, k: Mid): void { this.set(k, v); }
