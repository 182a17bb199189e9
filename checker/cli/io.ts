// Where the CLI writes: standard output for results, standard error for usage
// and internal errors. Abstracted so tests can run `main` in-process and read
// what it printed; also the one place that makes untrusted text safe to print.

/** The CLI's streams. */
export interface Io {
  /** Results (problem lines, verdicts, JSON reports). */
  out(text: string): void;
  /** Usage errors, internal errors. */
  err(text: string): void;
  /** Read by `-`. */
  stdin: NodeJS.ReadableStream;
}

/**
 * The process's own streams. A closed pipe on stdout (`snc … | head`) ends quietly; on
 * stderr it is ignored, so that the exit code stays the command's (it was 1, an uncaught
 * EPIPE, where a usage error is 2).
 */
export function processIo(): Io {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdin: process.stdin,
  };
}

/** An Io that records what was written, for tests. */
export function memoryIo(stdin?: NodeJS.ReadableStream): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    stdin: stdin ?? process.stdin,
  };
}

// C0/C1 controls, DEL, line/paragraph separators and bidi overrides: text from a
// trace must not move the cursor, recolour the terminal or reorder the line.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with terminal control characters shown as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
