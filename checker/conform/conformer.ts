// Replays a recorded trace, event by event, through the system semantics
// (checker/system) and the property monitors, and says where the recording
// leaves what the model allows.
//
// - `send` must be a message the sender's model emitted and has not sent yet
//   (its outbox queue); the recorded message then goes on the network.
// - `deliver` feeds the receiver; `input`, `timeout`, `crash`, `restart`,
//   `join`, `leave`, `drop` are applied; `observe` is compared with the model.
// - Hidden steps. In `ms` traces a timer the model armed fires by itself once
//   its deadline has passed (recorders rarely log timeouts). When an event is
//   still impossible, the checker searches up to K (`hidden`) unrecorded
//   timeout/input steps of the actor concerned, breadth-first, visiting at most
//   `maxCandidates` model states, and takes the shortest sequence that makes
//   the event possible. Properties are judged along that explanation.
// Memory grows with the actors, the messages in flight and the timers armed,
// never with the length of the trace.
// Speed and peak RSS (issue #5, bench/check.ts): the per-event bookkeeping here
// allocates nothing of its own (per-actor arrays, one reused accumulator, timer
// queues: timers.ts, the messages in flight in a MidMap: checker/system/mid-map.ts), and an event
// from the validator's fast path comes with its actors' indices (no lookup by
// id); what is left per event is parsing the line (trace/fast-event.ts, or
// JSON.parse and the schema), the model step, the System's observation and the
// monitors. What survives a young-generation GC matters twice: V8 lets
// the heap grow to 1.1-4 times the live heap before a full GC, the more the
// faster the checker promotes (most of it now is the models' local states).
import { ROLES, type Local, type ModelEvent } from '../../models/index.js';
import type { Outgoing } from '../../models/types.js';
import type { Event, Header, Input, Message, TimerName } from '../../schemas/generated/trace.js';
import { timerDuration } from '../../models/timers.js';
import { inputType, timeoutType } from '../../models/event-types.js';
import type { InFlight, Mid, SysState } from '../system/state.js';
import { System, emptied, type Applied } from '../system/system.js';
import { topology } from '../system/topology.js';
import type { PropertyInstance, Verdict } from '../props/types.js';
import { CredentialAliases, matchesKind } from './match.js';
import { SlotSet, slotOf, TimerHeap } from './timers.js';
import { MidMap } from '../system/mid-map.js';

export type HiddenKind = 'timeout' | 'input' | 'drop';

export interface ConformOptions {
  readonly props: readonly PropertyInstance[];
  /** K: unrecorded steps the search may add before one event (default 2). */
  readonly hidden: number;
  readonly hiddenKinds: ReadonlySet<HiddenKind>;
  /** Model states the hidden-step search may visit per event (default 64). */
  readonly maxCandidates: number;
  /**
   * ms traces: a hidden timeout may fire at most this many ms before its deadline
   * (timers armed within the hidden sequence itself count from now). Undefined:
   * any armed timer may fire (the default of `snc check`). `snc run-tests` sets it,
   * so that an early timeout cannot explain away a defect.
   */
  readonly timerSlack?: number;
  /** Divergences kept for the report (the first ones; default: all). The count goes on: `divergenceCount`. */
  readonly maxDivergences?: number;
  /**
   * ms traces: the time at which the header's actors start (default 0). `snc check`
   * passes the first event's `t`, so that a recorder's wall clock (Date.now(),
   * ~1.7e12) does not make the checker fire every periodic timer from 0 first.
   */
  readonly origin?: number;
  /**
   * ms traces: timer firings the replay may make between two recorded events
   * (default MAX_FIRINGS). A jump in `t` (a bad timestamp, a wall clock mixed
   * with a clock from 0) makes the model fire every periodic timer across it,
   * one by one; past this many the replay stops (`jump`) instead of running for
   * minutes or forever.
   */
  readonly maxFirings?: number;
}

/** The default of ConformOptions.maxFirings: a few seconds of replay (1–2 µs a firing); at 10k clients, hours of unlogged time. */
export const MAX_FIRINGS = 2_000_000;

/** Where the replay stopped on a jump in time: the events before and after it. */
export interface TimeJump {
  readonly fromLine: number;
  readonly fromT: number;
  readonly line: number;
  readonly t: number;
  /** The budget that ran out (ConformOptions.maxFirings). */
  readonly firings: number;
}

/** A place where the recording leaves the model. */
export interface Divergence {
  readonly code: 'CHK001' | 'CHK002' | 'CHK003' | 'CHK004' | 'CHK005';
  readonly line: number;
  readonly message: string;
  readonly actors: string[];
  /** The model's state of the actor before the event, and what it allowed instead. */
  readonly model: string;
}

