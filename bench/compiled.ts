// Which code a benchmark times: the compiled JavaScript in dist/ that `snc`
// runs (bin/snc.js; npm ci builds it), or with --tsx the TypeScript sources
// through tsx, which carry the loader's start, ~30 MB of RSS and closure
// wrappers (~1.3x slower). dist/ is rebuilt first when a source is newer
// (scripts/build.js, ~2 s), so a bench never times stale JavaScript. Used by
// bench/check.ts and bench/simulate.ts, whose children import from the root
// this returns.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledIsFresh } from '../bin/fresh.js';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The root to import the project's modules from: dist/ (built if stale), or the sources with `tsx`. */
export function codeRoot(tsx: boolean): { root: string; ext: 'js' | 'ts'; label: string } {
  if (tsx) return { root: ROOT, ext: 'ts', label: 'sources through tsx' };
  if (!compiledIsFresh(ROOT)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 || !compiledIsFresh(ROOT)) throw new Error(`bench: npm run build failed (run it to see why, or pass --tsx): ${(r.stdout + r.stderr).slice(0, 2000)}`);
  }
  return { root: join(ROOT, 'dist'), ext: 'js', label: 'compiled dist/' };
}
