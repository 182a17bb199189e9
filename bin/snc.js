#!/usr/bin/env node
// The `snc` / `supernode-check` executable. It runs the compiled CLI in dist/
// (npm run build; npm ci builds it) when dist/ is newer than every source
// file, and otherwise the TypeScript sources as they are, through tsx (which
// starts about a second slower). SNC_SOURCES=1 always runs the sources.
// `simulate` (and `check` of a large trace) want V8 flags that work only at startup (bin/launch.js):
// started without them, the process runs itself again with them and passes
// its exit code on.
import { fileURLToPath } from 'node:url';
import { compiledIsFresh } from './fresh.js';
import { missingFlags, relaunch } from './launch.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flags = process.env.SNC_NO_RELAUNCH ? [] : missingFlags(args[0], process.execArgv, process.env.NODE_OPTIONS ?? '', args.slice(1));
if (flags.length) process.exitCode = await relaunch(fileURLToPath(import.meta.url), flags, args);
else process.exitCode = await (await loadMain())(args);

/** The CLI's main(): compiled when fresh, else from the sources through tsx. */
async function loadMain() {
  if (!process.env.SNC_SOURCES && compiledIsFresh(root)) return (await import('../dist/checker/cli/main.js')).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../checker/cli/main.ts')).main;
}