const INPUTS: readonly Input[] = [{ kind: 'Login' }, { kind: 'Logout' }, { kind: 'Promote' }, { kind: 'SetMode', mode: 'up' }, { kind: 'SetMode', mode: 'slow' }, { kind: 'SetMode', mode: 'overloaded' }, { kind: 'SetMode', mode: 'down' }];
const MAX_OUTQ = 256;
/**
 * The scratch accumulator is replaced every 1024 events (a mask). One kept for the
 * whole trace is promoted to the old generation, and then each event's observation,
 * outbox and armed-timer records, all new objects, are stored into an old object:
 * V8's write barrier takes its slow path for each (remembered-set insertion, and
 * the slots are scanned at every scavenge). A fresh one is young, and replaced
 * long before it could survive two scavenges (~14k lines apart on the login-flood
 * bench): 5 small objects per 1024 events. Measured (issue #5, login-flood lines
 * 100k-300k, --hidden 0): the write-barrier builtin -99 instructions a line, ~-100 in all.
 */
const RENEW_SCRATCH = 1023;
/**
 * A new empty accumulator like `acc` (empty), its arrays copied with slice(): they keep
 * the elements kind of the old ones (with `sys.acc()`'s `[]` literals, which start as
 * small integers, the hot pushes left their inline path for the generic builtin:
 * +165 instructions a line, more than the barrier saved).
 */
function renewed(acc: Applied): Applied {
  return { observations: acc.observations.slice(), outboxes: acc.outboxes.slice(), armed: acc.armed.slice(), verdicts: acc.verdicts.slice() };
}
/** The unmatched messages of an actor that had none (shared: never written). */
const NO_OUT: readonly Outgoing[] = Object.freeze([]);

export class Conformer {
  sys: System;
  readonly st: SysState;
  /**
   * Per actor index: messages its model emitted that no recorded `send` has matched yet;
   * undefined when none. An emptied queue is dropped, not kept: an array emptied by
   * `shift` keeps its backing store, and 10k of them were 1.7 MB of the live heap on
   * the login-flood bench (issue #5), which V8's heap sizing multiplies by up to 4.
   */
  private readonly outq: (Outgoing[] | undefined)[] = [];
  /**
   * Per actor index: 1 when its `outq` array is the conformer's own, 0 when it is a model's
   * outbox kept as it is (most queues hold one step's messages until their sends: no copy
   * per outbox, issue #5). Such an array is never written: it is copied first (`ownQueue`).
   */
  private readonly outqMine: number[] = [];
  private readonly timers = new TimerHeap();
  /** (actor, timer) slots (timers.ts) fired by their deadline and not yet claimed by a recorded `timeout`. */
  private readonly autoFired = new SlotSet();
  /** ms traces: the current deadline of each armed (actor, timer), by `idx:timer`. */
  private readonly deadlines = new Map<string, number>();
  /** The first `maxDivergences` divergences (memory must not grow with the trace: a wrong implementation diverges all along). */
  readonly divergences: Divergence[] = [];
  /** Divergences found in all, kept or not. */
  divergenceCount = 0;
  /** First violation of each property, with its line. */
  readonly violations = new Map<string, Verdict & { line: number }>();
  /** The first witness of each `sometimes` property, with its line. */
  readonly witnesses = new Map<string, Verdict & { line: number }>();
  hiddenSteps = 0;
  /** The hidden steps that were inputs (a user's Logout, an operator's SetMode: they can explain away a defect, so the report names them): the first ones, and how many. */
  readonly hiddenInputs: { line: number; actor: string; input: Input }[] = [];
  hiddenInputCount = 0;
  /** Set when the replay stopped at a jump in time (ConformOptions.maxFirings): no event after it is replayed. */
  jump: TimeJump | undefined;
  private line = 0;
  /** The line and time of the last event replayed (for `jump`). */
  private lastLine = 0;
  private lastT = 0;
  private readonly aliases = new CredentialAliases();
  /**
   * Per actor index, its state just before the last message delivered to it, while it
   * has sent nothing since: a send the model does not explain may be explained by
   * hidden steps *before* that delivery (one step of lookback, no more). Kept as
   * parallel arrays, the model event built only when needed (`lastDelivery`): no
   * allocation per delivery (issue #5).
   */
  private readonly ldBefore: (Local | undefined)[] = [];
  /** The actor's unmatched messages at that delivery (a copy; the shared NO_OUT when none). */
  private readonly ldOut: (readonly Outgoing[] | undefined)[] = [];
  /** The message delivered, and its sender (not the InFlight record: nothing else keeps it alive). */
  private readonly ldMsg: (Message | undefined)[] = [];
  private readonly ldFrom: number[] = [];
  private readonly ldNow: number[] = [];
  /**
   * With no hidden steps (`hidden` 0) a remembered delivery can only serve
   * `sameMillisecondBeforeDelivery`, in the millisecond it happened: in a step
   * trace none is kept, in an ms trace only those of the latest millisecond with a
   * delivery (these actors, at `ldListAt`). Keeping every actor's state from before
   * its last delivery kept 10k old local states alive (issue #5: 4.5 MB of the
   * live heap on the login-flood bench, and most of what was promoted).
   */
  private readonly ldList: number[] = [];
  private ldListAt = -1;
  /** 2: keep every last delivery (hidden steps on); 1: only the latest millisecond's; 0: none. */
  private readonly ldKeep: 0 | 1 | 2;
  private readonly ms: boolean;
  /**
   * The accumulator every System call of the conformer fills, emptied by `absorb`
   * (issue #5: one object and four arrays fewer per event). Each System call is
   * absorbed before the next one starts, so one is enough.
   * It is replaced by a fresh one every 1024 events (RENEW_SCRATCH).
   */
  private scratch: Applied;

