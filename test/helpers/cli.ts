// Runs the real `snc` executable (node bin/snc.js) in a child process, for
// golden-ish CLI tests: exit code, stdout, stderr, and how long it took.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/snc.js ...args` from the repository root, feeding `stdin` if given. */
export function snc(args: string[], stdin?: string | Buffer, env: Record<string, string> = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/snc.js', ...args], { cwd: ROOT, env: { ...process.env, SNC_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading all of stdin
    child.stdin.end(stdin ?? '');
  });
}

/** True when `text` looks like it holds a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text) || /\n\s*at (async )?\S+ \(/.test(text);
}

/**
 * A small simulated trace that every timer fires on time in (steady, 20 clients, 18 min, all
 * clients sampled: ~1,500 lines), written by `snc simulate` into a fresh folder; its lines too.
 */
export async function simulatedTrace(prefix: string): Promise<{ dir: string; file: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'steady.ndjson');
  const r = await snc(['simulate', 'steady', '--clients', '20', '--hours', '0.3', '--trace', file, '--sample-clients', '20']);
  if (r.code !== 0) throw new Error(`snc simulate failed (${r.code}): ${r.stderr}`);
  return { dir, file, lines: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}
