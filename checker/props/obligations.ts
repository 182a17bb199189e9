// Open obligations of a bounded-response property ("within N steps"), as
// monitor state. N counts global steps, the obliged actor's own steps, or clock
// ms. Obligations open in step order, so expired ones (global/time) are always
// a prefix of the list and the per-event cost is O(1) amortised.
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

export class Obligations implements MonitorState {
  constructor(readonly measure: Measure, readonly within: number, public list: Obligation[] = []) {}

  /** O(1): the list is never mutated in place, only replaced. */
  clone(): Obligations {
    return new Obligations(this.measure, this.within, this.list);
  }

  key(step: number, time: number, ids: readonly string[]): string {
    if (!this.list.length) return '';
    const name = (i: number) => (i >= 0 ? JSON.stringify(ids[i]) : '-');
    return this.list.map((o) => `${name(o.actor)}:${name(o.other)}:${this.age(o, step, time)}`).sort().join(',');
  }

  age(o: Obligation, step: number, time: number): number {
    return this.measure === 'global' ? step - o.start : this.measure === 'time' ? time - o.start : o.count;
  }

  /** Whether `actor` has an open obligation (towards `other`, when given). */
  has(actor: number, other?: number): boolean {
    for (const o of this.list) if (o.actor === actor && (other === undefined || o.other === other)) return true;
    return false;
  }

  /** Opens an obligation of `actor` towards `other` unless one is already open. */
  open(actor: number, other: number, step: number, time: number): void {
    if (this.has(actor, other)) return;
    this.list = [...this.list, { actor, other, start: this.measure === 'time' ? time : step, count: 0 }];
  }

  /** Closes `actor`'s obligations (towards `other`, when given): the response happened, or it is excused. */
  discharge(actor: number, other?: number): void {
    if (this.has(actor, other)) this.list = this.list.filter((o) => !(o.actor === actor && (other === undefined || o.other === other)));
  }

  /** Counts a step of `actor` (measure `actor`). */
  tick(actor: number): void {
    if (this.measure !== 'actor' || !this.has(actor)) return;
    this.list = this.list.map((o) => (o.actor === actor ? { ...o, count: o.count + 1 } : o));
  }

  /** Removes and returns the obligations whose deadline has passed. */
  takeExpired(step: number, time: number): Obligation[] {
    if (!this.list.length) return [];
    if (this.measure === 'actor') {
      const gone = this.list.filter((o) => o.count > this.within);
      if (gone.length) this.list = this.list.filter((o) => o.count <= this.within);
      return gone;
    }
    let k = 0;
    while (k < this.list.length && this.age(this.list[k], step, time) > this.within) k++;
    if (!k) return [];
    const gone = this.list.slice(0, k);
    this.list = this.list.slice(k);
    return gone;
  }
}