  constructor(readonly header: Header, private readonly opts: ConformOptions) {
    this.lastT = opts.origin ?? 0;
    this.ms = header.clock === 'ms';
    this.ldKeep = opts.hidden > 0 ? 2 : this.ms ? 1 : 0;
    this.sys = new System(topology(header.actors, header.params), opts.props, { autoSend: false, clock: header.clock });
    this.scratch = this.sys.acc();
    for (let i = 0; i < this.sys.topo.ids.length; i++) this.addSlots();
    const { state, applied } = this.sys.initial(undefined, this.ms ? opts.origin ?? 0 : 0);
    // The messages in flight in a MidMap, not a Map: no hash table rebuilt and promoted per few thousand sends (mid-map.ts).
    const net = new MidMap<InFlight>();
    state.net.forEach((m, mid) => net.set(mid, m));
    state.net = net as unknown as Map<Mid, InFlight>;
    this.st = state;
    this.absorb(applied);
  }

  /**
   * Applies one recorded event (already validated). `a`, `b`: when known, the
   * indices of its `from`/`actor` and `to` (TraceValidator.actorA/B), spared a
   * lookup by id; -1 otherwise.
   */
  event(ev: Event, line: number, a = -1, b = -1): void {
    const t = ev.t;
    if (!this.begin(t, line)) return;
    const { sys, st } = this;
    switch (ev.type) {
      case 'send': return this.send(ev.from, ev.to, ev.mid, ev.msg, t, a, b);
      case 'deliver': return this.deliver(ev.mid, t);
      case 'drop': return this.drop(ev.mid, t);
      case 'input': return this.input(ev.actor, ev.input, t, a);
      case 'timeout': return this.timeout(ev.actor, ev.timer, t, a);
      case 'crash': {
        for (const i of sys.topo.hosts.get(ev.host) ?? []) { this.outq[i] = undefined; this.forgetDelivery(i); }
        this.absorb(sys.crash(st, ev.host, t, this.scratch));
        return;
      }
      case 'restart':
        if (!st.down.has(ev.host)) {
          const on = sys.topo.hosts.get(ev.host) ?? [];
          this.diverge('CHK005', `restart of host ${ev.host}, which is up (no crash of it before)`, on.map((i) => sys.topo.ids[i]), on.map((i) => { const l = st.locals[i]; return l ? describe(l) : `${sys.topo.ids[i]}: absent`; }).join('; ') || 'no actor on it');
        }
        this.absorb(sys.restart(st, ev.host, t, this.scratch));
        return;
      case 'join': return this.join(ev.actor, t);
      case 'leave': { const i = sys.topo.index.get(ev.actor); if (i !== undefined) this.absorb(sys.leave(st, i, t, this.scratch)); return; }
      case 'observe': return this.observe(ev.actor, ev.state, ev.upstream, t);
      case 'note': return;
    }
  }

  // The common events one by one, their fields as arguments: `event` for them without an
  // event object (the two-thread check decodes its records straight into these calls, issue #5).

  /** `event` of a send. */
  sendEvent(line: number, t: number, from: string, to: string, mid: string | number, msg: Message, a: number, b: number): void {
    if (this.begin(t, line)) this.send(from, to, mid, msg, t, a, b);
  }

  /** `event` of a deliver (`drop` false) or a drop. */
  settleEvent(line: number, t: number, mid: string | number, drop: boolean): void {
    if (this.begin(t, line)) { if (drop) this.drop(mid, t); else this.deliver(mid, t); }
  }

  /** `event` of a timeout. */
  timeoutEvent(line: number, t: number, actor: string, timer: TimerName, a: number): void {
    if (this.begin(t, line)) this.timeout(actor, timer, t, a);
  }

  /** `event` of an input. */
  inputEvent(line: number, t: number, actor: string, input: Input, a: number): void {
    if (this.begin(t, line)) this.input(actor, input, t, a);
  }

  /**
   * What every event starts with: the line, the timers due before `t` fired (ms traces), the
   * step counted. False when the event is not replayed (after a jump in time).
   */
  private begin(t: number, line: number): boolean {
    if (this.jump) return false;
    this.line = line;
    if (this.ms && !this.fireDue(t)) return false;
    this.lastLine = line;
    this.lastT = t;
    this.st.step += 1;
    this.st.time = t;
    if ((this.st.step & RENEW_SCRATCH) === 0) this.scratch = renewed(this.scratch); // empty here: every System call is absorbed at once
    return true;
  }

  private input(actor: string, input: Input, t: number, a: number): void {
    const i = this.indexOf(actor, a);
    if (i !== undefined && this.alive(i, actor, 'input')) this.absorb(this.sys.input(this.st, i, input, t, this.scratch));
  }

