// From an abstract test case to what the runner does against a free-running
// implementation, and the time scaling that makes it run in real time.
//
// - Time: every ms parameter of the config (resolved over the defaults) is
//   multiplied by the time scale F, and so is the `within` of a property
//   measured in clock time. The recording's header carries the scaled values,
//   so the checker's model runs with the same durations.
// - `input`, `crash`, `restart`, `forge`, `partition`, `heal` (and `join`) are
//   applied through the adapter. `deliver` steps are the implementation's own
//   network; the runner only lets it settle (after an applied step that the
//   test follows by network or timer steps; consecutive applied steps, such as
//   the opening Logins and an `im` SetMode before any delivery, go in at once,
//   so the implementation cannot run ahead of the test between them). A `timeout` step is the
//   implementation's own timer: the runner waits the timer's scaled duration
//   (an upper bound on when it fires, since it was armed at or before that
//   point) before the next applied step, so the run follows the test's
//   interleaving instead of racing ahead of it.
// - `drop`: the adapter's drop(from, to, kind) arms "lose the next matching
//   message", so it must be armed before the message is sent. Replaying the
//   test on the model tells which step sends the dropped message (its `mid`);
//   the drop is armed just before the last applied step at or before that
//   send (the step that starts the chain leading to it), or right after
//   start() when no applied step precedes it. When another message with the
//   same ends and kind is sent in between, the implementation loses that one
//   instead: the plan says so in its notes (the run is still checked, since
//   any loss is allowed by the model).
import { PARAMS, resolveParams, type Params } from '../../models/params.js';
import { timerDuration } from '../../models/timers.js';
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { Step, TestCase } from '../../schemas/generated/testcases.js';
import { applyAction } from '../explore/actions.js';
import { budgetOf, systemFor } from '../explore/setup.js';
import { topology } from '../system/topology.js';
import { actionOf } from '../testgen/cases.js';

/**
 * The default time scale: 1 model second = 20 real ms. The shortest timers
 * (connectTimeout, queryTimeout: 5 s) become 100 ms, well above in-process
 * message latencies; warmup and cooldown (10 min) become 12 s. The explorer
 * presets' keepaliveInterval of 2 h becomes 144 s, beyond any test: on
 * purpose, those presets have no keepalive traffic.
 */
export const DEFAULT_TIME_SCALE = 0.02;

const MS_PARAMS = PARAMS.filter((p) => p.unit === 'ms').map((p) => p.name);

/** `config` with every ms parameter (and clock-time property bound) multiplied by `scale`. */
export function scaleConfig(config: SystemConfig, scale: number): SystemConfig {
  const resolved = resolveParams(config.params);
  const params: Record<string, unknown> = { ...config.params };
  for (const name of MS_PARAMS) {
    const v = resolved[name] as number;
    params[name] = v > 0 ? Math.max(1, Math.round(v * scale)) : 0;
  }
  const props = config.props
    ? Object.fromEntries(Object.entries(config.props).map(([id, p]) => [id, p?.measure === 'time' && p.within !== undefined ? { ...p, within: Math.max(1, Math.round(p.within * scale)) } : p]))
    : undefined;
  return { ...config, params: params as Params, ...(props ? { props } : {}) };
}

/** What the runner does, in order. */
export type Op =
  /** `settle`: let the implementation run to quiescence afterwards (false when the test applies the next step at once). */
  | { readonly op: 'apply'; readonly step: Step; readonly where: string; readonly settle: boolean }
  | { readonly op: 'arm-drop'; readonly from: string; readonly to: string; readonly kind: string; readonly where: string }
  | { readonly op: 'wait'; readonly ms: number; readonly timers: readonly string[] };

export interface Plan {
  readonly ops: readonly Op[];
  /** Adapter methods the test needs (drop, forge, partition, heal, join). */
  readonly needs: readonly string[];
  /** Where the run can only approximate the test (see the module comment). */
  readonly notes: readonly string[];
}

const APPLIED = new Set(['input', 'crash', 'restart', 'forge', 'partition', 'heal', 'join']);

/** Position of a send in the test: -1 = during start(), 0..o-1 opening steps, o.. the steps. */
type Pos = number;

