// `snc docs [--out DIR] [--check]`: generates the protocol documentation
// (Markdown + Mermaid) from the machines, schemas and property catalogue into
// DIR (default docs/), or with --check lists the pages that are stale and
// exits 1. Exit 0 written / up to date, 1 stale (--check), 2 usage error.
import { generateDocs, staleDocs, writeDocs } from '../docs/generate.js';
import { ensureFolder } from './files.js';
import { flagHelp, parseFlags, usageError, type FlagSpecs } from './args.js';
import type { Io } from './io.js';
import { printable } from './io.js';

const FLAGS: FlagSpecs = {
  out: { type: 'string', valueName: 'DIR', description: 'where the pages go (default docs/)' },
  check: { type: 'boolean', description: 'write nothing; list stale pages and exit 1 if there are any' },
};

/** `snc docs --help`. */
export const DOCS_HELP = `Usage: snc docs [--out DIR] [--check]

Generates the protocol documentation from models/ (the XState machines),
schemas/*.schema.json and the property catalogue: index.md, roles/<role>.md
(Mermaid state diagram, transition table with the messages sent and timers
armed), messages.md, properties.md, parameters.md, presets.md, trace-format.md.
Every page starts with a "generated — do not edit" banner. Only pages that
changed are written; generated pages that are no longer produced are removed.

Options:
${flagHelp(FLAGS)}

Exit: 0 written or up to date · 1 stale pages (--check) · 2 usage error
`;

/** Runs `snc docs`; returns the exit code. */
export async function runDocs(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'docs');
  if (values.help) {
    io.out(DOCS_HELP);
    return 0;
  }
  if (positionals.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])} for \`snc docs\``, 'the output directory goes after --out, e.g. snc docs --out docs/');
  if (values.out === '') throw usageError('--out needs a directory', 'e.g. snc docs --out docs/');
  const dir = typeof values.out === 'string' ? values.out.replace(/\/+$/, '') || '/' : 'docs';
  if (!values.check) await ensureFolder(dir, 'choose a writable folder with --out DIR');
  const files = await generateDocs();
  const shown = (p: string) => printable(`${dir}/${p}`);
  if (values.check) {
    const stale = await staleDocs(dir, files);
    for (const s of stale) io.out(`stale: ${shown(s.path)} (${s.reason === 'orphan' ? 'generated once, no longer produced' : s.reason})\n`);
    if (stale.length) {
      io.out(`${stale.length} of ${files.length} pages stale — regenerate with ${dir === 'docs' ? 'npm run docs (snc docs)' : `snc docs --out ${printable(dir)}`}\n`);
      return 1;
    }
    io.out(`${printable(dir)}: ${files.length} pages up to date\n`);
    return 0;
  }
  const done = await writeDocs(dir, files);
  for (const s of done) io.out(`${s.reason === 'orphan' ? 'removed' : 'wrote'} ${shown(s.path)}\n`);
  const removed = done.filter((s) => s.reason === 'orphan').length;
  io.out(`${printable(dir)}: ${files.length} pages, ${done.length - removed} updated${removed ? `, ${removed} stale removed` : ''}\n`);
  return 0;
}