  private drop(mid: string | number, t: number): void {
    const m = this.st.net.get(mid);
    if (m) this.absorb(this.sys.drop(this.st, m, t, this.scratch));
  }

  private deliver(mid: string | number, t: number): void {
    const { sys, st } = this;
    const m = st.net.get(mid);
    if (!m) return;
    const to = m.to;
    const before = st.locals[to];
    if (before && before.value !== 'crashed' && this.ldKeep !== 0) {
      if (this.ldKeep === 1) {
        if (t !== this.ldListAt) {
          const list = this.ldList;
          while (list.length) this.forgetDelivery(list.pop()!);
          this.ldListAt = t;
        }
        this.ldList.push(to);
      }
      const q = this.outq[to];
      this.ldBefore[to] = before;
      // A model's outbox is never written (outqMine): kept as it is.
      this.ldOut[to] = q && q.length ? (this.outqMine[to] === 1 ? q.slice() : q) : NO_OUT;
      this.ldMsg[to] = m.msg;
      this.ldFrom[to] = m.from;
      this.ldNow[to] = this.ms ? t : 0;
    }
    this.absorb(sys.deliver(st, m, t, this.scratch));
  }

  /** The last delivery to actor `i` while it has sent nothing since (see `ldBefore`), or undefined. */
  private lastDelivery(i: number): { before: Local; outq: readonly Outgoing[]; ev: ModelEvent } | undefined {
    const before = this.ldBefore[i];
    if (!before) return undefined;
    const msg = this.ldMsg[i]!;
    return { before, outq: this.ldOut[i]!, ev: { type: msg.kind, from: this.sys.topo.ids[this.ldFrom[i]], msg, now: this.ldNow[i] } as ModelEvent };
  }

  private forgetDelivery(i: number): void {
    if (this.ldBefore[i] === undefined) return;
    this.ldBefore[i] = undefined;
    this.ldOut[i] = undefined;
    this.ldMsg[i] = undefined;
  }

  /**
   * What the models emitted that no recorded send has matched by the end of the trace
   * (read after the last event): per sending actor, its unmatched messages, oldest first.
   */
  owed(): { actor: string; to: string; kind: string }[] {
    const out: { actor: string; to: string; kind: string }[] = [];
    this.outq.forEach((q, i) => { for (const o of q ?? []) out.push({ actor: this.sys.topo.ids[i], to: o.to, kind: o.msg.kind }); });
    return out;
  }

  private alive(i: number, id: string, what: string): boolean {
    const l = this.st.locals[i];
    if (l && l.value !== 'crashed') return true;
    this.diverge('CHK004', `${id} is ${l ? 'crashed' : 'not present'} but the trace has it ${what === 'send' ? 'send' : `receive ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`}`, [id], l ? describe(l) : 'absent');
    return false;
  }

