// From an explorer path to an abstract test case (schemas/testcases.schema.json
// TestCase): each action becomes a step that an implementation's driver can
// perform — an input or fault for an actor, or the network/timer step that
// fixes the interleaving (deliver the message from→to of a kind, fire
// actor.timer) — and the case carries what to observe after the last step
// (each actor's state, the messages still in flight, the properties the model
// violates or witnesses on the way) and the same run as supernode-trace lines
// (explore/trace.ts `pathTrace`) that `snc check` replays. And back: a step
// resolves to the explorer action it stands for (for replaying a case).
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { Expectation, MessageRef, Step, TestCase } from '../../schemas/generated/testcases.js';
import { applyAction, type Action } from '../explore/actions.js';
import { initialState } from '../explore/setup.js';
import { pathTrace } from '../explore/trace.js';
import type { InFlight, SysState } from '../system/state.js';
import type { Applied, System } from '../system/system.js';

const ref = (sys: System, m: InFlight): MessageRef => ({ from: sys.topo.ids[m.from], to: sys.topo.ids[m.to], kind: m.msg.kind, mid: Number(m.mid) });

/** The abstract step of action `a` taken at `st` (before applying it). */
export function stepOf(sys: System, st: SysState, a: Action): Step {
  const id = (i: number) => sys.topo.ids[i];
  switch (a.kind) {
    case 'deliver': case 'drop': return { step: a.kind, message: ref(sys, st.net.get(a.mid)!) };
    case 'timeout': return { step: 'timeout', actor: id(a.actor), timer: a.timer };
    case 'input': return { step: 'input', actor: id(a.actor), input: a.input };
    case 'crash': case 'restart': return { step: a.kind, host: a.host };
    case 'partition': case 'heal': return { step: a.kind };
    case 'join': return { step: 'join', actor: id(a.actor) };
    case 'forge': return { step: 'forge', from: id(a.from), to: id(a.to) };
  }
}

/**
 * The explorer action a step stands for at `st`, or an error message. A message
 * is found by from/to/kind; `mid` breaks ties between several in flight.
 */
export function actionOf(sys: System, st: SysState, s: Step): Action | string {
  const idx = (id: string) => sys.topo.index.get(id) ?? -1;
  switch (s.step) {
    case 'deliver': case 'drop': {
      const { from, to, kind, mid } = s.message;
      const same = [...st.net.values()].filter((m) => m.from === idx(from) && m.to === idx(to) && m.msg.kind === kind);
      const m = same.length > 1 ? same.find((x) => Number(x.mid) === mid) : same[0];
      return m ? { kind: s.step, mid: m.mid } : `no ${kind} ${from}→${to} in flight`;
    }
    case 'timeout': return { kind: 'timeout', actor: idx(s.actor), timer: s.timer };
    case 'input': {
      const cost = s.input.kind === 'Login' ? 'logins' : s.input.kind === 'Logout' ? 'logouts' : s.input.kind === 'Lookup' ? 'lookups'
        : s.input.kind === 'Promote' ? 'promotes' : sys.topo.roles[idx(s.actor)] === 'auth' ? 'authFaults' : 'imFaults';
      return { kind: 'input', actor: idx(s.actor), input: s.input, cost };
    }
    case 'crash': case 'restart': return { kind: s.step, host: s.host };
    case 'partition': case 'heal': return { kind: s.step };
    case 'join': return { kind: 'join', actor: idx(s.actor) };
    case 'forge': return { kind: 'forge', from: idx(s.from), to: idx(s.to) };
  }
}

/** Builds test case `id` for `path`, with `goals` (of the suite's kind) and the monitored `properties`. */
export function testCase(sys: System, config: SystemConfig, preset: string, id: string, path: readonly Action[], goals: readonly string[], properties: readonly string[]): TestCase {
  const { state, applied } = initialState(sys, config);
  const opening: Step[] = applied.observations.flatMap((o): Step[] => (o.ev.type === 'input' ? [{ step: 'input', actor: o.ev.actor, input: o.ev.input }] : []));
  const violated = new Set<string>();
  const witnessed = new Set<string>();
  const judge = (ap: Applied) => { for (const v of ap.verdicts) (v.type === 'violation' ? violated : witnessed).add(v.property); };
  judge(applied);
  const steps: Step[] = [];
  for (const a of path) {
    steps.push(stepOf(sys, state, a));
    judge(applyAction(sys, state, a));
  }
  const expect: Expectation = {
    states: state.locals.flatMap((l, i) => (l ? [{ actor: sys.topo.ids[i], state: l.value }] : [])),
    inFlight: [...state.net.values()].map((m) => ref(sys, m)),
    violated: [...violated].sort(),
    witnessed: [...witnessed].sort(),
  };
  const trace = pathTrace(sys, config, path, `snc testgen ${preset}: test ${id}`).lines;
  return { id, preset, goals: [...goals], opening, steps, properties: [...properties], expect, trace };
}
