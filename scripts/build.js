// npm run build (and npm ci, through `prepare`): compiles the CLI's sources to
// dist/ with tsc (no type check: `npm test` type-checks), then stamps the
// build so bin/snc.js knows it is newer than every source file. Without
// TypeScript (an install without dev dependencies) it does nothing: bin/snc.js
// then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP } from '../bin/fresh.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error('build: TypeScript is not installed; snc will run the TypeScript sources through tsx');
  process.exit(0);
}
const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build: tsc exited with ${r.status ?? r.signal}; snc will run the TypeScript sources through tsx`);
  process.exit(r.status || 1);
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, STAMP), `built ${new Date().toISOString()}\n`);
console.error(`build: dist/ compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
