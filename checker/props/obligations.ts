// Open obligations of a bounded-response property ("within N steps"), as
// monitor state. N counts global steps, the obliged actor's own steps, or clock
// ms. Indexed by the obliged actor, so an event costs O(actors it touched), not
// O(open obligations): a reattach storm opens thousands at once.
// The lists sit in an array indexed by actor, not a Map (issue #5): every
// observation asks each response monitor whether the actors it touched are
// obliged, and with a Map that lookup (`has`) was 2.7% of `snc check --hidden 2`
// on the 10M-line login-flood bench, whose storm keeps thousands of obligations
// open (0.9% as an array). An actor whose
// obligations are all closed keeps the shared empty list; the array is as long
// as the highest actor index ever obliged, and is filled in order (never
// written past its end: V8 would turn it into a slow dictionary).
import type { MonitorState } from '../system/state.js';
import type { Measure } from './types.js';

export interface Obligation {
  /** The obliged actor (index). */
  readonly actor: number;
  /** The other party (e.g. the failed upstream, the auth server), or -1. */
  readonly other: number;
  /** Step or time at which it opened. */
  readonly start: number;
  /** Steps the obliged actor has taken since (measure `actor`). */
  readonly count: number;
}

/** The shared empty result of takeExpired (never pushed to: a fresh array replaces it). */
const NONE: Obligation[] = [];

/** Whether one of `l` is towards `other`. */
function towards(l: readonly Obligation[], other: number): boolean {
  for (let k = 0; k < l.length; k++) if (l[k].other === other) return true;
  return false;
}

export class Obligations implements MonitorState {
  /** Open obligations by obliged actor (the shared empty list, or past the end: none). Copied before the first write after a clone. */
  private byActor: Obligation[][];
  private shared = false;
  /** Actors with at least one open obligation (entries of byActor whose list is not empty). */
  private count = 0;
  /** Lower bound of the open obligations' start (global/time measures). */
  private earliest = Infinity;

  constructor(readonly measure: Measure, readonly within: number, byActor?: Obligation[][]) {
    this.byActor = byActor ?? [];
  }

  /** O(1): copy-on-write. */
  clone(): Obligations {
    this.shared = true;
    const c = new Obligations(this.measure, this.within, this.byActor);
    c.shared = true;
    c.count = this.count;
    c.earliest = this.earliest;
    return c;
  }

  private write(): Obligation[][] {
    if (this.shared) { this.byActor = this.byActor.slice(); this.shared = false; }
    return this.byActor;
  }

  /** Every open obligation, in actor order then opening order. */
  get list(): Obligation[] {
    const out: Obligation[] = [];
    for (const l of this.byActor) out.push(...l);
    return out;
  }

  /** The number of actors with an open obligation. */
  get size(): number { return this.count; }

  /** With nothing open, as a new one (keys left with empty lists, and a stale `earliest`, change no result). */
  fresh(): boolean { return this.count === 0; }

  key(step: number, time: number, ids: readonly string[]): string {
    if (!this.count) return '';
    const name = (i: number) => (i >= 0 ? JSON.stringify(ids[i]) : '-');
    return this.list.map((o) => `${name(o.actor)}:${name(o.other)}:${this.age(o, step, time)}`).sort().join(',');
  }

  age(o: Obligation, step: number, time: number): number {
    return this.measure === 'global' ? step - o.start : this.measure === 'time' ? time - o.start : o.count;
  }

  /** Open obligations of `actor` (empty array when none). */
  of(actor: number): readonly Obligation[] {
    return this.byActor[actor] ?? NONE;
  }

  /** Whether `actor` has an open obligation (towards `other`, when given). */
  has(actor: number, other?: number): boolean {
    // Nothing open (most observations of a quiet hour): answered without reading byActor, a pointer an actor that
    // is not in cache for the actor of a random event (several monitors ask at every observation of a client).
    if (this.count === 0) return false;
    const l = actor < this.byActor.length ? this.byActor[actor] : undefined;
    return l !== undefined && l.length > 0 && (other === undefined || towards(l, other));
  }

