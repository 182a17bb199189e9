// Renderings of `snc run-tests` results: a line per test for the terminal
// (with the first failure's code, property or divergence, file:line and the
// recording), the summary line, and JUnit XML (one testcase per test case).
import type { CaseResult, SuiteResult } from '../runner/run.js';
import { printable } from './io.js';
import { plural } from './render.js';

const MARK = { pass: '✓', fail: '✗', skip: '-' } as const;

/** One test: `✗ tiny-transitions-3  (10 steps, 0.3 s)  RECORDING` and, on failure, why and where. */
export function caseLine(r: CaseResult): string {
  const head = `${MARK[r.status]} ${r.id}  (${plural(r.length, 'step')}, ${r.seconds} s)${r.status !== 'skip' && r.recording ? `  ${r.recording}` : ''}`;
  const lines = [head];
  if (r.status === 'skip') lines.push(`    skipped: ${r.skipped}`);
  for (const f of r.failures.slice(0, 3)) lines.push(`    ${f.code} ${f.property}${f.at ? ` at ${f.at}` : ''}: ${f.message.length > 240 ? f.message.slice(0, 240) + '…' : f.message}`);
  if (r.failures.length > 3) lines.push(`    … and ${r.failures.length - 3} more problems${r.recording ? ` (snc check ${r.recording})` : ''}`);
  if (r.expectedViolated.length) lines.push(`    expected violation${r.expectedViolated.length === 1 ? '' : 's'} seen: ${r.expectedViolated.join(', ')}`);
  for (const n of r.notes) lines.push(`    note: ${n}`);
  return lines.map(printable).join('\n') + '\n';
}

/** The closing summary: counts, time, scale, seed, how to replay. */
export function runSummary(s: SuiteResult, file: string, adapter = '…'): string {
  const total = s.cases.length;
  const bugs = s.bugs.length ? ` --bug ${s.bugs.join(' --bug ')}` : '';
  return printable(`snc run-tests ${file} on ${s.adapter}${s.bugs.length ? ` (bugs: ${s.bugs.join(', ')})` : ''}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${plural(total, 'test')} (${s.seconds} s; time scale ${s.timeScale}, seed ${s.seed})`)
    + (s.failed ? `\nreplay: snc run-tests ${printable(file)} --adapter ${printable(adapter)} --seed ${s.seed} --time-scale ${s.timeScale}${printable(bugs)}` : '') + '\n';
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite, a testcase per test case. */
export function runJunit(s: SuiteResult): string {
  const cases = s.cases.map((r) => {
    const body = r.status === 'skip' ? `<skipped message="${xml(r.skipped ?? '')}"/>`
      : r.status === 'fail' ? `<failure message="${xml(r.failures[0]?.message ?? 'failed')}">${xml([...r.failures.map((f) => `${f.code} ${f.property}${f.at ? ` at ${f.at}` : ''}: ${f.message}`), ...(r.recording ? [`recording: ${r.recording}`] : [])].join('\n'))}</failure>` : '';
    return `    <testcase classname="${xml(s.suite)}" name="${xml(r.id)}" time="${r.seconds}">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snc run-tests">\n  <testsuite name="${xml(`${s.suite} on ${s.adapter}`)}" tests="${s.cases.length}" failures="${s.failed}" skipped="${s.skipped}" time="${s.seconds}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
