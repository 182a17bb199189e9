// The file arguments of every command: a missing file is a usage error
// (CLI002, exit 2), a directory or an unreadable file CLI003 (exit 2), each
// with the path and a hint, checked before any work starts; so are the output
// paths (CLI003), so that a typo does not throw away a long run's results.
import { access, lstat, mkdir, open, stat, unlink } from 'node:fs/promises';
import { constants, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, usageError } from './args.js';

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
    // A device never ends (/dev/zero, a terminal): refused like a folder. Pipes are fine (<(…), a FIFO).
    if (s.isCharacterDevice() || s.isBlockDevice() || s.isSocket()) throw new CliError('CLI003', `${JSON.stringify(file)} is a device or socket, not a file`, 'pass a regular file or a pipe, or - for standard input');
  } catch (err) {
    throw ioError(file, err, dirHint, missingHint);
  }
}

/** The errno code of an I/O failure, or its message. */
const why = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? (e as Error).message;

/**
 * Throws CLI003 unless a file can be written at `path`: it is not a folder, and
 * its folder exists and is writable. `hint` names the flag (the error comes
 * before the work, not after it).
 */
export async function checkWritable(path: string, hint: string): Promise<void> {
  const fail = (reason: string) => new CliError('CLI003', `cannot write ${JSON.stringify(path)}: ${reason}`, hint);
  if (path === '') throw fail('ENOENT (an empty path)');
  if (/[\\/]$/.test(path)) throw fail('EISDIR (a folder name)');
  let exists = true;
  try {
    if ((await stat(path)).isDirectory()) throw fail('EISDIR (it is a folder)');
    await access(path, constants.W_OK); // an existing file must be writable itself
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (why(e) !== 'ENOENT') throw fail(why(e));
    exists = false;
  }
  if (!exists) {
    // A symbolic link to nowhere: stat says ENOENT, but writing through it fails the same way.
    let link = false;
    try { link = (await lstat(path)).isSymbolicLink(); } catch { /* no entry at all */ }
    if (link) throw fail('ENOENT (a symbolic link to a missing file)');
  }
  await writableFolder(dirname(resolve(path)), fail);
  if (!exists) {
    // The folder may look writable and still refuse a new file (as root, /proc passes access()):
    // create the file and remove it again, so that the failure comes now, not after the work.
    try {
      await (await open(path, 'wx')).close();
      await unlink(path);
    } catch (e) {
      throw fail(why(e));
    }
  }
}

/**
 * Makes sure output folder `dir` exists, creating the missing levels one by one
 * (after checking that their nearest existing ancestor is a writable folder), or
 * throws CLI003. Not `mkdir(dir, { recursive: true })`: as root, a path under
 * /proc passes the ancestor check and Node's recursive mkdir then retries its
 * ENOENT forever; a single level's mkdir fails at once.
 */
export async function ensureFolder(dir: string, hint: string): Promise<void> {
  const fail = (reason: string) => new CliError('CLI003', `cannot write to ${JSON.stringify(dir)}: ${reason}`, hint);
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      await stat(d);
      break;
    } catch (e) {
      if (why(e) !== 'ENOENT' || dirname(d) === d) throw fail(why(e));
      let link = false;
      try { link = (await lstat(d)).isSymbolicLink(); } catch { /* no entry at all */ }
      if (link) throw fail(`ENOENT (${d} is a symbolic link to a missing folder)`);
      missing.push(d);
      d = dirname(d);
    }
  }
  await writableFolder(d, fail);
  for (const m of missing.reverse()) {
    try {
      await mkdir(m);
    } catch (e) {
      if (why(e) !== 'EEXIST') throw fail(`${why(e)} (cannot create ${m})`);
    }
  }
  await writableFolder(resolve(dir), fail);
}

async function writableFolder(dir: string, fail: (reason: string) => CliError): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw fail(`ENOTDIR (${dir} is not a folder)`);
    await access(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fail(why(e) === 'ENOENT' ? `ENOENT (no folder ${dir})` : why(e));
  }
}

/**
 * A path's file, for comparing an output path with inputs: its device and inode when
 * it exists (hard links, symbolic links, `..`, another letter case on a case-insensitive
 * file system all lead to the same one); else where it would be created.
 */
function fileKey(path: string): string {
  try { const s = statSync(path); return `inode ${s.dev}:${s.ino}`; } catch { /* not there yet */ }
  try { return join(realpathSync(dirname(resolve(path))), basename(path)); } catch { return resolve(path); }
}

/**
 * Throws CLI001 when output `path` (given with `flag`) is the same file as one of
 * `taken` (the command's inputs, or its other outputs): writing it would destroy
 * that file, e.g. a recording that cannot be made again. An input `-` is standard
 * input, never a file; an output `-` is compared as a path (--report - writes a
 * file named `-`).
 */
export function refuseOverwrite(flag: string, path: string, taken: readonly { readonly path: string; readonly what: string }[]): void {
  if (path === '') return;
  const key = fileKey(path);
  for (const t of taken) {
    if (t.path !== '-' && t.path !== '' && fileKey(t.path) === key) {
      throw usageError(`${flag} ${JSON.stringify(path)} is ${t.what}: writing there would destroy it`, `choose another path for ${flag}`);
    }
  }
}

/** The CLI002 hint for a file that cannot come from standard input. */
export const NO_STDIN_HINT = 'check the path (relative paths start from the current directory)';

/** Throws CLI001 for `-` where a command reads a file it cannot take from standard input. */
export function refuseStdin(file: string, what: string, hint: string): void {
  if (file === '-') throw usageError(`${what} cannot be read from standard input (-)`, hint);
}
