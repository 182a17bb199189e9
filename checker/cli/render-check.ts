// Renderings of `snc check` reports: text for the terminal (problems with
// their model state and context, a verdict per file, property results) and
// JUnit XML for CI (one testcase per trace and property).
import type { FileReport, Report } from '../../schemas/generated/report.js';
import { printable } from './io.js';
import { plural, problemLine } from './render.js';

const n = (x: number) => x.toLocaleString('en');
const MARK: Record<string, string> = { holds: '✓', violated: '✗', pending: '…', 'not-checked': '-', witnessed: '●', unwitnessed: '○' };

/** `quiet` (-q): the problems only (each with its model state and context), no verdict, property or summary lines, as `snc validate -q`. */
function fileText(f: FileReport, quiet = false): string[] {
  const lines: string[] = [];
  for (const p of f.problems) {
    lines.push(problemLine(p));
    if (p.model) lines.push(`    model: ${printable(p.model)}`);
    if (p.context?.length) for (const c of p.context) lines.push(`    | ${printable(c)}`);
  }
  if (f.truncated) lines.push(`  … more problems not listed: stopped after ${f.problems.filter((p) => p.code !== 'PRP001').length} (raise --max-errors to see more; 0: no limit)`);
  if (quiet) return lines;
  const time = f.seconds !== undefined ? `, ${f.seconds} s` : '';
  const inputs = f.hiddenInputs ? ` (${f.hiddenInputs.count} of them input${f.hiddenInputs.count === 1 ? '' : 's'}: ${f.hiddenInputs.first.slice(0, 3).map((h) => `${h.input.kind}${h.input.kind === 'SetMode' ? ` ${h.input.mode}` : ''} at ${h.actor} before line ${h.line}`).join(', ')}${f.hiddenInputs.count > 3 ? ', …' : ''})` : '';
  // Counts with thousands separators, as simulate and explore print them.
  const hidden = f.hiddenSteps ? `, ${plural(f.hiddenSteps, 'hidden step', n)} inferred${inputs}` : '';
  lines.push(printable(`${f.file}: ${f.verdict} (${plural(f.events ?? 0, 'event', n)}, ${plural(f.actors ?? 0, 'actor', n)}${hidden}${time})`));
  if (f.owed) {
    const list = f.owed.first.map((o) => `${o.kind} ${o.actor}→${o.to}`).join(', ');
    lines.push(printable(`  … not sent by the end: ${list}${f.owed.count > f.owed.first.length ? `, … (${n(f.owed.count)} in all)` : ''} — the models emitted ${f.owed.count === 1 ? 'it' : 'them'} and no recorded send matched: a send the implementation forgot, or the recorder did not log (not a verdict)`));
  }
  if (f.properties?.length && f.verdict !== 'invalid') {
    const width = Math.max(...f.properties.map((p) => p.id.length));
    for (const p of f.properties) {
      const where = p.line ? ` at line ${p.line}` : '';
      lines.push(printable(`  ${MARK[p.status] ?? ' '} ${p.id.padEnd(width)}  ${p.status}${where}${p.explanation ? `: ${p.explanation}` : ''}`));
    }
  }
  return lines;
}

/** The text `snc check` prints; `quiet` (-q): the problems only. */
export function checkText(r: Report, quiet = false): string {
  const files = r.files ?? [];
  const lines = files.flatMap((f) => fileText(f, quiet));
  if (quiet) return lines.length ? lines.join('\n') + '\n' : '';
  const count = (v: string) => files.filter((f) => f.verdict === v).length;
  lines.push(`${plural(files.length, 'file')}: ${count('conforms')} conform, ${count('violates')} violate, ${count('invalid')} invalid`);
  return lines.join('\n') + '\n';
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: a testsuite per trace, a testcase for conformance and one per property. */
export function junitXml(r: Report): string {
  const suites = (r.files ?? []).map((f) => {
    const cases: string[] = [];
    const conformance = f.problems.filter((p) => p.property === 'conformance' || p.code.startsWith('TRC'));
    cases.push(`    <testcase classname="${xml(f.file)}" name="${f.verdict === 'invalid' ? 'well-formed' : 'conformance'}">${
      conformance.length ? `<failure message="${xml(conformance[0].message)}">${xml(conformance.map(problemLine).join('\n'))}</failure>` : ''}</testcase>`);
    for (const p of f.properties ?? []) {
      const body = p.status === 'violated' ? `<failure message="${xml(p.explanation ?? p.id)}">${xml(`line ${p.line}: ${p.explanation}`)}</failure>`
        : p.status === 'not-checked' || p.status === 'pending' || p.status === 'unwitnessed' ? `<skipped message="${xml(p.status + (p.explanation ? `: ${p.explanation}` : ''))}"/>` : '';
      cases.push(`    <testcase classname="${xml(f.file)}" name="${xml(p.id)}">${body}</testcase>`);
    }
    const failures = cases.filter((c) => c.includes('<failure')).length;
    return `  <testsuite name="${xml(f.file)}" tests="${cases.length}" failures="${failures}" time="${f.seconds ?? 0}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snc check">\n${suites.join('\n')}\n</testsuites>\n`;
}