  /** Opens an obligation of `actor` towards `other` unless one is already open. */
  open(actor: number, other: number, step: number, time: number): void {
    if (this.has(actor, other)) return;
    const start = this.measure === 'time' ? time : step;
    const m = this.write();
    while (m.length <= actor) m.push(NONE);
    const l = m[actor];
    if (!l.length) this.count++;
    m[actor] = [...l, { actor, other, start, count: 0 }];
    if (start < this.earliest) this.earliest = start;
  }

  /** Closes `actor`'s obligations (towards `other`, when given): the response happened, or it is excused. */
  discharge(actor: number, other?: number): void {
    // One lookup, no closure (login-answered discharges on every answer auth sends); none with nothing open (has).
    if (this.count === 0) return;
    const l = actor < this.byActor.length ? this.byActor[actor] : undefined;
    if (!l || !l.length || (other !== undefined && !towards(l, other))) return;
    const m = this.write();
    const rest = other === undefined || l.length === 1 ? NONE : l.filter((o) => o.other !== other);
    m[actor] = rest;
    if (!rest.length) this.count--;
  }

  /** Counts a step of `actor` (measure `actor`). */
  tick(actor: number): void {
    if (this.measure !== 'actor' || !this.has(actor)) return;
    const m = this.write();
    // Lists are shared between clones, so a fresh one; records built field by field (one shape: a
    // spread of them went megamorphic on the checker's hot path, issue #5).
    const l = m[actor];
    const next = new Array<Obligation>(l.length);
    for (let k = 0; k < l.length; k++) { const o = l[k]; next[k] = { actor: o.actor, other: o.other, start: o.start, count: o.count + 1 }; }
    m[actor] = next;
  }

  /**
   * Removes and returns the obligations whose deadline has passed. With the
   * `actor` measure only `touched` actors can have moved (O(touched)); with
   * global/time a full scan happens only when the earliest one is due.
   */
  takeExpired(step: number, time: number, touched?: readonly { readonly idx: number }[]): Obligation[] {
    if (!this.count) return NONE;
    let gone: Obligation[] = NONE;
    if (this.measure === 'actor' && touched) {
      for (let k = 0; k < touched.length; k++) gone = this.sweep(touched[k].idx, step, time, gone);
      return gone;
    }
    const now = this.measure === 'time' ? time : step;
    if (this.measure !== 'actor' && now - this.earliest <= this.within) return gone;
    const n = this.byActor.length;
    for (let a = 0; a < n; a++) gone = this.sweep(a, step, time, gone);
    let earliest = Infinity;
    for (let a = 0; a < n; a++) for (const o of this.byActor[a]) if (o.start < earliest) earliest = o.start;
    this.earliest = earliest;
    return gone;
  }

  /** Moves `actor`'s expired obligations to `gone` (a fresh array replaces the shared empty one). */
  private sweep(actor: number, step: number, time: number, gone: Obligation[]): Obligation[] {
    const l = actor < this.byActor.length ? this.byActor[actor] : undefined;
    if (!l) return gone;
    // Indexed: called per touched actor and response monitor at every event, where `for…of` allocated an
    // array iterator each time (~300 bytes per event of the simulator's storms, a sixth of what it allocates).
    const n = l.length;
    let expired = 0;
    for (let k = 0; k < n; k++) if (this.age(l[k], step, time) > this.within) expired++;
    if (!expired) return gone;
    const m = this.write();
    const keep: Obligation[] = [];
    if (gone === NONE) gone = [];
    for (let k = 0; k < n; k++) {
      const o = l[k];
      if (this.age(o, step, time) > this.within) gone.push(o);
      else keep.push(o);
    }
    if (keep.length) m[actor] = keep;
    else { m[actor] = NONE; this.count--; }
    return gone;
  }

  /** Removes and returns every open obligation. */
  takeAll(): Obligation[] {
    const all = this.list;
    this.byActor = [];
    this.shared = false;
    this.count = 0;
    this.earliest = Infinity;
    return all;
  }
}
