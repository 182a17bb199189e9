// A parser for the event lines recorders write most, in their plainest
// spelling, that skips JSON.parse and the schema: on the login-flood bench
// (issue #5) JSON.parse alone was a fifth of `snc check`, and the schema
// validators, the actor-id lookups and the megamorphic loads on JSON.parse's
// objects much of the validator's remaining time.
//
// It accepts only lines that are, character for character up to the message, one of
//   {"type":"send","t":N,"from":"A","to":"A","mid":M,"msg":{"kind":"K"…}}
//   {"type":"deliver","t":N,"mid":M}      {"type":"drop","t":N,"mid":M}
//   {"type":"timeout","t":N,"actor":"A","timer":"T"}
//   {"type":"input","t":N,"actor":"A","input":{"kind":"Login"}}   (an input without variable content)
// N: a non-negative integer in plain decimal (no sign, fraction, exponent or
// leading zero; at most 15 digits, so exactly the number JSON.parse reads);
// M: such an integer or a plain string of at most 256 characters; A: a plain
// string of 1 to 256 characters; T: a timer name of the schema; a plain string
// has no quote, backslash or control character, so its text is its value.
// `msg` is a message of a kind without variable content (`{"kind":"Keepalive"}`,
// `{"kind":"ConnectReject","reason":"busy"}`: every such text of the schema,
// one shared frozen object each, as the models' own constant messages are), a
// LoginRequest, Register, LoginOk, ConnectAck or OfflineImBatch spelt the same
// plain way (their fields in the schema's order), or any other JSON object
// that is a schema-valid Message (parsed and validated alone). Such a line is
// schema-valid, and the object returned is the one JSON.parse gives (same
// keys, same order, same values). Anything else (another spacing or key
// order before the message, another event type, a string to unescape, a
// number to round) returns null, and the caller takes the general path:
// JSON.parse and the schema. (Spacing inside and after a send's message is
// left to the message's check, JSON.parse with the schema for a message of
// no plain form, so `{"kind":"Keepalive"} }` is taken here, as JSON.parse
// would read it.)
//
// How: one regular expression per form checks the line (a send's up to its
// message's kind, the message's own expression or its schema the rest; V8
// compiles them to native code: comparing the literal parts a character at a
// time in JavaScript cost more than JSON.parse saved); the fields are then
// read at positions the form fixes. Actor ids are looked up in a table of the trace's
// actors (`addActor`): a known id costs no string allocation, and the event
// carries the header's own string for it (whose hash V8 has computed), so the
// `Map` lookups by id downstream are cheap. `unknownIds` says whether the last
// line returned named an id not in the table (the validator then checks it).
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import type { Event, Input, Message } from '../../schemas/generated/trace.js';
import { traceValidators } from './schema.js';

/** N, an id (A), a mid (M) and a plain string of any length, as regular-expression source. */
const N = '(?:0|[1-9][0-9]{0,14})';
const A = '[^"\\\\\\x00-\\x1f]{1,256}';
const M = `(?:${N}|"[^"\\\\\\x00-\\x1f]{0,256}")`;
const S = '[^"\\\\\\x00-\\x1f]*';

interface SchemaNode {
  const?: unknown; enum?: unknown[]; properties?: Record<string, SchemaNode>; required?: string[];
  oneOf?: SchemaNode[]; additionalProperties?: boolean;
}
const defs = traceSchema.$defs as unknown as Record<string, SchemaNode>;
const TIMER_NAMES = (defs.TimerName.enum ?? []) as string[];

const SETTLE = new RegExp(`^\\{"type":"(?:deliver|drop)","t":${N},"mid":${M}\\}$`);
const TIMEOUT = new RegExp(`^\\{"type":"timeout","t":${N},"actor":"${A}","timer":"(?:${TIMER_NAMES.join('|')})"\\}$`);
const INPUT = new RegExp(`^\\{"type":"input","t":${N},"actor":"${A}","input":\\{"kind":"[A-Za-z]+"(?:,.*)?\\}\\}$`);
/**
 * A send line up to its message's kind. The rest, `Kind"…}}` to the end of the line, is
 * checked by the message's own expression (each ends with `\\}\\}$`), or parsed with the
 * schema (`message`): once per line, not also here.
 */
