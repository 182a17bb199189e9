// The compiled CLI (dist/, `npm run build`) runs only while it is newer than
// every source file: an edited source must never be shadowed by stale
// JavaScript. bin/fresh.js decides; bin/snc.js follows it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledIsFresh, STAMP } from '../bin/fresh.js';
import { COMPILED, PROJECT_ROOT } from '../checker/root.js';
import { ROOT, snc } from './helpers/cli.js';

describe('compiled CLI (dist/)', () => {
  let dir: string;
  const at = (path: string, seconds: number) => { writeFileSync(join(dir, path), ''); utimesSync(join(dir, path), seconds, seconds); };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'snc-fresh-'));
    for (const d of ['models', 'schemas/generated', 'checker/cli', 'reference', 'dist']) mkdirSync(join(dir, d), { recursive: true });
    at('package.json', 1000);
    at('models/client.ts', 1000);
    at('schemas/trace.schema.json', 1000);
    at('checker/cli/main.ts', 1000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs when built after every source file', () => {
    at(STAMP, 2000);
    assert.equal(compiledIsFresh(dir), true);
  });

  it('does not run when never built, or when a .ts or .json source (at any depth) or package.json changed since', () => {
    assert.equal(compiledIsFresh(dir), false, 'no stamp');
    at(STAMP, 2000);
    at('tsconfig.json', 1000);
    for (const f of ['checker/cli/main.ts', 'schemas/trace.schema.json', 'package.json', 'tsconfig.json']) {
      at(f, 3000);
      assert.equal(compiledIsFresh(dir), false, f);
      at(f, 1000);
    }
    at('schemas/generated/trace.ts', 3000);
    assert.equal(compiledIsFresh(dir), false, 'a nested file');
    at('schemas/generated/trace.ts', 1000);
    at('checker/cli/notes.md', 3000);
    assert.equal(compiledIsFresh(dir), true, 'other files do not count');
  });

  it('finds the project root from the sources (tests run them through tsx)', () => {
    assert.equal(COMPILED, false);
    assert.equal(PROJECT_ROOT.replace(/\/$/, ''), ROOT.replace(/\/$/, ''));
  });

  it('when dist/ is fresh (after npm ci or npm run build), it runs and reports what the sources report', async function () {
    this.timeout(60_000);
    if (!compiledIsFresh(ROOT)) this.skip(); // a source changed since the last build: snc runs the sources anyway
    const args = ['explore', '--preset', 'supernode-crash', '--format', 'json', '--out', join(ROOT, 'snc-out', 'test-build')];
    const [compiled, sources] = await Promise.all([snc(args), snc(args, undefined, { SNC_SOURCES: '1' })]);
    assert.equal(compiled.code, 0, compiled.stderr);
    assert.equal(sources.code, 0, sources.stderr);
    const strip = (s: string) => { const r = JSON.parse(s); delete r.exploration.seconds; delete r.exploration.statesPerSecond; return r; };
    assert.deepEqual(strip(compiled.stdout), strip(sources.stdout));
  });
});
