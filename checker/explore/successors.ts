// Cached transitions for the explorer's BFS: a delivery or a timer firing at
// one actor, taken from a state whose property monitors are all as good as
// new (`MonitorState.fresh`: on the main preset, every state), usually does
// the same thing wherever it happens: the actor's (interned) local state
// becomes another, the delivered message leaves the network, the actor's
// outbox is sent, the monitors give the same verdicts and end fresh again.
// The first time such a transition is taken it is applied the ordinary way
// (a clone of the state, System and the monitors: `probe`), and what it did
// is kept (`Transition`), keyed by the actor's local state and the message
// (or the timer action, which actions.ts makes per local state). Afterwards
// the BFS takes the verdicts from it, computes the successor's fingerprint
// from its parent's (Fingerprinter.step) and, only when the successor is new,
// writes it to the packed queue from its parent's record (queue.ts
// `pushStep`; `materialize` builds it as a SysState, for symmetry reduction,
// which fingerprints whole states): no clone, observation or monitor call.
//
// A transition is kept only when its effect cannot depend on the rest of the
// state: nothing but the actor's local state and the network changed (no host
// went down, so a self-crash is not kept), no message went to a standby actor
// (sent once it has joined, lost at once before), every monitor ends fresh, and no
// monitor read the state beyond the observation. The probe's System feeds its
// monitors the state and the event through proxies that note what each reads:
// anything of the state but `step` and `time` (its locals, network, monitors…),
// or the event's `t` or `mid`, makes the transition uncacheable; so does
// reading `step` or `time` in a monitor that gave a verdict. A monitor that
// reads the clock and ends fresh without a verdict is taken to have kept
// nothing of it (true of the catalogue: the clock only stamps the obligations
// and departures it records, and a monitor holding one is not fresh).
// An uncacheable transition is applied the ordinary way every time. Not
// cached at all: inputs and faults (they spend budget), and transitions from
// a partitioned state (a send there may be cut) or with monitors not all fresh.
import type { Local } from '../../models/index.js';
import type { Message } from '../../schemas/generated/trace.js';
import { applyAction, type Action } from './actions.js';
import { hashLocal, messageKey, messageLanes } from './fingerprint.js';
import { SysState, type InFlight, type MonitorState, type Mid } from '../system/state.js';
import { PackedNet } from '../system/packed-net.js';
import { System, observation, type Applied, type Observation } from '../system/system.js';
import type { PropertyInstance, Verdict } from '../props/types.js';

/** A message a cached transition sends: receiver, body, fingerprint lanes (as messageLanes gives them) and interned id. */
export interface Out {
  readonly to: number;
  readonly msg: Message;
  readonly fpa: number;
  readonly fpb: number;
  readonly tid: number;
}

/** What a delivery or a timer did, from a state with fresh monitors. */
export interface Transition {
  /** False: not cacheable, apply it the ordinary way (the other fields are unused). */
  readonly ok: boolean;
  /** The actor that stepped, and its local state before and after. */
  readonly actor: number;
  readonly before: Local | null;
  readonly next: Local | null;
  /** Its id (`localId`). */
  readonly nextId: number;
  /** The fingerprint lanes of `next`. */
  readonly ha: number;
  readonly hb: number;
  /** Messages sent, in send order, and the sums of their lanes. */
  readonly outs: readonly Out[];
  readonly outA: number;
  readonly outB: number;
  /** The verdicts, as the ordinary application gives them (`at`: index of the observation). */
  readonly verdicts: readonly (Verdict & { readonly at: number })[];
}

const GENERAL: Transition = { ok: false, actor: -1, before: null, next: null, nextId: -1, ha: 0, hb: 0, outs: [], outA: 0, outB: 0, verdicts: [] };

/** What the probe's monitors read, per monitor index. */
interface Reads { cur: number; state: boolean[]; clock: boolean[] }