  private send(fromId: string, toId: string, mid: string | number, recorded: Message, t: number, a: number, b: number): void {
    const from = this.indexOf(fromId, a);
    const to = this.indexOf(toId, b);
    const msg = this.aliases.toModel(recorded);
    // Read once (a megamorphic load: many message shapes); the aliases keep a message's kind.
    const kind = msg.kind;
    let learned = false;
    if (this.alive(from, fromId, 'send')) {
      let k = findFit(this.outq[from], toId, msg, kind);
      if (k < 0) {
        const before = this.st.locals[from]!;
        const pending = this.outq[from] ?? [];
        const fits = (o: Outgoing) => o.to === toId && matchesKind(o.msg, msg, kind);
        if (this.sameMillisecond(from, (_l, out) => out.some(fits)) || this.sameMillisecondBeforeDelivery(from, fits) || this.searchHidden(from, (_l, out) => out.some(fits), msg) || this.lookback(from, fits, msg)) k = findFit(this.outq[from], toId, msg, kind);
        if (k < 0) {
          // Each distinct message once, with how many are queued (a client cycling its host cache queues the same Connects again and again).
          // One of the recorded kind is shown in full, its credential in the trace's terms (see `inTraceTerms`): the model's
          // own signature next to the recorded one read as if the implementation had signed wrongly.
          // Past the divergences kept for the report only the count matters: the alias scan and the message list are skipped.
          const kept = this.divergences.length < (this.opts.maxDivergences ?? Infinity);
          const counts = new Map<string, number>();
          const alike: string[] = [];
          for (const o of kept ? pending : NO_OUT) {
            let k = `${o.msg.kind}→${o.to}`;
            if (o.msg.kind === msg.kind) {
              k += ` ${this.inTraceTerms(o.msg)}`;
              if (!alike.includes(k)) alike.push(k);
            }
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
          const would = counts.size ? [...counts].map(([k, c]) => (c > 1 ? `${k} (×${c})` : k)).join(', ') : 'nothing';
          const allowed = alike.length ? `${alike.slice(0, 2).join(', ')}${alike.length > 2 ? ', …' : ''}` : `no ${msg.kind} now`;
          this.diverge('CHK001', `${fromId} sent ${msg.kind} to ${toId}, which its model does not emit here: trace has ${clip(JSON.stringify(recorded))}; model allows ${allowed}`, [fromId, toId], `${describe(before)}; the model would send: ${would}`);
        }
      }
      this.forgetDelivery(from);
      if (k >= 0) {
        const q = this.outq[from]!;
        const o = q[k];
        if (q.length === 1) this.outq[from] = undefined; // see `outq`
        else {
          // The common case, the oldest message: shift, not splice (no array allocated).
          const own = this.ownQueue(from, q);
          if (k === 0) own.shift(); else own.splice(k, 1);
        }
        // o.msg matched msg, of the kind of `recorded` (toModel keeps it): all three LoginOk, or none.
        if (kind === 'LoginOk') { this.aliases.learn((o.msg as typeof recorded & { kind: 'LoginOk' }).credential, (recorded as typeof recorded & { kind: 'LoginOk' }).credential); learned = true; }
      }
    }
    // What goes on the network is the model's version of the recorded message (credentials
    // translated): `msg` again, unless this send taught the aliases a new credential.
    const acc = this.scratch;
    this.sys.send(this.st, from, to, learned ? this.aliases.toModel(recorded) : msg, t, acc, mid);
    this.absorb(acc);
  }

  /**
   * A message the model emitted, as JSON for a report, its credential (LoginOk, Register)
   * in the trace's terms: the model signs with its own symbolic scheme, so the credential
   * the model holds is shown as the recorded one that stands for it (the one the trace's
   * auth issued), and labelled as the model's own when no recorded one does.
   */
  private inTraceTerms(m: Message): string {
    if (!('credential' in m)) return clip(JSON.stringify(m));
    const recorded = this.aliases.toRecorded(m.credential);
    return recorded
      ? `${clip(JSON.stringify({ ...m, credential: recorded }))} (credential as the trace's auth issued it)`
      : `${clip(JSON.stringify(m))} (credential as the model issued it)`;
  }

  /**
   * Re-runs the last delivery to actor `i` after up to K hidden steps taken before it,
   * and keeps the result if the send then fits. Monitors saw the first run only.
   */
  private lookback(i: number, fits: (o: Outgoing) => boolean, about: Message): boolean {
    if (this.opts.hidden <= 0) return false;
    const last = this.lastDelivery(i);
    if (!last) return false;
    const role = ROLES[this.sys.topo.roles[i]];
    const found = this.hiddenSequences(i, last.before, last.outq, about, (l, out) => {
      const r = role.step(l, last.ev);
      return r.taken && [...out, ...r.outbox].some(fits);
    });
    if (!found) return false;
    let l = last.before;
    const out = [...last.outq];
    const armed: TimerName[] = [];
    for (const ev of [...found, last.ev]) { const r = role.step(l, ev); l = r.next; out.push(...r.outbox); armed.push(...r.armed); }
    this.st.locals[i] = l;
    this.outq[i] = out;
    this.outqMine[i] = 1;
    this.rearm(i, armed);
    this.hiddenSteps += found.length;
    for (const ev of found) if ('input' in ev) this.noteInput(i, ev.input);
    return true;
  }

  /** The index of actor `id` (undefined: unknown); `hint`, when it is that index (a string comparison, no Map lookup). */
  private indexOf(id: string, hint: number): number {
    return hint >= 0 && this.sys.topo.ids[hint] === id ? hint : this.sys.topo.index.get(id)!;
  }

  private timeout(id: string, timer: TimerName, t: number, a: number): void {
    const i = this.indexOf(id, a);
    if (!this.alive(i, id, 'timeout')) return;
    const l = this.st.locals[i]!;
    // Recorded after its deadline: the checker has fired it already (and it may be armed again, for
    // its next deadline). This line records that firing: no second firing, no early one.
    if (this.autoFired.size && this.autoFired.delete(slotOf(i, timer))) return;
    if (has(l.ctx.timers, timer)) {
      if (!this.due(i, timer)) {
        const at = this.deadlineOf(i, timer);
        this.diverge('CHK002', `timeout ${timer} of ${id} at ${t} ms, ${at - t} ms before its deadline (${at}; --timer-slack ${this.opts.timerSlack})`, [id], `${describe(l)}; ${timer} armed until ${at}`);
      }
      this.absorb(this.sys.timeout(this.st, i, timer, t, this.scratch));
      return;
    }
    this.diverge('CHK002', `timeout ${timer} of ${id}, but that timer is not armed`, [id], `${describe(l)}; armed: ${l.ctx.timers.join(', ') || 'none'}`);
  }

  private observe(id: string, state: string, upstream: string | null | undefined, t: number): void {
    const i = this.sys.topo.index.get(id)!;
    // A client's upstream is its target while online; in any other state it has none.
    const upstreamOf = (l: Local) => (l.value === 'online' ? (l.ctx as unknown as { target: string | null }).target : null);
    const ok = (l: Local | null) => !!l && l.value === state && (upstream === undefined || this.sys.topo.roles[i] !== 'client' || upstreamOf(l) === upstream);
    if (ok(this.st.locals[i])) return;
    const before = this.st.locals[i];
    if (before && this.searchHidden(i, (l) => ok(l))) return;
    void t;
    // A state name the role does not have at all (a typo, another case) is said so, with the role's states.
    const role = ROLES[this.sys.topo.roles[i]];
    const unknown = role.stateNames.includes(state) ? '' : ` (${JSON.stringify(state)} is not a ${role.name} state: ${role.stateNames.join(', ')})`;
    this.diverge('CHK003', `${id} reports ${state}${upstream !== undefined ? ` (upstream ${upstream})` : ''}, but its model is ${before ? describe(before) : 'absent'}${unknown}`, [id], before ? describe(before) : 'absent');
  }

  private join(actor: Header['actors'][number], t: number): void {
    const actors = [...this.sys.topo.actors, actor];
    this.sys = new System(topology(actors, this.header.params), this.opts.props, { autoSend: false, clock: this.header.clock });
    for (const i of this.muted) this.sys.mute(i);
    this.st.locals.push(null);
    this.addSlots();
    this.absorb(this.sys.join(this.st, actors.length - 1, t));
  }

  /**
   * One more actor in the per-actor arrays. They are filled in actor order, never
   * written past their end: an array first written at a high index falls back to
   * slow dictionary elements in V8.
   */
  private addSlots(): void {
    this.outq.push(undefined);
    this.outqMine.push(0);
    this.ldBefore.push(undefined);
    this.ldOut.push(undefined);
    this.ldMsg.push(undefined);
    this.ldFrom.push(0);
    this.ldNow.push(0);
  }

  /**
   * Breadth-first over unrecorded timeouts/inputs of actor `i` (at most K deep,
   * `maxCandidates` states); applies the shortest sequence after which `goal`
   * holds for (state, outbox queue), through the System so monitors see it.
   */
  private searchHidden(i: number, goal: (l: Local, out: readonly Outgoing[]) => boolean, about?: Message): boolean {
    const seq = this.hiddenSequences(i, this.st.locals[i]!, this.outq[i] ?? [], about, goal);
    if (!seq) return false;
    this.applyHidden(i, seq);
    return true;
  }

  /** The shortest sequence (1..K) of hidden events from `start` after which `goal` holds, or undefined. */
  private hiddenSequences(i: number, start: Local, startOut: readonly Outgoing[], about: Message | undefined, goal: (l: Local, out: readonly Outgoing[]) => boolean): ModelEvent[] | undefined {
    const { hidden, hiddenKinds, maxCandidates } = this.opts;
    if (hidden <= 0) return undefined;
    const role = ROLES[this.sys.topo.roles[i]];
    const now = this.ms ? this.st.time : 0;
    type Node = { l: Local; out: readonly Outgoing[]; seq: ModelEvent[] };
    let frontier: Node[] = [{ l: start, out: startOut, seq: [] }];
    let visited = 0;
    for (let depth = 0; depth < hidden && frontier.length; depth++) {
      const next: Node[] = [];
      for (const n of frontier) {
        const moves: ModelEvent[] = [];
        if (hiddenKinds.has('timeout')) for (const tm of n.l.ctx.timers) if (this.due(i, tm, n.seq.length > 0 ? n.l : undefined)) moves.push({ type: timeoutType(tm), now } as ModelEvent);
        if (hiddenKinds.has('input')) {
          for (const input of INPUTS) moves.push({ type: inputType(input.kind), input, now } as ModelEvent);
          if (about?.kind === 'Lookup') moves.push({ type: 'input.Lookup', input: { kind: 'Lookup', user: about.user }, now });
        }
        for (const ev of moves) {
          if (++visited > maxCandidates) return undefined;
          const r = role.step(n.l, ev);
          if (!r.taken) continue;
          const node = { l: r.next, out: [...n.out, ...r.outbox], seq: [...n.seq, ev] };
          if (goal(node.l, node.out)) return node.seq;
          next.push(node);
        }
      }
      frontier = next;
    }
    return undefined;
  }

  /**
   * Whether timer `tm` of actor `i` may fire as a hidden step now (always, unless
   * `timerSlack` is set in an ms trace). `armedHere`: the local state reached inside a
   * hidden sequence, whose timers, if re-armed there, run from now.
   */
  private due(i: number, tm: TimerName, armedHere?: Local): boolean {
    const slack = this.opts.timerSlack;
    if (slack === undefined || !this.ms) return true;
    return this.deadlineOf(i, tm, armedHere) - this.st.time <= slack;
  }

  /** The deadline of timer `tm` of actor `i` (see `due`: a timer re-armed inside a hidden sequence runs from now). */
  private deadlineOf(i: number, tm: TimerName, armedHere?: Local): number {
    const known = this.deadlines.get(`${i}:${tm}`);
    return known !== undefined && !(armedHere && armedHere.ctx.armed.includes(tm)) ? known : this.st.time + timerDuration(tm, (armedHere ?? this.st.locals[i]!).ctx.cfg.params);
  }

  /**
   * ms traces: timers of actor `i` whose deadline is the current millisecond fire
   * before the recorded event rather than after it when that is what makes `goal`
   * hold. Not a hidden step (they were due now; --hidden 0 allows it): which of two
   * things in one millisecond came first is not something a recorder can be held to.
   */
  private sameMillisecond(i: number, goal: (l: Local, out: readonly Outgoing[]) => boolean): boolean {
    const l0 = this.st.locals[i];
    if (!this.ms || !l0 || l0.value === 'crashed') return false;
    const t = this.st.time;
    const due = l0.ctx.timers.filter((tm) => this.timers.deadline(i, tm) === t);
    if (due.length === 0) return false;
    const role = ROLES[this.sys.topo.roles[i]];
    let l = l0;
    const out = [...(this.outq[i] ?? [])];
    for (const tm of due) {
      const r = role.step(l, { type: timeoutType(tm), now: t } as ModelEvent);
      if (r.taken) { l = r.next; out.push(...r.outbox); }
    }
    if (!goal(l, out)) return false;
    for (const tm of due) {
      if (!has(this.st.locals[i]!.ctx.timers, tm)) continue;
      this.absorb(this.sys.timeout(this.st, i, tm, t, this.scratch));
      this.autoFired.add(slotOf(i, tm));
      this.hiddenSteps++;
    }
    return true;
  }

  /**
   * The same, one event back: timers of actor `i` due in the millisecond of the last
   * message delivered to it fire before that delivery, which is then re-run (as
   * `lookback` does for hidden steps; monitors saw the first run only).
   */
  private sameMillisecondBeforeDelivery(i: number, fits: (o: Outgoing) => boolean): boolean {
    if (!this.ms) return false;
    const last = this.lastDelivery(i);
    if (!last || last.ev.now !== this.st.time) return false;
    const t = this.st.time;
    const due = last.before.ctx.timers.filter((tm) => this.timers.deadline(i, tm) === t);
    if (due.length === 0) return false;
    const role = ROLES[this.sys.topo.roles[i]];
    let l = last.before;
    const out = [...last.outq];
    const armed: TimerName[] = [];
    for (const ev of [...due.map((tm) => ({ type: timeoutType(tm), now: t }) as ModelEvent), last.ev]) {
      const r = role.step(l, ev);
      if (r.taken) { l = r.next; out.push(...r.outbox); armed.push(...r.armed); }
    }
    if (!out.some(fits)) return false;
    this.st.locals[i] = l;
    this.outq[i] = out;
    this.outqMine[i] = 1;
    this.rearm(i, armed);
    for (const tm of due) this.autoFired.add(slotOf(i, tm));
    this.hiddenSteps += due.length;
    return true;
  }

  private applyHidden(i: number, seq: readonly ModelEvent[]): void {
    for (const ev of seq) {
      this.hiddenSteps++;
      if (ev.type.startsWith('timeout.')) this.absorb(this.sys.timeout(this.st, i, ev.type.slice(8) as TimerName, this.st.time, this.scratch));
      else if ('input' in ev) { this.noteInput(i, ev.input); this.absorb(this.sys.input(this.st, i, ev.input, this.st.time, this.scratch)); }
    }
  }

  private noteInput(i: number, input: Input): void {
    this.hiddenInputCount++;
    if (this.hiddenInputs.length < 20) this.hiddenInputs.push({ line: this.line, actor: this.sys.topo.ids[i], input });
  }

  /**
   * ms clock: fires every armed timer whose deadline is before `t`, in deadline order;
   * false (and `jump` set) when that takes more than maxFirings firings.
   */
  private fireDue(t: number): boolean {
    const timers = this.timers;
    const budget = this.opts.maxFirings ?? MAX_FIRINGS;
    let fired = 0;
    for (let s = timers.popDue(t); s >= 0; s = timers.popDue(t)) {
      if (++fired > budget) {
        this.jump = { fromLine: this.lastLine, fromT: this.lastT, line: this.line, t, firings: budget };
        return false;
      }
      const idx = timers.actorOf(s);
      const timer = timers.timerOf(s);
      const l = this.st.locals[idx];
      if (!l || l.value === 'crashed' || !has(l.ctx.timers, timer)) continue;
      const at = timers.atOf(s);
      this.st.time = at;
      const ap = this.sys.timeout(this.st, idx, timer, at, this.scratch);
      this.hiddenSteps++;
      this.autoFired.add(s);
      this.absorb(ap);
    }
    return true;
  }

  /** ms clock: timers armed by a replayed step run from now (a re-armed timer's old deadline goes stale). */
  private rearm(i: number, timers: readonly TimerName[]): void {
    if (!this.ms || timers.length === 0) return;
    this.absorb({ ...this.sys.acc(), armed: [{ idx: i, timers: [...timers] }] });
  }

  /** Actor `i`'s queue `q` (its `outq`) as the conformer's own array, copied first if it is a model's outbox. */
  private ownQueue(i: number, q: Outgoing[]): Outgoing[] {
    if (this.outqMine[i] === 1) return q;
    const own = q.slice();
    this.outq[i] = own;
    this.outqMine[i] = 1;
    return own;
  }

  /**
   * Takes in the effects of applied events: outboxes, armed timers, verdicts.
   * Empties `ap` when it is the shared `scratch` accumulator.
   */
  private absorb(ap: Applied): void {
    const outboxes = ap.outboxes;
    for (let k = 0; k < outboxes.length; k++) {
      const { idx, out } = outboxes[k];
      let q = this.outq[idx];
      if (!q) {
        // The model's outbox itself (never written by the model after its step, nor here: outqMine).
        this.outq[idx] = q = out as Outgoing[];
        this.outqMine[idx] = 0;
      } else {
        q = this.ownQueue(idx, q);
        for (let j = 0; j < out.length; j++) q.push(out[j]);
      }
      if (q.length > MAX_OUTQ) this.ownQueue(idx, q).splice(0, q.length - MAX_OUTQ);
    }
    if (this.ms) {
      const armed = ap.armed;
      // Every actor's `ctx.cfg.params` is the header's params resolved (actorConfigs: one object per
      // topology, all equal): read from the topology, not through each role's context (a
      // megamorphic load: one context shape per role; issue #5).
      const params = this.sys.topo.params;
      for (let k = 0; k < armed.length; k++) {
        const { idx, timers } = armed[k];
        const l = this.st.locals[idx];
        if (!l) continue;
        for (let j = 0; j < timers.length; j++) {
          const tm = timers[j];
          const at = this.st.time + timerDuration(tm, params);
          this.timers.arm(idx, tm, at);
          if (this.opts.timerSlack !== undefined) this.deadlines.set(`${idx}:${tm}`, at);
        }
      }
    }
    const verdicts = ap.verdicts;
    for (let k = 0; k < verdicts.length; k++) {
      const v = verdicts[k];
      if (v.type === 'violation') { if (!this.violations.has(v.property)) { this.violations.set(v.property, { ...v, line: this.line }); this.decided(v.property, 'violation'); } }
      else if (v.type === 'witness' && !this.witnesses.has(v.property)) { this.witnesses.set(v.property, { ...v, line: this.line }); this.decided(v.property, 'witness'); }
    }
    if (ap === this.scratch) emptied(ap);
  }

  /**
   * Property `id` has its first verdict, the only one kept (a violation of an `always` or
   * `response` one, a witness of a `sometimes` one): its monitor is then no longer fed
   * (System.mute). Its later verdicts would be dropped here, and the report (check.ts) reads
   * the kept verdict, not the monitor's state: no pending obligations of a violated property,
   * no witness of a witnessed one. Judging it cost as much at every observation to the end of
   * the trace (issue #5): a sometimes property witnessed in the first minutes (client-online),
   * reattach-within violated halfway through the login-flood bench (its proviso reads the
   * host cache and the supernodes' states at every step of an obliged client).
   */
  private decided(id: string, verdict: 'violation' | 'witness'): void {
    const props = this.opts.props;
    for (let i = 0; i < props.length; i++) {
      if (props[i].def.id !== id || (props[i].def.kind === 'sometimes') !== (verdict === 'witness')) continue;
      this.muted.push(i);
      this.sys.mute(i);
    }
  }

  /** The monitors muted so far (`decided`): muted again in a System made anew (`join`). */
  private readonly muted: number[] = [];

  private diverge(code: Divergence['code'], message: string, actors: string[], model: string): void {
    this.divergenceCount++;
    if (this.divergences.length < (this.opts.maxDivergences ?? Infinity)) this.divergences.push({ code, line: this.line, message, actors, model });
  }
}

/**
 * Whether `timers` holds `tm`: a loop the compiler inlines, where `includes` is a builtin
 * call (issue #5: a timeout line and each timer fired by its deadline ask once).
 */
function has(timers: readonly TimerName[], tm: TimerName): boolean {
  for (let k = 0; k < timers.length; k++) if (timers[k] === tm) return true;
  return false;
}

/** A message's JSON for a problem text: up to 300 characters (a credential fits whole), `…` when cut. */
function clip(json: string): string {
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

/** Index in `q` of the first message to `to` that matches `msg`, of kind `kind` (`msg.kind`, read once by the caller), or -1. */
function findFit(q: readonly Outgoing[] | undefined, to: string, msg: Message, kind: Message['kind']): number {
  if (!q) return -1;
  for (let k = 0; k < q.length; k++) if (q[k].to === to && matchesKind(q[k].msg, msg, kind)) return k;
  return -1;
}

/** `connecting (target sn2, timers connect)`: a local state in a few words. */
export function describe(l: Local): string {
  const c = l.ctx as unknown as Record<string, unknown>;
  const bits: string[] = [];
  if (typeof c.target === 'string') bits.push(`target ${c.target}`);
  if (Array.isArray(c.clients)) bits.push(`${(c.clients as { user: unknown }[]).filter((a) => a.user !== null).length} attached`);
  if (l.ctx.timers.length) bits.push(`timers ${l.ctx.timers.join(',')}`);
  return `${l.ctx.cfg.id}: ${l.value}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}
