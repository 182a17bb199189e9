// Whether the compiled CLI in dist/ (npm run build; npm ci runs it) may run:
// it must exist and be newer than every file it was compiled from, so an
// edited source is never shadowed by stale JavaScript (bin/snc.js then runs
// the TypeScript sources through tsx, a second or so slower to start). A
// deleted source needs no rule: what imported it changed too.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders compiled into dist/ (tsconfig.build.json `include`) and what else it reads. */
export const SOURCE_DIRS = ['models', 'schemas', 'checker', 'reference'];
export const STAMP = 'dist/.built';

/** Files at the root that change what is built (a missing one counts as old). */
export const ROOT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) of a source file (.ts, .json) below `root`'s source folders, and of ROOT_FILES. */
export function newestSource(root) {
  let newest = 0;
  for (const f of ROOT_FILES) { try { newest = Math.max(newest, statSync(join(root, f)).mtimeMs); } catch { /* absent */ } }
  for (const dir of SOURCE_DIRS) {
    let entries;
    try { entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (!e.isFile() || !/\.(ts|json)$/.test(e.name)) continue;
      const m = statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs;
      if (m > newest) newest = m;
    }
  }
  return newest;
}

/** True when dist/ was built after the last change to any source file. */
export function compiledIsFresh(root) {
  try {
    return statSync(join(root, STAMP)).mtimeMs >= newestSource(root);
  } catch {
    return false; // no build, or a Node without recursive readdir (before 20.1): run the sources
  }
}
