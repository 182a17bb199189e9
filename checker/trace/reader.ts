// Streaming NDJSON line reader: turns a file (or standard input, `-`) into
// numbered lines pushed synchronously to a sink, one decoded chunk at a time.
//
// Why a push API: `snc check` replays traces of 10M+ events through this
// reader, so the per-line path is a plain function call (no promise, no array
// of lines); only each 1 MiB chunk costs an `await` (with `sync`, a file is
// read with readSync into one buffer, the event loop served every 16 chunks:
// what `snc check` does). Memory is bounded by the
// chunk size plus the line-length cap, whatever the file's size: a line longer
// than the cap is skipped up to its newline without being buffered, and is
// reported once through `sink.overlong`.
import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Receives the lines of a stream. Return `false` from either method to stop reading. */
export interface LineSink {
  /**
   * One line, without its `\n`, a trailing `\r`, or (on line 1) a UTF-8 BOM.
   * `lineNo` is 1-based. Empty lines are passed on too.
   * `bytes`, `at`: when the reader has them (synchronous reads of an ASCII chunk), the
   * line's text as bytes, one a character, from `at` (valid during this call only: the
   * buffer is reused); null otherwise. `base`: with `bytes`, the offset in the file of
   * `bytes[0]` (so the line starts at byte `base + at`), when the reader knows it; -1 otherwise.
   */
  line(text: string, lineNo: number, bytes?: Uint8Array | null, at?: number, base?: number): boolean | void;
  /**
   * A line longer than `maxLineLength` characters, skipped unread.
   * `length` is its length in characters; `head` its first {@link HEAD_LENGTH} characters.
   */
  overlong(lineNo: number, length: number, head: string): boolean | void;
}

/** Options of {@link readLines} and {@link LineSplitter}. */
export interface ReadOptions {
  /** Longest line accepted, in UTF-16 characters (default {@link DEFAULT_MAX_LINE_LENGTH}). */
  maxLineLength?: number;
  /** Read chunk size in bytes (default 1 MiB). */
  highWaterMark?: number;
  /** The stream read for `-` (default `process.stdin`); tests pass their own. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Read a file (not `-`) with synchronous reads into one reused buffer rather
   * than through a stream: no stream machinery and no promise per chunk (on the
   * 10M-line bench of `snc check`, issue #5, about a second of CPU). The event
   * loop is served between every {@link SYNC_YIELD_EVERY} chunks only.
   */
  sync?: boolean;
}

/** With `sync`: chunks read between two turns of the event loop. */
export const SYNC_YIELD_EVERY = 16;

/** What {@link readLines} saw. */
export interface ReadSummary {
  /** Lines seen, including skipped over-long ones. */
  lines: number;
  /** True when the sink asked to stop before the end of the input. */
  stopped: boolean;
}

/** 16 MiB: far above any real event, far below what JSON.parse chokes on. */
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024;
/** How much of an over-long line is kept, to show in the problem report. */
export const HEAD_LENGTH = 80;
const BOM = 0xfeff;
const CR = 13;

/**
 * Splits decoded text chunks into lines and pushes them to a sink. Synchronous
 * and reusable for any chunk source: `push` each chunk in order, then `end()`.
 */
export class LineSplitter {
  /** The number of the last line passed to the sink (or skipped). */
  lineNo = 0;
  /** True once the sink returned `false`; further input is ignored. */
  stopped = false;
  private carry = '';
  private skipping = false;
  private skippedLength = 0;
  private skippedHead = '';
  private readonly max: number;
  /**
   * The bytes of the chunk being pushed when each of its characters is one of them (an
   * ASCII chunk; `push` is synchronous, so they stay valid during it); null otherwise.
   */
  bytes: Uint8Array | null = null;
  /** The offset in the file of `bytes[0]`, when known (synchronous reads of a file); -1 otherwise. */
  base = -1;

  constructor(private readonly sink: LineSink, maxLineLength = DEFAULT_MAX_LINE_LENGTH) {
    this.max = maxLineLength;
  }