const SEND = new RegExp(`^\\{"type":"send","t":${N},"from":"${A}","to":"${A}","mid":${M},"msg":\\{"kind":"`);
const LOGIN_REQUEST = new RegExp(`\\{"kind":"LoginRequest","user":"(${S})","password":"(${S})"\\}\\}$`, 'y');
const LOGIN_REQUEST_USER = '{"kind":"LoginRequest","user":"'.length;
const CREDENTIAL = `\\{"user":"(${S})","issuedAt":(${N}),"expiresAt":(${N}),"sig":"(${S})"\\}`;
const REGISTER = new RegExp(`\\{"kind":"Register","credential":${CREDENTIAL}\\}\\}$`, 'y');
const LOGIN_OK = new RegExp(`\\{"kind":"LoginOk","credential":${CREDENTIAL}\\}\\}$`, 'y');
/** ConnectAck's `supernodes`: at most 1000 ids (maxItems), checked when they are read. */
const CONNECT_ACK = new RegExp(`\\{"kind":"ConnectAck","supernodes":\\[(?:"${A}"(?:,"${A}")*)?\\]\\}\\}$`, 'y');
const CONNECT_ACK_HEAD = '{"kind":"ConnectAck","supernodes":['.length;
const MAX_ITEMS = 1000;
const IM_BATCH = new RegExp(`\\{"kind":"OfflineImBatch","count":(${N})\\}\\}$`, 'y');

/**
 * The JSON text of every value of a `kind` union (Message, Input) whose kind
 * has no variable content (each field a `const` or an `enum` of strings, all
 * required), to its shared object. Derived from the schema, so a new kind is
 * covered as it is.
 */
function constants<T>(union: SchemaNode): Map<string, T> {
  const out = new Map<string, T>();
  for (const branch of union.oneOf ?? []) {
    const props = branch.properties ?? {};
    const keys = Object.keys(props);
    if (branch.additionalProperties !== false || keys[0] !== 'kind' || typeof props.kind.const !== 'string') continue;
    if (keys.some((k) => !(branch.required ?? []).includes(k))) continue;
    let objs: Record<string, unknown>[] = [{ kind: props.kind.const }];
    let plain = true;
    for (const k of keys.slice(1)) {
      const vals = props[k].enum;
      if (!vals || !vals.every((v) => typeof v === 'string')) { plain = false; break; }
      objs = objs.flatMap((o) => (vals as string[]).map((v) => ({ ...o, [k]: v })));
    }
    if (!plain) continue;
    for (const o of objs) out.set(JSON.stringify(o), Object.freeze(o) as unknown as T);
  }
  return out;
}
const CONST_MSGS = constants<Message>(defs.Message);
/** Inputs without variable content (`{"kind":"Login"}`): an input line with another one takes the general path. */
const CONST_INPUTS = constants<Input>(defs.Input);
/** The same shared messages and inputs in a fixed order (the two threads of `snc check` number them alike: conform/wire.ts). */
export const CONST_MESSAGE_LIST: readonly Message[] = [...CONST_MSGS.values()];
export const CONST_INPUT_LIST: readonly Input[] = [...CONST_INPUTS.values()];
/**
 * The same messages by a key of their length and five characters, and an
 * expression that matches exactly their texts, followed by the event's `}`:
 * once the expression has matched at a position, the key tells which text it
 * was, with no string built or hashed. Used only if the key tells every text
 * apart (else the text is looked up in CONST_MSGS).
 */
const constKey = (text: string, s: number, e: number) =>
  constKeyOf(e - s, text.charCodeAt(s + 9), text.charCodeAt(s + 10), text.charCodeAt(s + 11), text.charCodeAt(e - 3), text.charCodeAt(e - 4));
/** The key's formula, from the text's length and those five characters (FastEvents.constKey reads them from a line's bytes). */
function constKeyOf(len: number, a: number, b: number, c: number, d: number, f: number): number {
  let h = Math.imul(len, 131) + a;
  h = Math.imul(h, 131) + b;
  h = Math.imul(h, 131) + c;
  h = Math.imul(h, 131) + d;
  return (Math.imul(h, 131) + f) | 0;
}
/**
 * A table of (key, value) pairs read by `key & mask` (one array read, where a Map's get is
 * a builtin call: issue #5, a constant message or a timer name per line or so), the
 * smallest mask that tells the keys apart.
 */
