#!/usr/bin/env node
// The `snc` / `supernode-check` executable. It runs the compiled CLI in dist/
// (npm run build; npm ci builds it) when dist/ is newer than every source
// file, and otherwise the TypeScript sources as they are, through tsx (which
// starts about a second slower). SNC_SOURCES=1 always runs the sources.
import { fileURLToPath } from 'node:url';
import { compiledIsFresh } from './fresh.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let main;
if (!process.env.SNC_SOURCES && compiledIsFresh(root)) {
  ({ main } = await import('../dist/checker/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../checker/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