  /** Feeds one chunk; returns false once the sink has asked to stop. */
  push(chunk: string): boolean {
    if (this.stopped) return false;
    let start = 0;
    if (this.skipping || this.carry.length > 0) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.hold(chunk);
        return true;
      }
      if (this.skipping) {
        this.skippedLength += nl;
        this.growHead(chunk, nl);
        this.skipping = false;
        if (!this.emitOverlong()) return false;
      } else if (this.carry.length + nl > this.max) {
        this.skippedHead = this.carry.slice(0, HEAD_LENGTH);
        this.growHead(chunk, nl);
        this.skippedLength = this.carry.length + nl;
        this.carry = '';
        if (!this.emitOverlong()) return false;
      } else {
        const text = this.carry + chunk.slice(0, nl);
        this.carry = '';
        if (!this.emit(text)) return false;
      }
      start = nl + 1;
    }
    // The hot loop: one indexOf and one slice per line.
    const max = this.max;
    for (let nl = chunk.indexOf('\n', start); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (nl - start > max) {
        this.skippedHead = chunk.slice(start, Math.min(nl, start + HEAD_LENGTH)); // this line's start only
        this.skippedLength = nl - start;
        if (!this.emitOverlong()) return false;
      } else if (!this.emit(chunk.slice(start, nl), start)) {
        return false;
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(start === 0 ? chunk : chunk.slice(start));
    return true;
  }

  /** Flushes a last line that has no final newline. */
  end(): void {
    if (this.stopped) return;
    if (this.skipping) {
      this.skipping = false;
      this.emitOverlong();
    } else if (this.carry.length > 0) {
      const text = this.carry;
      this.carry = '';
      this.emit(text);
    }
  }

  /** Keeps an unfinished line, or starts skipping it once it passes the cap. */
  private hold(piece: string): void {
    if (this.skipping) {
      this.skippedLength += piece.length;
      this.growHead(piece, piece.length);
    } else if (this.carry.length + piece.length > this.max) {
      this.skippedHead = this.carry.slice(0, HEAD_LENGTH);
      this.growHead(piece, piece.length);
      this.skippedLength = this.carry.length + piece.length;
      this.carry = '';
      this.skipping = true;
    } else {
      this.carry += piece;
    }
  }

  /** While skipping: the head shown in the report takes up to HEAD_LENGTH characters of the line, across chunks. */
  private growHead(piece: string, end: number): void {
    const room = HEAD_LENGTH - this.skippedHead.length;
    if (room > 0) this.skippedHead += piece.slice(0, Math.min(end, room));
  }

  /** `at`: where the line starts in `bytes` (-1: it is not there, as a line across two chunks). */
  private emit(text: string, at = -1): boolean {
    const lineNo = ++this.lineNo;
    const n = text.length;
    const bytes = at >= 0 ? this.bytes : null;
    // The last character from the bytes when there are (charCodeAt on a line, a sliced string, costs more).
    if (n > 0 && (bytes !== null ? bytes[at + n - 1] : text.charCodeAt(n - 1)) === CR) text = text.slice(0, n - 1);
    if (lineNo === 1 && text.charCodeAt(0) === BOM) { text = text.slice(1); at = -1; }
    // `base` only with the bytes: in a chunk that is not ASCII, `at` counts characters, not bytes.
    if (this.sink.line(text, lineNo, at >= 0 ? bytes : null, at, at >= 0 && bytes !== null ? this.base : -1) === false) this.stopped = true;
    return !this.stopped;
  }

  private emitOverlong(): boolean {
    const lineNo = ++this.lineNo;
    let head = this.skippedHead;
    if (lineNo === 1 && head.charCodeAt(0) === BOM) head = head.slice(1);
    this.skippedHead = '';
    if (this.sink.overlong(lineNo, this.skippedLength, head) === false) this.stopped = true;
    return !this.stopped;
  }
}

/**
 * Reads `source` (a file path, or `-` for standard input) line by line into
 * `sink`. Rejects with the stream's error (e.g. `ENOENT`, `EISDIR`) when the
 * file cannot be read.
 *
 * @example
 *   let n = 0;
 *   await readLines('trace.ndjson', { line: () => { n++; }, overlong: () => {} });
 */
