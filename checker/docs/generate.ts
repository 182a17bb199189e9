// The docs generator: every page of docs/ as data (path → Markdown), a
// staleness check against a directory, and the write. `snc docs` and the
// staleness test both call `generateDocs`, so the committed docs/ is exactly
// what the generator makes from the current machines, schemas and catalogue.
import { readFile, readdir, writeFile, mkdir, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ROLES } from '../../models/index.js';
import { PROJECT_ROOT } from '../root.js';
import { BANNER } from './markdown.js';
import { rolePage } from './role-page.js';
import { messagesPage } from './messages.js';
import { parametersPage, presetsPage, propertiesPage } from './catalogue-pages.js';
import { traceFormatPage, EXAMPLE_TRACE } from './trace-format.js';
import { indexPage } from './index-page.js';

/** The repository root (docs link to ../traces etc. from docs/). */
export const REPO_ROOT = PROJECT_ROOT;

/** One generated page; `path` is relative to the docs directory, with `/`. */
export interface DocFile {
  readonly path: string;
  readonly content: string;
}

/** Why a page on disk differs from the generator's. */
export interface StaleDoc {
  readonly path: string;
  readonly reason: 'missing' | 'changed' | 'orphan';
}

/** Every generated page, in a stable order. Reads only the example trace (EXAMPLE_TRACE). */
export async function generateDocs(root = REPO_ROOT): Promise<DocFile[]> {
  const example = await readFile(join(root, EXAMPLE_TRACE), 'utf8');
  return [
    { path: 'index.md', content: indexPage() },
    ...Object.keys(ROLES).map((r) => ({ path: `roles/${r}.md`, content: rolePage(r as keyof typeof ROLES) })),
    { path: 'messages.md', content: messagesPage() },
    { path: 'properties.md', content: propertiesPage() },
    { path: 'parameters.md', content: parametersPage() },
    { path: 'presets.md', content: presetsPage() },
    { path: 'trace-format.md', content: traceFormatPage(example) },
  ];
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Markdown files under `dir` that start with the generated banner (pages a generator once wrote). */
async function bannered(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.md')) continue;
    const full = join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    const text = await readOrNull(full);
    if (text?.startsWith(BANNER)) out.push(relative(dir, full).split('\\').join('/'));
  }
  return out.sort();
}

/** The pages of `dir` that differ from `files`: missing, changed, or generated once and no longer (orphan). */
export async function staleDocs(dir: string, files: readonly DocFile[]): Promise<StaleDoc[]> {
  const out: StaleDoc[] = [];
  for (const f of files) {
    const old = await readOrNull(join(dir, f.path));
    if (old === null) out.push({ path: f.path, reason: 'missing' });
    else if (old !== f.content) out.push({ path: f.path, reason: 'changed' });
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const p of await bannered(dir)) if (!wanted.has(p)) out.push({ path: p, reason: 'orphan' });
  return out;
}

/** Writes the pages that changed and deletes orphans; returns what it did. */
export async function writeDocs(dir: string, files: readonly DocFile[]): Promise<StaleDoc[]> {
  const stale = await staleDocs(dir, files);
  for (const s of stale) {
    const full = join(dir, s.path);
    if (s.reason === 'orphan') { await unlink(full); continue; }
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, files.find((f) => f.path === s.path)!.content);
  }
  return stale;
}