class KeyTable<T> {
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly vals: (T | undefined)[];
  readonly size: number;
  constructor(entries: readonly (readonly [number, T])[]) {
    let mask = 1;
    while (mask < entries.length * 2) mask = mask * 2 + 1;
    for (;; mask = mask * 2 + 1) {
      const seen = new Set(entries.map(([k]) => k & mask));
      if (seen.size === entries.length || mask > 0xfffff) break;
    }
    this.mask = mask;
    this.keys = new Int32Array(mask + 1);
    this.vals = new Array<T | undefined>(mask + 1).fill(undefined);
    const keys = new Set<number>();
    for (const [k, v] of entries) {
      keys.add(k);
      const i = k & mask;
      if (this.vals[i] !== undefined) continue; // shared slot (none at the schema's size): the size tells
      this.keys[i] = k;
      this.vals[i] = v;
    }
    this.size = this.vals.filter((v) => v !== undefined).length === keys.size ? keys.size : -1;
  }
  get(k: number): T | undefined {
    const i = k & this.mask;
    return this.keys[i] === k ? this.vals[i] : undefined;
  }
}
const CONST_BY_KEY = new KeyTable<Message>([...CONST_MSGS].map(([t, m]) => [constKey(t, 0, t.length), m] as const));
const CONST_RE = CONST_BY_KEY.size === CONST_MSGS.size
  ? new RegExp(`(?:${[...CONST_MSGS.keys()].map((t) => t.replace(/[{}[\]]/g, '\\$&')).join('|')})\\}$`, 'y')
  : undefined;

/**
 * The schema's timer names by a key of three characters of a name known to be
 * one of them (the form's expression checked it): the interned constant
 * without building a string. Built only if the key tells every name apart.
 */
const timerKey = (text: string, s: number, e: number) => timerKeyOf(e - s, text.charCodeAt(s), text.charCodeAt(Math.min(s + 2, e - 1)));
/** The key's formula (FastEvents.timerKey reads the characters from a line's bytes). */
const timerKeyOf = (len: number, first: number, third: number) => len * 65536 + first * 256 + third;
const TIMERS = new KeyTable<string>(TIMER_NAMES.map((t) => [timerKey(t, 0, t.length), t] as const));
if (TIMERS.size !== TIMER_NAMES.length) throw new Error('fast-event: two timer names share a key: change timerKey');

/**
 * A send's message whose kind starts `LoginR` (LoginRequest) or `ConnectA` (ConnectAck) is
 * no constant message (checked here: then CONST_RE cannot match it), so `send` takes it to
 * `message` without CONST_RE's test first (a regular expression call fewer for a fifth of
 * the login-flood bench's lines, issue #5). Two characters tell, the kind's 1st and 6th or 8th.
 */
for (const t of CONST_MSGS.keys()) {
  if ((t[9] === 'L' && t[14] === 'R') || (t[9] === 'C' && t[16] === 'A')) throw new Error(`fast-event: the constant message ${t} looks like a LoginRequest or ConnectAck`);
}

let validateMessage: ((v: unknown) => boolean) | undefined;

/** A cheap hash of the id text[s, e): its length and last four characters (ids differ at the end: c17, c18…). */
function idHash(text: string, s: number, e: number): number {
  let h = e - s;
  for (let j = Math.max(s, e - 4); j < e; j++) h = Math.imul(h, 31) + text.charCodeAt(j);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (h >>> 12);
}