export async function readLines(source: string, sink: LineSink, options: ReadOptions = {}): Promise<ReadSummary> {
  const splitter = new LineSplitter(sink, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  if (options.sync && source !== '-') {
    await readFileSyncChunks(source, splitter, options.highWaterMark ?? 1024 * 1024);
    return { lines: splitter.lineNo, stopped: splitter.stopped };
  }
  const stream =
    source === '-'
      ? (options.stdin ?? process.stdin)
      : createReadStream(source, { highWaterMark: options.highWaterMark ?? 1024 * 1024, encoding: 'utf8' });
  if (source === '-') stream.setEncoding('utf8');
  // Leaving the loop early (break or throw) destroys the stream.
  for await (const chunk of stream) {
    if (!splitter.push(chunk as string)) break;
  }
  splitter.end();
  return { lines: splitter.lineNo, stopped: splitter.stopped };
}

/**
 * `sync`: the file through `splitter`, read with readSync into one buffer and
 * decoded as a `utf8` stream decodes it (a character split across two reads is
 * kept whole; an incomplete one at the end becomes U+FFFD). Throws the I/O error.
 */
async function readFileSyncChunks(path: string, splitter: LineSplitter, size: number): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    const decoder = new StringDecoder('utf8');
    // True while every chunk so far was ASCII: the decoder then holds no part of a character,
    // and an ASCII chunk's text is its bytes as latin1 (a copy, where the UTF-8 decoder makes two
    // passes: issue #5, ~60 instructions a line of `snc check`). Once a chunk is not, the
    // decoder decodes every chunk to the end, as before.
    let ascii = true;
    let pos = 0;
    for (let chunks = 1; ; chunks++) {
      const n = readSync(fd, buf, 0, size, null);
      splitter.base = pos;
      pos += n;
      if (n === 0) {
        const rest = decoder.end();
        splitter.bytes = null;
        if (rest.length > 0) splitter.push(rest);
        break;
      }
      const bytes = n === size ? buf : buf.subarray(0, n);
      let text: string;
      if (ascii && isAscii(bytes)) {
        text = bytes.toString('latin1');
        splitter.bytes = bytes;
      } else {
        ascii = false;
        text = decoder.write(bytes);
        // An ASCII chunk is its own text, a byte a character (a chunk after one that ended inside a
        // character starts with that character's last bytes, not ASCII): its lines are passed on with it.
        // Unless the chunk before ended in a broken character: the decoder then starts this text with
        // U+FFFD, one character more than the bytes (test/trace-fast.test.ts).
        splitter.bytes = text.length === n && isAscii(bytes) ? bytes : null;
      }
      if (text.length > 0 && !splitter.push(text)) break;
      if (chunks % SYNC_YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
  splitter.end();
}

/** Where a line starts in a file: its number and its byte offset. */
export interface LineStart {
  readonly line: number;
  readonly offset: number;
}

/** Options of {@link readLinesAt}. */
export interface LinesAtOptions {
  /** The reader's line cap (default DEFAULT_MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
  /** Read size in bytes (default 1 MiB; tests pass small ones). */
  readonly chunk?: number;
  /** A line known to start at a byte offset, at or before the first wanted one: counting starts there. */
  readonly from?: LineStart;
}

/**
 * The texts of lines `nums` (line numbers, increasing) of a file, as `readLines` gives
 * them (decoded as UTF-8, without the `\n`, a trailing `\r`, or line 1's BOM), found by
 * counting newline bytes: no string is made for any other line. For `snc check` on two
 * threads (conform/check.ts), which reads again only the few lines it quotes as context.
 * `from`: a line known to start at a byte offset (the reading thread's sparse index).
 * A number past the last line is left out of the map; so is a line longer than
 * `maxLineLength` characters (counted as LineSplitter counts them: with a trailing `\r`
 * and line 1's BOM), which `readLines` skips (its sink's `overlong`).
 */
export function readLinesAt(path: string, nums: readonly number[], opts: LinesAtOptions = {}): Map<number, string> {
  const { maxLineLength = DEFAULT_MAX_LINE_LENGTH, chunk = 1024 * 1024, from } = opts;
  const out = new Map<number, string>();
  if (nums.length === 0) return out;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunk);
    // From the start of line `from.line` (at most the first wanted one), else of line 1.
    const start = from && from.line <= nums[0] ? from : { line: 1, offset: 0 };
    let lineNo = start.line;
    let at = start.offset;
    let k = 0;
    let pieces: Buffer[] = [];
    // A line of more bytes than this is longer than maxLineLength characters (with its CR and a
    // BOM: what LineSplitter counts) whatever its UTF-8: it is not collected (memory stays bounded
    // on a file that is one huge line).
    const maxBytes = 3 * (maxLineLength + 2);
    let size = 0;
    const take = () => {
      const text = size > maxBytes ? undefined : Buffer.concat(pieces).toString('utf8');
      pieces = [];
      size = 0;
      // LineSplitter's cap counts the line as split, before the CR and the BOM are taken off.
      if (text !== undefined && text.length <= maxLineLength) {
        let t = text;
        if (t.length > 0 && t.charCodeAt(t.length - 1) === CR) t = t.slice(0, -1);
        if (lineNo === 1 && t.charCodeAt(0) === BOM) t = t.slice(1);
        out.set(lineNo, t);
      }
      k++;
    };
    for (;;) {
      const n = readSync(fd, buf, 0, chunk, at);
      if (n === 0) break;
      at += n;
      const bytes = n === chunk ? buf : buf.subarray(0, n);
      let pos = 0;
      while (pos < n) {
        const nl = bytes.indexOf(10, pos);
        const end = nl < 0 ? n : nl;
        const wanted = lineNo === nums[k];
        if (wanted) {
          size += end - pos;
          if (size <= maxBytes) pieces.push(Buffer.from(bytes.subarray(pos, end)));
        }
        if (nl < 0) break;
        if (wanted) {
          take();
          if (k === nums.length) return out;
        }
        lineNo++;
        pos = nl + 1;
      }
    }
    if (lineNo === nums[k] && size > 0) take(); // a last line without a newline
    return out;
  } finally {
    closeSync(fd);
  }
}
