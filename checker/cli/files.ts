// The file arguments of every command: a missing file is a usage error
// (CLI002, exit 2), a directory or an unreadable file CLI003 (exit 2), each
// with the path and a hint, checked before any work starts.
import { stat } from 'node:fs/promises';
import { CliError } from './args.js';

const DIR_HINT = 'name the trace files inside it, e.g. dir/*.ndjson';

/** A CLI002/CLI003 error for an I/O failure on `file`; anything else is passed on. */
export function ioError(file: string, err: unknown, dirHint = DIR_HINT, missingHint?: string): unknown {
  if (err instanceof CliError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const name = JSON.stringify(file);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new CliError('CLI002', `file not found: ${name}`, missingHint);
  if (code === 'EISDIR') return new CliError('CLI003', `${name} is a directory`, dirHint);
  if (typeof code === 'string' && code.startsWith('E')) return new CliError('CLI003', `cannot read ${name}: ${code}`);
  return err;
}

/**
 * Throws a coded CliError unless `file` is a readable file (`-`, standard input, always passes).
 * `dirHint` is the hint when it is a directory; `missingHint` when it does not exist (default: the catalogue's).
 */
export async function checkReadable(file: string, dirHint = DIR_HINT, missingHint?: string): Promise<void> {
  if (file === '-') return;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new CliError('CLI003', `${JSON.stringify(file)} is a directory`, dirHint);
  } catch (err) {
    throw ioError(file, err, dirHint, missingHint);
  }
}