export class Transitions {
  /** The same system with every monitor watched (see `watched`): used for a transition's first application. */
  private readonly probeSys: System;
  private readonly reads: Reads;
  /** Deliveries by receiver local state, then by the message's interned id. */
  private readonly byLocal = new Map<Local, Map<number, Transition>>();
  /** Timer firings by action object (one per local state and timer: checker/explore/actions.ts). */
  private readonly byTimer = new Map<Action, Transition>();
  /** Interned ids of messages by canonical text (sender, receiver, body), and the first message in flight seen with each. */
  private readonly tids = new Map<string, number>();
  readonly tidMsg: InFlight[] = [];
  /** Ids of local states (by identity; interned ones are shared by every state that has them), and the states by id. */
  private readonly localIds = new Map<Local, number>();
  readonly localOf: Local[] = [];
  /** The fingerprint lanes of each local state, by id. */
  readonly localA: number[] = [];
  readonly localB: number[] = [];
  /** Per actor index, the last local state looked up and its row (siblings share most). */
  private readonly lastL: (Local | null | undefined)[] = [];
  private readonly lastRow: (Map<number, Transition> | undefined)[] = [];
  /** Transitions applied the ordinary way to be kept (or found uncacheable), and kept ones. */
  probes = 0;
  kept = 0;

  constructor(private readonly sys: System) {
    const reads: Reads = { cur: -1, state: sys.props.map(() => false), clock: sys.props.map(() => false) };
    this.reads = reads;
    this.probeSys = new System(sys.topo, sys.props.map((p, i) => watched(p, i, reads)), sys.opts);
  }

  /** The interned id of a message in flight (cached on it). */
  tidOf(m: InFlight): number {
    let t = m.tid;
    if (t === undefined) {
      const k = messageKey(this.sys, m);
      t = this.tids.get(k);
      if (t === undefined) {
        t = this.tids.size;
        this.tids.set(k, t);
        messageLanes(m);
        this.tidMsg.push(m);
      }
      m.tid = t;
    }
    return t;
  }

  /** The id of a local state (null: -1). */
  localId(l: Local | null): number {
    if (l === null) return -1;
    let id = this.localIds.get(l);
    if (id === undefined) {
      id = this.localOf.length;
      this.localIds.set(l, id);
      this.localOf.push(l);
      const h = hashLocal(this.sys, l);
      this.localA.push(h[0]);
      this.localB.push(h[1]);
    }
    return id;
  }

  /** The transition that delivers `m` at `st`: undefined when not known yet (`probe` it). */
  deliver(st: SysState, m: InFlight): Transition | undefined {
    const r = m.to;
    const l = st.locals[r];
    if (l === null) return GENERAL;
    let row = this.lastRow[r];
    if (this.lastL[r] !== l || row === undefined) {
      row = this.byLocal.get(l);
      if (row === undefined) { row = new Map(); this.byLocal.set(l, row); }
      this.lastL[r] = l;
      this.lastRow[r] = row;
    }
    return row.get(this.tidOf(m));
  }

  /** The transition of a timeout action at `st`: undefined when not known yet. */
  timeout(st: SysState, a: Action & { kind: 'timeout' }): Transition | undefined {
    const e = this.byTimer.get(a);
    return e === undefined || e.before === st.locals[a.actor] ? e : GENERAL;
  }

  /**
   * Applies `a` (a delivery of `m`, or a timeout) to a clone of `st`, whose
   * monitors are all fresh, the ordinary way (effects into `acc`), and keeps
   * what it did for the next time. Returns the successor.
   */
  probe(st: SysState, a: Action, m: InFlight | undefined, acc: Applied): SysState {
    this.probes++;
    const r = this.reads;
    r.state.fill(false);
    r.clock.fill(false);
    const next = st.clone();
    const lost = this.probeSys.lostToStandby;
    applyAction(this.probeSys, next, a, acc);
    // A message to a standby actor is sent or lost at once depending on whether it has joined: not the actor's alone.
    const e = this.probeSys.lostToStandby !== lost ? GENERAL : this.judge(st, next, acc, a.kind === 'deliver' ? m!.to : (a as { actor: number }).actor, m);
    if (e.ok) this.kept++;
    if (a.kind === 'deliver') {
      const l = st.locals[m!.to]!;
      let row = this.byLocal.get(l);
      if (row === undefined) { row = new Map(); this.byLocal.set(l, row); }
      row.set(this.tidOf(m!), e);
    }
    else if (a.kind === 'timeout') this.byTimer.set(a, e);
    return next;
  }

