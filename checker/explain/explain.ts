// `explain` as a library call: a loaded trace and an optional verdict in,
// the document out. Two documents: Markdown (the prose account, then the
// diagram in a ```mermaid fence, which GitHub renders) and one self-contained
// HTML page that renders offline (the mermaid bundle from node_modules is
// inlined, nothing is fetched). No printing, no files written.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { LoadedTrace } from './load.js';
import { proseOf, type Prose } from './prose.js';
import { sequenceDiagram, type Highlight } from './sequence.js';

export type ExplainFormat = 'md' | 'html';

/** What `explain` produces: the document, and its parts for callers that want them. */
export interface Explained {
  readonly document: string;
  readonly diagram: string;
  readonly prose: Prose;
}

/**
 * Renders `trace`. `verdict`: the property results to highlight, or null when
 * no verdict is known (the prose then says so).
 *
 * @example explainTrace(loaded, [{ id: 'no-client-crash', status: 'violated', line: 27, actors: ['c1'], explanation: '…' }], 'md')
 */
export async function explainTrace(trace: LoadedTrace, verdict: readonly Highlight[] | null, format: ExplainFormat = 'md'): Promise<Explained> {
  const diagram = sequenceDiagram(trace, verdict ?? []);
  const prose = proseOf(trace, verdict);
  const title = `Trace ${basename(trace.file)}`;
  const document = format === 'html' ? htmlDoc(title, prose, diagram, await readMermaidBundle()) : markdownDoc(title, prose, diagram);
  return { document, diagram, prose };
}

/** The verdict line when there is no result for the trace (Markdown and HTML alike). */
const NOT_CHECKED = 'not checked (no result for this trace: the --report given has none; without --report, snc explain runs the checker on the trace itself).';

/** The Markdown document. */
export function markdownDoc(title: string, prose: Prose, diagram: string): string {
  const lines = [
    `# ${title}`,
    '',
    prose.summary,
    '',
    ...(prose.verdict === null
      ? [`Verdict: ${NOT_CHECKED}`]
      : ['Verdict:', '', ...prose.verdict.map((v) => `- ${v}`)]),
    '',
    'What happened:',
    '',
    ...(prose.happenings.length ? prose.happenings.map((h) => `- ${h}`) : ['- only message exchanges']),
    '',
    prose.counts,
    '',
    '```mermaid',
    diagram,
    '```',
  ];
  return lines.join('\n') + '\n';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Path of mermaid's browser bundle in node_modules. */
export function mermaidBundlePath(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}

/** The HTML page; `bundle` is the text of mermaid.min.js (see {@link mermaidBundlePath}). */
export function htmlDoc(title: string, prose: Prose, diagram: string, bundle: string): string {
  const list = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
  // `</script` inside the inlined bundle would end the script element early.
  const safeBundle = bundle.replace(/<\/(script)/gi, '<\\/$1');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
.verdict li { color: #a00; }
pre.mermaid { background: #fff; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>${esc(prose.summary)}</p>
${prose.verdict === null ? `<p>Verdict: ${esc(NOT_CHECKED)}</p>` : `<p>Verdict:</p><div class="verdict">${list(prose.verdict)}</div>`}
<p>What happened:</p>
${list(prose.happenings.length ? prose.happenings : ['only message exchanges'])}
<p>${esc(prose.counts)}</p>
<pre class="mermaid">
${esc(diagram)}
</pre>
<script>${safeBundle}</script>
<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict', maxTextSize: 5000000, sequence: { showSequenceNumbers: false } });</script>
</body>
</html>
`;
}

/** Reads the mermaid bundle. */
export async function readMermaidBundle(): Promise<string> {
  return readFile(mermaidBundlePath(), 'utf8');
}
