// The Informal Trace Format (ITF, Apalache ADR-015, as Quint reads and
// writes it): values and the per-event states of a supernode trace.
//
// Encoding (ADR-015, revision 2023-09-14): every integer is `{"#bigint": "n"}`
// (JSON numbers are not used); a number that is not an integer, which ITF
// cannot express (a fractional `t`: the trace format allows any t ≥ 0), is
// `{"#unserializable": "1.5"}`, String(n), which `fromItf` reads back as the
// same number (Quint reads it as a name); records are JSON objects;
// sets `{"#set": [...]}`; maps `{"#map": [[k, v], ...]}`; a tagged union (an
// event, a message) is a Quint-style variant `{"tag": "send", "value": {...}}`.
//
// State variables (one state per trace event, plus the initial state 0):
//   t         time of the last event (0 initially), in the header's clock
//   event     the last event as a variant (`init` in state 0)
//   inFlight  set of messages sent and not yet delivered or dropped
//   dropped   set of messages the network lost (`drop` events)
//   hostsDown set of crashed hosts not yet restarted
//   actors    map actor id → { role, host, present, up, lastSent, lastReceived, observed }
import type { Actor, Event, Header, Message } from '../../schemas/generated/trace.js';

export type ItfValue = boolean | string | ItfValue[] | { readonly [k: string]: ItfValue };
export interface ItfState { readonly '#meta': { readonly index: number; readonly line: number }; readonly [v: string]: ItfValue | { index: number; line: number } }

/** The state variables, in the order every state lists them. */
export const ITF_VARS = ['t', 'event', 'inFlight', 'dropped', 'hostsDown', 'actors'] as const;

/** Fields that may be null (`supernode`, `upstream`): written as Quint options, `Some(x)` / `None`. */
const NULLABLE = new Set(['supernode', 'upstream']);

/** A JSON value as ITF: integers as #bigint, other numbers #unserializable, objects as records, null as None. */
export function itf(v: unknown): ItfValue {
  if (typeof v === 'number') return Number.isInteger(v) ? { '#bigint': BigInt(v).toString() } : { '#unserializable': String(v) };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === null || v === undefined) return { tag: 'None', value: { '#tup': [] } };
  if (Array.isArray(v)) return v.map(itf);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, NULLABLE.has(k) && x !== null ? { tag: 'Some', value: itf(x) } : itf(x)]));
}

const variant = (tag: string, value: ItfValue): ItfValue => ({ tag, value });
const UNIT: ItfValue = { '#tup': [] };
/** A message (or an input) as a variant: tag = kind, value = its other fields. */
export function itfMessage(msg: Message): ItfValue {
  const { kind, ...fields } = msg as { kind: string } & Record<string, unknown>;
  return variant(kind, itf(fields));
}
/** An event as a variant: tag = type, value = its fields (a send's `msg` and an input's `input` as variants by kind). */
export function itfEvent(ev: Event): ItfValue {
  const { type, t: _t, ...fields } = ev as unknown as { type: string; t: number } & Record<string, unknown>;
  const value = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, k === 'msg' || k === 'input' ? itfMessage(x as Message) : (itf({ [k]: x }) as Record<string, ItfValue>)[k]]));
  return variant(type, value);
}

interface ActorView { role: string; host: string; present: boolean; up: boolean; lastSent: string; lastReceived: string; observed: string }
interface Flight { mid: string | number; from: string; to: string; msg: Message }
const flight = (f: Flight): ItfValue => ({ mid: itf(f.mid), from: f.from, to: f.to, msg: itfMessage(f.msg) });
const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Folds the events of one trace into ITF states. Memory: the actor table and
 * the messages in flight, as the trace validator keeps; the dropped set grows
 * with the drops.
 */
export class ItfStates {
  private t = 0;
  private index = 0;
  private readonly actors = new Map<string, ActorView>();
  private readonly inFlight = new Map<string | number, Flight>();
  private readonly dropped: Flight[] = [];
  private readonly down = new Set<string>();

  constructor(header: Header) {
    for (const a of header.actors) this.add(a, true);
  }

  private add(a: Actor, present: boolean): void {
    this.actors.set(a.id, { role: a.role, host: a.host ?? a.id, present, up: true, lastSent: '', lastReceived: '', observed: '' });
  }

  /** State 0: before any event. */
  initial(): ItfState {
    return this.state(variant('init', UNIT), 1);
  }

  /** The state after `ev` (found on `line`). */
  next(ev: Event, line: number): ItfState {
    this.index++;
    this.t = ev.t;
    const actor = (id: string) => this.actors.get(id);
    switch (ev.type) {
      case 'send':
        this.inFlight.set(ev.mid, { mid: ev.mid, from: ev.from, to: ev.to, msg: ev.msg });
        if (actor(ev.from)) actor(ev.from)!.lastSent = ev.msg.kind;
        break;
      case 'deliver': {
        const f = this.inFlight.get(ev.mid);
        this.inFlight.delete(ev.mid);
        if (f && actor(f.to)) actor(f.to)!.lastReceived = f.msg.kind;
        break;
      }
      case 'drop': {
        const f = this.inFlight.get(ev.mid);
        this.inFlight.delete(ev.mid);
        if (f) this.dropped.push(f);
        break;
      }
      case 'crash':
      case 'restart':
        if (ev.type === 'crash') this.down.add(ev.host); else this.down.delete(ev.host);
        for (const a of this.actors.values()) if (a.host === ev.host) a.up = ev.type === 'restart';
        break;
      case 'join': this.add(ev.actor, true); break;
      case 'leave': if (actor(ev.actor)) actor(ev.actor)!.present = false; break;
      case 'observe': if (actor(ev.actor)) actor(ev.actor)!.observed = ev.state; break;
      default: break;
    }
    return this.state(itfEvent(ev), line);
  }

  private state(event: ItfValue, line: number): ItfState {
    return {
      '#meta': { index: this.index, line },
      t: itf(this.t),
      event,
      inFlight: { '#set': [...this.inFlight.values()].map(flight) },
      dropped: { '#set': this.dropped.map(flight) },
      hostsDown: { '#set': [...this.down].sort() },
      actors: { '#map': byKey(this.actors).map(([id, a]) => [id, { ...a } as unknown as ItfValue]) },
    };
  }
}

/** The inverse of {@link itf} for plain data: #bigint → number, None → null, Some(x) → x (for tests and readers). */
export function fromItf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromItf);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o['#bigint'] === 'string') return Number(o['#bigint']);
  if (typeof o['#unserializable'] === 'string') return Number(o['#unserializable']);
  if (Array.isArray(o['#set'])) return (o['#set'] as unknown[]).map(fromItf);
  if (Array.isArray(o['#map'])) return new Map((o['#map'] as [unknown, unknown][]).map(([k, x]) => [fromItf(k), fromItf(x)]));
  if (o.tag === 'None' && isUnit(o.value)) return null;
  if (o.tag === 'Some' && 'value' in o && Object.keys(o).length === 2) return fromItf(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromItf(x)]));
}

const isUnit = (v: unknown) => typeof v === 'object' && v !== null && Array.isArray((v as Record<string, unknown>)['#tup']) && ((v as Record<string, unknown[]>)['#tup']).length === 0;
