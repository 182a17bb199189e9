// What a property is: an id, a kind, a statement, parameters, and a monitor
// over Observations (trace-format events with the touched actors' states).
// The same monitor runs on explored paths, recorded traces and simulations.
import type { Observation, System } from '../system/system.js';
import type { MonitorState, SysState } from '../system/state.js';

export type PropKind = 'always' | 'response' | 'sometimes';
export type Measure = 'global' | 'actor' | 'time';

export interface PropParams {
  /** N of a bounded-response property. */
  readonly within: number;
  readonly measure: Measure;
}

/** A monitor's finding at one observation. */
export interface Verdict {
  readonly type: 'violation' | 'witness';
  readonly property: string;
  readonly actors: readonly string[];
  readonly explanation: string;
  /**
   * How many violations this verdict stands for (absent: one). A bounded-response monitor judges every
   * obligation due at an observation and returns the first violation with the number of them all (`simulate`
   * counts each; the checker and the explorer keep the first).
   */
  readonly count?: number;
}

/** How many violations or witnesses verdict `v` stands for (Verdict.count). */
export const weight = (v: Verdict): number => v.count ?? 1;

/** An open obligation at the end of a run (a response whose deadline has not passed). */
export interface Pending {
  readonly property: string;
  readonly actors: readonly string[];
  readonly explanation: string;
}

/** A property of the catalogue (checker/props/index.ts). */
export interface PropertyDef {
  readonly id: string;
  readonly kind: PropKind;
  readonly statement: string;
  /** Defaults for `within` and `measure` (bounded properties). */
  readonly defaults?: Partial<PropParams>;
  /** What the parameter means for this property, for docs and --help. */
  readonly paramNote?: string;
  /**
   * The user input without which the property has nothing to judge or witness: directory-fresh and lookup-found
   * judge the answers to lookups, and only a user's Lookup starts one (models: a LookupResult answers a Lookup,
   * directly or after a mesh Query it started). A simulation whose users make none reports the property
   * not-checked instead of running its monitor (checker/sim/run.ts).
   */
  readonly needsInput?: 'Lookup';
  create(params: PropParams): PropertyInstance;
}

/** A property with its parameters fixed, ready to monitor. */
export interface PropertyInstance {
  readonly def: PropertyDef;
  readonly params: PropParams;
  init(): MonitorState;
  /** Looks at one observation (state already updated); returns a verdict when the property breaks or is witnessed. */
  observe(m: MonitorState, o: Observation, st: SysState, sys: System): Verdict | null;
  /**
   * Obligations still open at the end of a run; a deadline already passed is reported as a violation.
   * `terminal`: nothing can happen any more (explorer deadlock), so every open obligation is due now.
   */
  finish?(m: MonitorState, st: SysState, sys: System, terminal: boolean): { violations: Verdict[]; pending: Pending[] };
  /**
   * Which observations `observe` can act on, so the system skips the others
   * (a speed hint; absent: all). `touched`: only those that touched an actor;
   * `send`: only sends. Only a stateless monitor may say so.
   */
  readonly reads?: 'touched' | 'send';
  /**
   * With `reads: 'touched'`: the roles of the touched actors `observe` can act on, so the
   * system skips an observation that touched one actor of another role (a speed hint, as
   * `reads`: issue #5, most monitors care about clients or supernodes, and a quarter of the
   * login-flood bench's events touch only auth). Absent: any role.
   */
  readonly roles?: readonly string[];
}

/** A monitor with no state (safety properties checked event by event). */
export class Stateless implements MonitorState {
  static readonly instance = new Stateless();
  clone(): MonitorState { return this; }
  key(): string { return ''; }
  fresh(): boolean { return true; }
}

/** Helper for properties without monitor state. */
export function stateless(def: Omit<PropertyDef, 'create'>, check: (o: Observation, st: SysState, sys: System, params: PropParams) => Verdict | null, reads?: PropertyInstance['reads'], roles?: readonly string[]): PropertyDef {
  const full: PropertyDef = {
    ...def,
    create(params) {
      return { def: full, params, init: () => Stateless.instance, observe: (_m, o, st, sys) => check(o, st, sys, params), ...(reads ? { reads } : {}), ...(roles ? { roles } : {}) };
    },
  };
  return full;
}
