// From a system config (a preset or a --config file) to a System and its
// initial state: topology, property monitors, budget, and the opening Login
// of every client (budget.autoLogin, default on); the state's messages in
// flight are a PackedNet (checker/system/packed-net.ts).
import type { SystemConfig } from '../../schemas/generated/config.js';
import { System } from '../system/system.js';
import { topology } from '../system/topology.js';
import type { BudgetLeft, SysState } from '../system/state.js';
import type { PropertyInstance } from '../props/types.js';
import { LocalMemo } from '../system/memo.js';
import { PackedNet } from '../system/packed-net.js';
import { hash2 } from './fingerprint.js';

export function budgetOf(config: SystemConfig): BudgetLeft {
  const b = config.budget ?? {};
  return {
    logins: b.logins ?? 0, logouts: b.logouts ?? 0, lookups: b.lookups ?? 0, promotes: b.promotes ?? 0,
    crashes: b.crashes ?? 0, drops: b.drops ?? 0, partitions: b.partitions ?? 0, authFaults: b.authFaults ?? 0,
    imFaults: b.imFaults ?? 0, joins: b.joins ?? 0, forgeries: b.forgeries ?? 0,
  };
}

/** The System of a config, with `props` monitoring it, in explorer mode (autoSend, step clock). */
export function systemFor(config: SystemConfig, props: readonly PropertyInstance[], network?: 'unordered' | 'fifo'): System {
  return new System(topology(config.actors, config.params), props, {
    autoSend: true, clock: 'step', standby: config.standby, network: network ?? config.network ?? 'unordered',
    memo: new LocalMemo(hash2),
  });
}

/** The initial state: actors initialised, then every client's opening Login (unless budget.autoLogin is false). */
export function initialState(sys: System, config: SystemConfig): { state: SysState; applied: ReturnType<System['acc']> } {
  const { state, applied } = sys.initial(budgetOf(config), 0);
  // The messages in flight as an array, which the explorer's clone per transition copies in one slice (checker/system/packed-net.ts).
  PackedNet.install(state);
  if (config.budget?.autoLogin !== false) {
    sys.topo.roles.forEach((r, i) => {
      if (r === 'client' && state.locals[i]) sys.input(state, i, { kind: 'Login' }, 0, applied);
    });
  }
  return { state, applied };
}