/**
 * The runner's plan for `test` of a suite on `config` (unscaled: the model
 * replay uses the suite's own parameters), with timer waits from `scaled`.
 */
export function planCase(config: SystemConfig, scaled: SystemConfig, test: TestCase): Plan {
  const all: Step[] = [...test.opening, ...test.steps];
  const where = (k: number) => (k < test.opening.length ? `opening[${k}]` : `steps[${k - test.opening.length}]`);
  const notes: string[] = [];

  // Replay on the model: which position sends each message (by mid), and the send order.
  const sys = systemFor(config, []);
  const { state, applied } = sys.initial(budgetOf(config), 0);
  const sentAt = new Map<number, Pos>();
  const sends: { mid: number; from: string; to: string; kind: string; pos: Pos }[] = [];
  const collect = (obs: readonly { ev: { type: string } }[], pos: Pos) => {
    for (const o of obs) {
      const ev = o.ev as { type: string; mid?: unknown; from?: string; to?: string; msg?: { kind: string } };
      if (ev.type === 'send') { sentAt.set(Number(ev.mid), pos); sends.push({ mid: Number(ev.mid), from: ev.from!, to: ev.to!, kind: ev.msg!.kind, pos }); }
    }
  };
  collect(applied.observations, -1);
  let replayable = true;
  all.forEach((s, k) => {
    if (!replayable) return;
    const a = actionOf(sys, state, s);
    if (typeof a === 'string') { replayable = false; notes.push(`${where(k)}: the model cannot replay this step (${a}); drops after it are armed at their own step`); return; }
    collect(applyAction(sys, state, a).observations, k);
  });

  // Drops: arm each before the last applied step at or before its send.
  const armBefore = new Map<number, Op[]>(); // position → arm ops (-1: right after start)
  all.forEach((s, k) => {
    if (s.step !== 'drop') return;
    const { from, to, kind, mid } = s.message;
    const sent = sentAt.get(mid) ?? k;
    let at = -1;
    for (let j = Math.min(sent, k); j >= 0; j--) if (APPLIED.has(all[j].step)) { at = j; break; }
    if (sent === -1) notes.push(`${where(k)}: ${kind} ${from}→${to} is sent during start-up, before a drop can be armed; the next such message is lost instead`);
    // Sends at `at` and after happen once the drop is armed (at -1: from the opening on).
    const between = sends.filter((x) => x.from === from && x.to === to && x.kind === kind && x.mid < mid && x.pos >= Math.max(at, 0));
    if (between.length && sent !== -1) notes.push(`${where(k)}: ${between.length} other ${kind} ${from}→${to} may be sent between the arming point and the dropped one; the implementation loses the first`);
    const list = armBefore.get(at) ?? [];
    list.push({ op: 'arm-drop', from, to, kind, where: where(k) });
    armBefore.set(at, list);
  });

  // Timer waits: the scaled durations of the timeouts since the last applied step.
  const topo = topology(scaled.actors, scaled.params);
  const ops: Op[] = [...(armBefore.get(-1) ?? [])];
  let waitMs = 0;
  let timers: string[] = [];
  const flushWait = () => {
    if (waitMs > 0) ops.push({ op: 'wait', ms: waitMs, timers });
    waitMs = 0;
    timers = [];
  };
  all.forEach((s, k) => {
    if (s.step === 'timeout') {
      const i = topo.index.get(s.actor);
      if (i !== undefined) { waitMs += timerDuration(s.timer, topo.cfgs[i].params); timers.push(`${s.actor}.${s.timer}`); }
      return;
    }
    if (!APPLIED.has(s.step)) return;
    flushWait();
    ops.push(...(armBefore.get(k) ?? []));
    const next = all[k + 1];
    ops.push({ op: 'apply', step: s, where: where(k), settle: !next || !APPLIED.has(next.step) });
  });
  flushWait();

  const needs = new Set<string>();
  for (const s of all) {
    if (s.step === 'drop' || s.step === 'forge' || s.step === 'partition' || s.step === 'heal' || s.step === 'join') needs.add(s.step);
  }
  return { ops, needs: [...needs].sort(), notes };
}
