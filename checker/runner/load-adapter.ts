// Loading an adapter module for `snc run-tests --adapter MODULE`: a path (or a
// package name) whose default export implements checker/runner/adapter.ts
// `Adapter`. A module that cannot be found or imported, or whose default
// export is not an adapter, is an AdapterError with a code (RUN004, RUN005),
// the module and a hint, never a stack trace; so is an unknown bug switch
// (RUN006).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Adapter } from './adapter.js';
import type { Code } from '../codes.js';
import { COMPILED } from '../root.js';

let tsx: Promise<void> | undefined;
/** Registers tsx's ESM loader once (for TypeScript adapters under the compiled CLI). */
function registerTsx(): Promise<void> {
  return (tsx ??= import('tsx/esm/api').then((m) => { m.register(); }));
}

export class AdapterError extends Error {
  constructor(readonly code: Extract<Code, 'RUN004' | 'RUN005' | 'RUN006'>, message: string, readonly hint: string, readonly detail?: string) {
    super(message);
  }
}

/** The import specifier of `spec`: a file URL for an existing path, else `spec` itself (a package). */
export function adapterSpecifier(spec: string, cwd = process.cwd()): string {
  const path = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (existsSync(path) || spec.startsWith('.') || spec.startsWith('/') || /\.[cm]?[jt]s$/.test(spec)) return pathToFileURL(path).href;
  return spec;
}

/**
 * `message` with the adapter's own file name: tsx hands a .mts or .cts file to
 * esbuild under its .ts name, so a syntax error in adapter.mts says
 * "adapter.ts:2:0", a file that may not exist.
 */
function ownName(specifier: string, message: string): string {
  if (!specifier.startsWith('file:') || !/\.[cm]ts$/.test(specifier)) return message;
  const file = fileURLToPath(specifier);
  const alias = file.replace(/\.[cm]ts$/, '.ts');
  return message.split(`${alias}:`).join(`${file}:`);
}

/**
 * Where a JavaScript adapter's syntax error is (` at FILE:LINE`), or ''. Node 20's
 * import() of an ES module gives a SyntaxError without its place (tsx's errors for
 * TypeScript have it already); `node --check` on the file prints it.
 */
function syntaxErrorPlace(e: unknown, specifier: string): string {
  if (!(e instanceof SyntaxError) || !specifier.startsWith('file:') || !/\.[cm]?js$/.test(specifier)) return '';
  const file = fileURLToPath(specifier);
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const m = /^(?:file:\/\/)?(.+):(\d+)$/m.exec(r.stderr ?? '');
  return m ? ` (at ${m[1]}:${m[2]})` : '';
}

/** What is wrong with `value` as an adapter, or undefined when it is one. */
export function notAnAdapter(value: unknown): string | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return `its default export is ${value === undefined ? 'missing' : `a ${value === null ? 'null' : typeof value}`}`;
  const a = value as Record<string, unknown>;
  if (typeof a.name !== 'string' || a.name === '') return 'its default export has no `name` string';
  if (typeof a.start !== 'function') return 'its default export has no `start(opts)` method';
  if (a.bugs !== undefined && (a.bugs === null || typeof a.bugs !== 'object' || Object.values(a.bugs).some((d) => typeof d !== 'string'))) return '`bugs` must map switch names to descriptions';
  return undefined;
}

/** Imports the adapter module `spec` (relative to `cwd`) and checks its default export. */
export async function loadAdapter(spec: string, cwd = process.cwd()): Promise<Adapter> {
  const specifier = adapterSpecifier(spec, cwd);
  if (specifier.startsWith('file:') && !existsSync(new URL(specifier))) {
    throw new AdapterError('RUN004', `adapter module ${JSON.stringify(spec)} not found`, 'give the path of an ES module (.ts or .js) whose default export is an Adapter, e.g. --adapter reference/adapter.ts');
  }
  let mod: Record<string, unknown>;
  try {
    // The compiled CLI (dist/) runs without tsx: a TypeScript adapter needs it registered first.
    if (COMPILED && /\.[cm]?ts$/.test(specifier)) await registerTsx();
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (e) {
    const text = String((e as Error)?.message ?? e).trim();
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    // esbuild's first line ("Transform failed with 1 error:") says nothing: keep the next one too.
    const first = ownName(specifier, (/failed with \d+ errors?:$/.test(lines[0] ?? '') && lines[1] ? `${lines[0]} ${lines[1]}` : lines[0] ?? text).slice(0, 400)) + syntaxErrorPlace(e, specifier);
    const esm = /require\(\)|ES Module|require is not defined|Cannot use import statement|exports is not defined/.test(text);
    // Outside a "type": "module" package a .ts file is taken for CommonJS, and the error names the symptom.
    const what = esm ? `is not loaded as an ES module (no package.json with "type": "module" above it?): ${first}` : `cannot be loaded: ${first}`;
    throw new AdapterError('RUN004', `adapter module ${JSON.stringify(spec)} ${what}`, esm
      ? 'an adapter must load as an ES module: name it .mts (or .mjs), or put it in a folder whose package.json has "type": "module"'
      : 'the module must import without errors under Node 20 (TypeScript runs through tsx); SNC_DEBUG=1 prints the whole error', (e as Error)?.stack ?? text);
  }
  const value = mod.default;
  const why = notAnAdapter(value);
  if (why) {
    throw new AdapterError('RUN005', `${JSON.stringify(spec)} is not an adapter: ${why}`, 'export default { name, bugs?, start(opts) } as in checker/runner/adapter.ts (README: "Testing your own implementation")');
  }
  return value as Adapter;
}

/** Throws RUN006 when a bug switch is not one the adapter offers. */
export function checkBugs(adapter: Adapter, bugs: readonly string[]): void {
  const known = Object.keys(adapter.bugs ?? {});
  for (const b of bugs) {
    if (!known.includes(b)) {
      throw new AdapterError('RUN006', `adapter ${adapter.name} has no bug switch ${JSON.stringify(b)}`, known.length ? `its switches: ${known.join(', ')}` : 'this adapter offers no bug switches');
    }
  }
}
