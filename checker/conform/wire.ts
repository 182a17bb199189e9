// The record ring between `snc check`'s two threads (pipeline.ts): a worker
// reads, splits, parses and validates the trace (parse-worker.ts) and writes
// each valid event as a few numbers into a shared ring; the main thread decodes
// them into the conformer's calls. Why (issue #5): reading and
// validating is about a fifth of a check's time, and the machine has a second
// core; posting parsed events as messages cost more than parsing them
// (structured clone: docs/benchmarks.md, 26 November), numbers in shared
// memory cost a few loads.
//
// A record is a run of float64 words: its op, the line number, then the op's
// fields. An actor id is its actor's number (the validator's: the header's
// actors, then each join's, in order; both sides keep the list), so the reader
// gives its events the header's own strings, as a one-thread check does. Other
// strings (mids that are strings, a LoginRequest's user and password, a
// credential's user and sig, an id of no actor) are numbers in a string table
// that both sides keep, an id word then being -1 - its number: a string seen
// for the first time comes first as an STR record with its UTF-8 bytes. When
// the table is full both sides start it again (the first entry of each
// generation has number 0). Everything the ring has no record for (the
// header, events of other forms, the end, an error) goes through a
// MessagePort, announced in the ring by a PORT record so the order holds.
//
// Ring protocol (one writer, one reader): `ctrl[W]` is the count of words
// published by the worker, `ctrl[R]` the count the main thread has consumed,
// both int32 counters that wrap (differences taken `| 0`); the ring's
// capacity is a power of two, so a counter's low bits are the position. A
// record never wraps: one that does not fit before the end is preceded by a
// WRAP word, and the writer continues at position 0. Each side publishes its
// counter in batches and waits with Atomics.wait when it must; either side
// wakes the other (Atomics.notify, a system call) only when the other has said
// it is waiting (READER_WAITS, WRITER_WAITS).
import type { MessagePort } from 'node:worker_threads';
import { TIMER_NAMES } from '../../models/effects.js';
import { CONST_INPUT_LIST, CONST_MESSAGE_LIST } from '../trace/fast-event.js';
import type { LineStart } from '../trace/reader.js';

/** Ring capacity in words (512 KiB: the records stay in the caches; 8 MiB measured no faster). */
export const RING_WORDS = 1 << 16;
/** A position in the ring: a counter's low bits. */
export const RING_MASK = RING_WORDS - 1;
/**
 * `ctrl` slots, each in its own 64-byte cache line (one side's stores do not evict the
 * line the other side reads): words written (published), words read, whether the
 * reader is (about to be) waiting for words, whether the writer is waiting for room.
 */
export const W = 0;
export const R = 16;
export const READER_WAITS = 32;
export const WRITER_WAITS = 48;
/** The `ctrl` array's length in int32s. */
export const CTRL_SLOTS = 64;

export const OP_SEND = 1;
export const OP_DELIVER = 2;
export const OP_DROP = 3;
export const OP_TIMEOUT = 4;
export const OP_INPUT = 5;
/** A string table entry: [op, id, byte length, bytes… (8 a word)]. */
export const OP_STR = 6;
/** The next message on the port belongs here: [op, line]. */
export const OP_PORT = 7;
/** The validator found its first problem at this line: no event from here on is replayed. [op, line]. */
export const OP_PROBLEM = 8;
/** The rest of the ring up to its end is unused: go on at position 0. */
export const OP_WRAP = 9;

// A send: [op, line, t, from, to, mid, kind, the message's words…], from and to id words,
// mid the number or -1 - its string's table number; the message's words by its kind:
/** One of the schema's constant messages, by its number in CONSTANT_MESSAGES: [kind, index]. */
export const MSG_CONST = 0;
/** A LoginRequest: [kind, user, password] (strings, by their table numbers). */
export const MSG_LOGIN_REQUEST = 1;
/** A ConnectAck: [kind, n, n supernode ids] (id words). */
export const MSG_CONNECT_ACK = 2;
/** An OfflineImBatch: [kind, count]. */
export const MSG_IM_BATCH = 3;
/** A Register: [kind, user, issuedAt, expiresAt, sig] (user and sig: table numbers). */
export const MSG_REGISTER = 4;
/** A LoginOk: as a Register. */
export const MSG_LOGIN_OK = 5;

/**
 * Longest string (in UTF-16 units) the table takes; an event with a longer one goes through
 * the port, and so does one with a string that has a surrogate (the table's UTF-8 would turn
 * a lone one, which a JSON escape can make, into U+FFFD).
 */
export const MAX_STR = 1024;
/**
 * Entries, and characters in all, of the string table before both sides start it again (ids
 * from 0): memory does not grow with the trace, and stays a few MB on either side.
 */
export const MAX_STRINGS = 1 << 16;
export const MAX_STRING_CHARS = 1 << 21;
/** Most supernodes a ConnectAck record carries (the schema's maxItems). */
export const MAX_ACK = 1000;
/** The longest record: a ConnectAck's. */
export const MAX_RECORD = 8 + MAX_ACK;
// A record that does not fit before the ring's end skips to its start: it needs the skipped
// words (fewer than its own) and its own free, so at most twice its size.
if (2 * MAX_RECORD > RING_WORDS) throw new Error('wire: the ring is too small for its largest record');

/** The shared tables, by number (both threads import the same modules: the same objects in the same order). */
export const CONSTANT_MESSAGES = CONST_MESSAGE_LIST;
export const CONSTANT_INPUTS = CONST_INPUT_LIST;
/** Timers by the number models/effects.ts timerIndex gives them. */
export const TIMERS = TIMER_NAMES;

/**
 * Actors by number, as the validator numbers them (TraceValidator.actorA/actorB): the header's,
 * then each valid join's, in order. Each side keeps one, fed the same header and joins.
 */
export class ActorNumbers {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  /** The number of actor `id`, or undefined. */
  of(id: string): number | undefined {
    return this.index.get(id);
  }

  /** Numbers `id` as the validator does (a header actor, or a valid join's). */
  learn(id: string): void {
    if (this.index.has(id)) return;
    this.index.set(id, this.ids.length);
    this.ids.push(id);
  }
}

/** What the worker sends through the port. */
export type PortMessage =
  /** The header is valid, at the PORT record's line: the reader parses that line itself (no structured clone of thousands of actors). */
  | { readonly t: 'header' }
  | { readonly t: 'event'; readonly ev: unknown; readonly a: number; readonly b: number }
  /** The validator's report, and where some lines start (line numbers increasing). */
  | { readonly t: 'end'; readonly report: unknown; readonly starts: readonly LineStart[] }
  | { readonly t: 'error'; readonly error: { readonly message: string; readonly code?: string; readonly errno?: number; readonly syscall?: string; readonly path?: string } };

/** What the worker is started with (workerData). */
export interface WorkerInput {
  readonly path: string;
  readonly file: string;
  readonly maxErrors?: number;
  readonly maxLineLength?: number;
  readonly highWaterMark: number;
  readonly stopAtFirst: boolean;
  readonly ring: SharedArrayBuffer;
  readonly ctrl: SharedArrayBuffer;
  readonly port: MessagePort;
}