  /** A kept Transition for a probed step, or GENERAL when its effect may depend on more than the actor and message. */
  private judge(st: SysState, next: SysState, acc: Applied, actor: number, m: InFlight | undefined): Transition {
    if (next.down !== st.down || next.budget !== st.budget || next.partitioned !== st.partitioned) return GENERAL;
    if (!(st.net instanceof PackedNet) || !(next.net instanceof PackedNet)) return GENERAL;
    const n = st.locals.length;
    for (let i = 0; i < n; i++) if (i !== actor && next.locals[i] !== st.locals[i]) return GENERAL;
    const before = st.locals[actor];
    const after = next.locals[actor];
    if (!before || !after) return GENERAL;
    const props = this.sys.props;
    for (let i = 0; i < props.length; i++) {
      const mon: MonitorState = next.monitors[i];
      if (!mon.fresh?.() || this.reads.state[i]) return GENERAL;
      if (this.reads.clock[i] && acc.verdicts.some((v) => v.property === props[i].def.id)) return GENERAL;
    }
    // The network: the parent's messages in order without `m`, then the actor's sends with the next ids.
    const was = [...st.net.values()].filter((x) => x !== m);
    const now = [...next.net.values()];
    if (now.length < was.length) return GENERAL;
    for (let i = 0; i < was.length; i++) if (now[i] !== was[i]) return GENERAL;
    const outs: Out[] = [];
    let outA = 0;
    let outB = 0;
    for (let k = was.length; k < now.length; k++) {
      const o = now[k];
      if (o.from !== actor || o.mid !== st.nextMid + outs.length || this.sys.standby.has(o.to)) return GENERAL;
      messageLanes(o);
      const out: Out = { to: o.to, msg: o.msg, fpa: o.fpa!, fpb: o.fpb!, tid: this.tidOf(o) };
      outs.push(out);
      outA += out.fpa;
      outB += out.fpb;
    }
    if (next.nextMid !== st.nextMid + outs.length || next.step !== st.step + 1 || next.time !== st.time) return GENERAL;
    const h = hashLocal(this.sys, after);
    return { ok: true, actor, before, next: after, nextId: this.localId(after), ha: h[0], hb: h[1], outs, outA, outB, verdicts: acc.verdicts.slice() };
  }
}

/**
 * The successor of `st` by a kept transition `e` (delivering `m`, or a timer
 * when `m` is undefined), built directly, with `monitors` (the shared fresh ones).
 */
export function materialize(st: SysState, m: InFlight | undefined, e: Transition, monitors: MonitorState[]): SysState {
  const locals = st.locals.slice();
  locals[e.actor] = e.next;
  const net = (st.net as unknown as PackedNet).successor(m, e.actor, e.outs, st.nextMid) as unknown as Map<Mid, InFlight>;
  return new SysState(locals, net, st.nextMid + e.outs.length, st.budget, monitors, st.down, st.partitioned, st.step + 1, st.time);
}

/** `p`, with what its `observe` reads of the state and the event noted in `reads` (under monitor index `i`). */
function watched(p: PropertyInstance, i: number, reads: Reads): PropertyInstance {
  const stHandler: ProxyHandler<SysState> = {
    get(target, k) {
      if (k === 'step' || k === 'time') reads.clock[reads.cur] = true;
      else reads.state[reads.cur] = true;
      return (target as unknown as Record<string | symbol, unknown>)[k];
    },
  };
  const evHandler: ProxyHandler<Observation['ev']> = {
    get(target, k) {
      if (k === 't' || k === 'mid') reads.state[reads.cur] = true;
      return (target as unknown as Record<string | symbol, unknown>)[k];
    },
  };
  return {
    def: p.def,
    params: p.params,
    init: () => p.init(),
    ...(p.reads ? { reads: p.reads } : {}),
    observe(m, o, st, sys) {
      reads.cur = i;
      const seen = observation(new Proxy(o.ev, evHandler), o.type, o.msg, o.from, o.to, o.touched, o.taken);
      return p.observe(m, seen, new Proxy(st, stHandler), sys);
    },
  };
}