/** The hash of a packed id (at most 8 ASCII characters, `len` of them, packed in p0, p1). */
function packHash(len: number, p0: number, p1: number): number {
  let h = Math.imul(p0 ^ Math.imul(len, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ p1, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Whether `text` holds `lit` at `i` (`lit` short: an actor id). */
function at(text: string, i: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) if (text.charCodeAt(i + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** Parses the common event lines without JSON.parse (see the top of this module). */
export class FastEvents {
  /** True when the last event returned named an actor id that is not in the table. */
  unknownIds = false;
  /**
   * The actors of the last event returned, by their number in the table (the
   * order of `addActor`): `from` (send) or `actor` (timeout) in `actorA`, `to`
   * (send) in `actorB`; -1 for none or an unknown id.
   */
  actorA = -1;
  actorB = -1;
  /**
   * True when the last event's message was read by JSON.parse (a spelling the expressions do not take): its keys
   * come in the order written, and its strings may hold what JSON escapes make (a lone surrogate). Every other
   * event is built here, in the plainest spelling's key order, from strings without an escape.
   */
  messageByJson = false;
  /** The number `id` returned last (-1: unknown). */
  private idNum = -1;
  /** End of the last number read. */
  private p = 0;
  /**
   * Open addressing over the actor ids: per slot, four int32s side by side (one
   * cache line): the id's hash; its number + 1 (0: free slot), negated when the
   * id is not packed; and, packed, the id itself when it has at most 8
   * characters, all ASCII and not NUL (c17, s143: 8 bits a character, zeros
   * after its end). A packed id is compared in the slot, without reading the
   * string (a cache miss); any other, with the string in `names` (by number).
   */
  private table = new Int32Array(4 * 1024);
  private mask = 1023;
  private readonly names: string[] = [];

  /**
   * The bytes of the line being parsed, when the reader has them (an ASCII chunk of the
   * file: one byte a character), and the line's offset in them; null: read the text.
   * Reading a character of a line with charCodeAt costs ~26 instructions more than a
   * typed array's element (a line is a sliced string of its chunk), and a line has some
   * 30 to read (issue #5). Every byte read is within the line: the form's expression
   * has matched before, and the dispatch's character 9 is read only on a line longer
   * than that (the next line's bytes follow it in the buffer).
   */
  private b: Uint8Array | null = null;
  private o = 0;

  /** Character `i` of the line being parsed (its byte, when there are bytes). */
  private cc(text: string, i: number): number {
    const b = this.b;
    return b === null ? text.charCodeAt(i) : b[this.o + i];
  }

  /** Makes `id` a known actor id. */
  addActor(id: string): void {
    this.b = null; // `id` is read, not a line
    if (this.lookup(id, 0, id.length) !== undefined) return;
    if ((this.names.length + 1) * 2 > this.mask) this.grow();
    this.insert(this.hashOf(id, 0, id.length), this.names.length, id);
    this.names.push(id);
  }

  /**
   * The event of `text`, or null when it is not one of the forms above. `bytes`, `at`:
   * the line's text as bytes, one a character (an ASCII chunk of the file), from `at`;
   * null when there are none.
   */
  parse(text: string, bytes: Uint8Array | null = null, at = 0): Event | null {
    if (text.length < 10) return null; // no form is that short (and character 9 must be the line's own)
    this.b = bytes;
    this.o = at;
    this.messageByJson = false;
    const c = this.cc(text, 9);
    if (c === 115 /* s */) return SEND.test(text) ? this.send(text) : null;
    if (c === 100 /* d */) return SETTLE.test(text) ? this.settle(text) : null;
    if (c === 116 /* t */) return TIMEOUT.test(text) ? this.timeout(text) : null;
    if (c === 105 /* i */) return INPUT.test(text) ? this.input(text) : null;
    return null;
  }

  private input(text: string): Event | null {
    const t = this.num(text, 20);
    const actor = this.idAt(text, this.p + 10); // ,"actor":"
    const input = CONST_INPUTS.get(text.slice(this.p + 10, text.length - 1)); // ","input":
    if (input === undefined) return null;
    this.actorA = this.idNum;
    this.actorB = -1;
    return { type: 'input', t, actor, input };
  }

  private settle(text: string): Event {
    const deliver = this.cc(text, 10) === 101; // d(e)liver, d(r)op
    const t = this.num(text, deliver ? 22 : 19);
    const mid = this.mid(text, this.p + 7); // ,"mid":
    this.unknownIds = false;
    this.actorA = -1;
    this.actorB = -1;
    return deliver ? { type: 'deliver', t, mid } : { type: 'drop', t, mid };
  }

  private timeout(text: string): Event {
    const t = this.num(text, 22);
    const actor = this.idAt(text, this.p + 10); // ,"actor":"
    const timer = TIMERS.get(this.timerKey(text, this.p + 11, text.length - 2))!; // ","timer":"
    this.actorA = this.idNum;
    this.actorB = -1;
    return { type: 'timeout', t, actor, timer } as Event;
  }

  private send(text: string): Event | null {
    const t = this.num(text, 19);
    const from = this.idAt(text, this.p + 9); // ,"from":"
    const unknown = this.unknownIds;
    const a = this.idNum;
    const to = this.idAt(text, this.p + 8); // ","to":"
    const unknownTo = this.unknownIds;
    const b = this.idNum;
    const mid = this.mid(text, this.p + 8); // ","mid":
    const s = this.p + 7; // ,"msg":
    const e = text.length - 1;
    if (this.cc(text, e) !== 125) return null; // the event's closing }, after the message (SEND stops at its kind)
    let msg: Message | null | undefined;
    if (CONST_RE !== undefined) {
      // Most likely a LoginRequest or a ConnectAck, and certainly no constant message (see the check
      // after CONST_RE): to `message` at once, which tries their expressions, else JSON.parse.
      const k9 = this.cc(text, s + 9);
      if ((k9 === 76 /* L */ && this.cc(text, s + 14) === 82 /* R */) || (k9 === 67 /* C */ && this.cc(text, s + 16) === 65 /* A */)) msg = this.message(text, s, e);
      else {
        CONST_RE.lastIndex = s;
        msg = CONST_RE.test(text) ? CONST_BY_KEY.get(this.constKey(text, s, e)) : this.message(text, s, e);
      }
    } else msg = CONST_MSGS.get(text.slice(s, e)) ?? this.message(text, s, e);
    if (!msg) return null;
    this.unknownIds = unknown || unknownTo;
    this.actorA = a;
    this.actorB = b;
    return { type: 'send', t, from, to, mid, msg } as Event;
  }

  /** The message text[s, e) with content: the kinds recorders send most by hand, others by JSON.parse and the schema. */
  private message(text: string, s: number, e: number): Message | null {
    const kind = this.cc(text, s + 9);
    if (kind === 76 /* L */) {
      LOGIN_REQUEST.lastIndex = s;
      if (LOGIN_REQUEST.test(text)) {
        // Fields read at their places (no match array): the expression checked them.
        const u = s + LOGIN_REQUEST_USER;
        const ue = text.indexOf('"', u);
        return { kind: 'LoginRequest', user: text.slice(u, ue), password: text.slice(ue + 14, text.length - 3) }; // ","password":"  …"}}
      }
      LOGIN_OK.lastIndex = s;
      const m = LOGIN_OK.exec(text);
      if (m !== null) return { kind: 'LoginOk', credential: { user: m[1], issuedAt: +m[2], expiresAt: +m[3], sig: m[4] } };
    } else if (kind === 82 /* R */) {
      REGISTER.lastIndex = s;
      const m = REGISTER.exec(text);
      if (m !== null) return { kind: 'Register', credential: { user: m[1], issuedAt: +m[2], expiresAt: +m[3], sig: m[4] } };
    } else if (kind === 67 /* C */) {
      CONNECT_ACK.lastIndex = s;
      if (CONNECT_ACK.test(text)) {
        const supernodes: string[] = [];
        for (let i = s + CONNECT_ACK_HEAD; this.cc(text, i) === 34; ) { // "id", or ]
          if (supernodes.length === MAX_ITEMS) return null;
          supernodes.push(this.idAt(text, i + 1));
          i = this.p + 1;
          if (this.cc(text, i) === 44) i++; // ,
        }
        return { kind: 'ConnectAck', supernodes };
      }
    } else if (kind === 79 /* O */) {
      IM_BATCH.lastIndex = s;
      const m = IM_BATCH.exec(text);
      if (m !== null) return { kind: 'OfflineImBatch', count: +m[1] };
    }
    let v: unknown;
    this.messageByJson = true;
    try { v = JSON.parse(text.slice(s, e)); } catch { return null; }
    return (validateMessage ??= traceValidators().message)(v) ? (v as Message) : null;
  }

  /** `constKey` of the line being parsed (its bytes when there are). */
  private constKey(text: string, s: number, e: number): number {
    return constKeyOf(e - s, this.cc(text, s + 9), this.cc(text, s + 10), this.cc(text, s + 11), this.cc(text, e - 3), this.cc(text, e - 4));
  }

  /** `timerKey` of the line being parsed. */
  private timerKey(text: string, s: number, e: number): number {
    return timerKeyOf(e - s, this.cc(text, s), this.cc(text, Math.min(s + 2, e - 1)));
  }

  /** The number N at `i` (checked by the form's expression); its end in `p`. */
  private num(text: string, i: number): number {
    let v = 0;
    for (;;) {
      const c = this.cc(text, i);
      if (!(c >= 48 && c <= 57)) break;
      v = v * 10 + (c - 48);
      i++;
    }
    this.p = i;
    return v;
  }

  /** The mid M at `i`; its end (after a string's closing quote) in `p`. */
  private mid(text: string, i: number): string | number {
    if (this.cc(text, i) !== 34) return this.num(text, i);
    const e = text.indexOf('"', i + 1);
    this.p = e + 1;
    return text.slice(i + 1, e);
  }

  /**
   * The id from `s` to the next `"` (the form's expression checked that it is there and
   * plain), as `id` gives it; the index of that `"` in `p`. From the line's bytes, the
   * end is found and the id packed in one pass (no indexOf call).
   */
  private idAt(text: string, s: number): string {
    const b = this.b;
    if (b === null) {
      const e = text.indexOf('"', s);
      this.p = e;
      return this.id(text, s, e);
    }
    const o = this.o + s;
    let p0 = 0;
    let p1 = 0;
    let j = 0;
    // ASCII bytes, and no control character (the expression): only the length decides whether it packs.
    const end = b.length - o;
    for (let c = b[o]; c !== 34; c = b[o + ++j]) {
      if (j >= end) { this.b = null; return this.idAt(text, s); } // (cannot be: the quote is there)
      if (j < 4) p0 |= c << (8 * j);
      else if (j < 8) p1 |= c << (8 * (j - 4));
    }
    this.p = s + j;
    const packed = j <= 8;
    this.k0 = packed ? p0 : 0;
    this.k1 = packed ? p1 : 0;
    this.packed = packed;
    const known = this.probe(text, s, j, packed ? packHash(j, p0, p1) : idHash(text, s, s + j));
    this.unknownIds = known === undefined;
    if (known === undefined) this.idNum = -1;
    return known ?? text.slice(s, s + j);
  }

  /** The id text[s, e): the table's string when known (`unknownIds` false), else a new one. */
  private id(text: string, s: number, e: number): string {
    const known = this.lookup(text, s, e - s);
    this.unknownIds = known === undefined;
    if (known === undefined) this.idNum = -1;
    return known ?? text.slice(s, e);
  }

  /** The packed form of the id hashed last (`hashOf`): its characters 0-3, 4-7, and whether it packs. */
  private k0 = 0;
  private k1 = 0;
  private packed = false;

  /**
   * The hash of the id text[from, from + len), and its packed form in k0, k1, packed. A
   * packed id is hashed from its packed form, so its characters are read once (a line's
   * characters are costly to read one by one: a sliced string); any other by `idHash`.
   */
  private hashOf(text: string, from: number, len: number): number {
    let p0 = 0;
    let p1 = 0;
    let packed = len <= 8;
    for (let j = 0; packed && j < len; j++) {
      const c = this.cc(text, from + j);
      if (!(c > 0 && c < 128)) packed = false;
      else if (j < 4) p0 |= c << (8 * j);
      else p1 |= c << (8 * (j - 4));
    }
    this.k0 = p0;
    this.k1 = p1;
    this.packed = packed;
    return packed ? packHash(len, p0, p1) : idHash(text, from, from + len);
  }

  /** The table's string equal to text[from, from + len), its number in `idNum`; or undefined. */
  private lookup(text: string, from: number, len: number): string | undefined {
    return this.probe(text, from, len, this.hashOf(text, from, len));
  }

  /** `lookup` with the hash of the text and its packed form (k0, k1, packed) at hand. */
  private probe(text: string, from: number, len: number, h: number): string | undefined {
    // The text packed as the table packs ids (packed false: no packed id can equal it).
    const p0 = this.k0;
    const p1 = this.k1;
    const packable = this.packed;
    const { table, mask } = this;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const v = table[4 * k + 1];
      if (v === 0) return undefined;
      if (table[4 * k] !== h) continue;
      if (v > 0) {
        if (packable && table[4 * k + 2] === p0 && table[4 * k + 3] === p1) { this.idNum = v - 1; return this.names[v - 1]; }
      } else {
        const id = this.names[-v - 1];
        if (id.length === len && at(text, from, id)) { this.idNum = -v - 1; return id; }
      }
    }
  }

  /** Puts id number `num` in the table, at hash `h` (`hashOf(id)`). */
  private insert(h: number, num: number, id: string): void {
    const { table, mask } = this;
    let k = h & mask;
    while (table[4 * k + 1] !== 0) k = (k + 1) & mask;
    this.hashOf(id, 0, id.length);
    const packed = this.packed;
    table[4 * k] = h;
    table[4 * k + 1] = packed ? num + 1 : -(num + 1);
    table[4 * k + 2] = packed ? this.k0 : 0;
    table[4 * k + 3] = packed ? this.k1 : 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = old.length / 2 - 1; // slots: twice as many
    for (let k = 0; k < old.length; k += 4) {
      const v = old[k + 1];
      if (v !== 0) { const num = v > 0 ? v - 1 : -v - 1; this.insert(old[k], num, this.names[num]); }
    }
  }
}

/** Whether constant messages are told apart by key (tests: the schema's texts keep the key unique). */
export const CONST_MESSAGES_KEYED = CONST_RE !== undefined;
