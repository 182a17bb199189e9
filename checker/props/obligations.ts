// Open obligations of a bounded-response property ("within N steps"), as
// monitor state. N counts global steps, the obliged actor's own steps, or clock
// ms. Indexed by the obliged actor, so an event costs O(actors it touched), not
// O(open obligations): a reattach storm opens thousands at once.
// An actor whose obligations are all closed keeps its key, with the shared
// empty list (issue #5): deleting the key, on every discharge, made V8 rebuild
// the Map's hash table each time (a Map shrinks on delete), and those tables
// were a tenth of what `snc check` promoted to the old generation. Keys are
// dropped only by the full scans of takeExpired, so the Map is bounded by the
// actors ever obliged.
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
  /** Open obligations by obliged actor. Copied before the first write after a clone. */
  private byActor: Map<number, Obligation[]>;
  private shared = false;
  /** Actors with at least one open obligation (keys of byActor whose list is not empty). */
  private count = 0;
  /** Lower bound of the open obligations' start (global/time measures). */
  private earliest = Infinity;

  constructor(readonly measure: Measure, readonly within: number, byActor?: Map<number, Obligation[]>) {
    this.byActor = byActor ?? new Map();
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

  private write(): Map<number, Obligation[]> {
    if (this.shared) { this.byActor = new Map(this.byActor); this.shared = false; }
    return this.byActor;
  }

  /** Every open obligation, in actor order then opening order. */
  get list(): Obligation[] {
    return [...this.byActor.keys()].sort((a, b) => a - b).flatMap((a) => this.byActor.get(a)!);
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
    return this.byActor.get(actor) ?? [];
  }

  /** Whether `actor` has an open obligation (towards `other`, when given). */
  has(actor: number, other?: number): boolean {
    const l = this.byActor.get(actor);
    return l !== undefined && l.length > 0 && (other === undefined || towards(l, other));
  }

  /** Opens an obligation of `actor` towards `other` unless one is already open. */
  open(actor: number, other: number, step: number, time: number): void {
    if (this.has(actor, other)) return;
    const start = this.measure === 'time' ? time : step;
    const m = this.write();
    const l = m.get(actor);
    if (!l || !l.length) this.count++;
    m.set(actor, [...(l ?? []), { actor, other, start, count: 0 }]);
    if (start < this.earliest) this.earliest = start;
  }

  /** Closes `actor`'s obligations (towards `other`, when given): the response happened, or it is excused. */
  discharge(actor: number, other?: number): void {
    // One lookup, no closure (login-answered discharges on every answer auth sends).
    const l = this.byActor.get(actor);
    if (!l || !l.length || (other !== undefined && !towards(l, other))) return;
    const m = this.write();
    const rest = other === undefined || l.length === 1 ? NONE : l.filter((o) => o.other !== other);
    m.set(actor, rest);
    if (!rest.length) this.count--;
  }

  /** Counts a step of `actor` (measure `actor`). */
  tick(actor: number): void {
    if (this.measure !== 'actor' || !this.has(actor)) return;
    const m = this.write();
    // Lists are shared between clones, so a fresh one; records built field by field (one shape: a
    // spread of them went megamorphic on the checker's hot path, issue #5).
    const l = m.get(actor)!;
    const next = new Array<Obligation>(l.length);
    for (let k = 0; k < l.length; k++) { const o = l[k]; next[k] = { actor: o.actor, other: o.other, start: o.start, count: o.count + 1 }; }
    m.set(actor, next);
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
    const actors = [...this.byActor.keys()].sort((x, y) => x - y);
    for (const a of actors) gone = this.sweep(a, step, time, gone);
    let earliest = Infinity;
    for (const a of actors) {
      const l = this.byActor.get(a)!;
      if (!l.length) { this.write().delete(a); continue; } // the rare path: keys of closed lists go here
      for (const o of l) if (o.start < earliest) earliest = o.start;
    }
    this.earliest = earliest;
    return gone;
  }

  /** Moves `actor`'s expired obligations to `gone` (a fresh array replaces the shared empty one). */
  private sweep(actor: number, step: number, time: number, gone: Obligation[]): Obligation[] {
    const l = this.byActor.get(actor);
    if (!l) return gone;
    let expired = false;
    for (const o of l) if (this.age(o, step, time) > this.within) { expired = true; break; }
    if (!expired) return gone;
    const m = this.write();
    const keep = l.filter((o) => this.age(o, step, time) <= this.within);
    if (gone === NONE) gone = [];
    for (const o of l) if (this.age(o, step, time) > this.within) gone.push(o);
    if (keep.length) m.set(actor, keep);
    else { m.set(actor, NONE); this.count--; }
    return gone;
  }

  /** Removes and returns every open obligation. */
  takeAll(): Obligation[] {
    const all = this.list;
    this.byActor = new Map();
    this.shared = false;
    this.count = 0;
    this.earliest = Infinity;
    return all;
  }
}
