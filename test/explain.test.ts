// `snc explain`: the Mermaid sequence diagram of the golden counterexample is
// pinned (test/golden/late-im-crash.explain.mmd; UPDATE_GOLDEN=1 rewrites it),
// the prose names the violation, --around draws a window, the HTML page is
// self-contained, and bad input gets the usual exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrace } from '../checker/explain/load.js';
import { sequenceDiagram } from '../checker/explain/sequence.js';
import { proseOf } from '../checker/explain/prose.js';
import { verdictFromReport } from '../checker/explain/verdict.js';
import { hasStackTrace, simulatedTrace, snc } from './helpers/cli.js';
import { main } from '../checker/cli/main.js';
import { memoryIo } from '../checker/cli/io.js';

/** Runs the CLI in this process (fast), for exit codes and messages. */
async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

const TRACE = 'test/golden/late-im-crash.no-client-crash.ndjson';
const REPORT = 'test/golden/late-im-crash.report.json';
const GOLDEN = 'test/golden/late-im-crash.explain.mmd';
let dir: string;

/** A valid trace of `n` Keepalive round trips between c1 and sn1. */
function longTrace(n: number): string {
  const lines: object[] = [{ type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: [{ id: 'sn1', role: 'supernode', host: 'h0' }, { id: 'c1', role: 'client', host: 'h1', user: 'alice' }] }];
  for (let i = 0; i < n; i++) {
    lines.push({ type: 'send', t: 10 * i, from: 'c1', to: 'sn1', mid: `k${i}`, msg: { kind: 'Keepalive' } });
    lines.push({ type: i === 7 ? 'drop' : 'deliver', t: 10 * i + 5, mid: `k${i}` });
  }
  lines.push({ type: 'send', t: 10 * n, from: 'c1', to: 'sn1', mid: 'last', msg: { kind: 'Keepalive' } });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('snc explain', () => {
  before(() => { dir = mkdtempSync(join(tmpdir(), 'snc-explain-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the golden counterexample as pinned, the violation highlighted', async () => {
    const r = await loadTrace(TRACE);
    assert.ok(r.ok);
    const verdict = await verdictFromReport(REPORT, TRACE);
    assert.ok(verdict && verdict.length === 1, 'the report holds the violation');
    const diagram = sequenceDiagram(r.trace, verdict) + '\n';
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, diagram);
    assert.equal(diagram, readFileSync(GOLDEN, 'utf8'), `the diagram changed; if on purpose: UPDATE_GOLDEN=1 npx mocha test/explain.test.ts`);
    assert.match(diagram, /rect rgba\(255, 80, 80, 0\.25\)\n {2}im->>c1: OfflineImBatch 0\n {2}Note over c1: ✗ no-client-crash violated/);
  });

  it('says in prose what was violated, where and when', async () => {
    const r = await loadTrace(TRACE);
    assert.ok(r.ok);
    const prose = proseOf(r.trace, await verdictFromReport(REPORT, TRACE));
    assert.deepEqual(prose.verdict, ['no-client-crash violated at line 27 (step 15) [c1]: c1 (version 5.0.0.152) crashed on OfflineImBatch from im']);
    assert.ok(prose.happenings.includes('step 15 (line 28): host h-c1 crashed, taking down c1'));
    assert.equal(proseOf(r.trace, null).verdict, null);
  });

  it('--around LINE draws the 20 events before and after, and says what it left out', async () => {
    const file = join(dir, 'long.ndjson');
    writeFileSync(file, longTrace(60));
    const r = await loadTrace(file, { around: 60 });
    assert.ok(r.ok);
    assert.equal(r.trace.events.length, 41);
    assert.equal(r.trace.centre, 60);
    assert.deepEqual([r.trace.events[0].line, r.trace.events[40].line], [40, 80]);
    const d = sequenceDiagram(r.trace);
    assert.match(d, /Note over sn1,c1: … 38 earlier events not shown \(lines 2–39\)/);
    assert.match(d, /later events not shown \(from line 81\)/);
    // A send whose deliver is past the window is an open arrow; a dropped one is lost; the last never arrives.
    const whole = sequenceDiagram((await loadTrace(file) as { ok: true; trace: never }).trace);
    assert.match(whole, /c1-xsn1: Keepalive \(dropped\)/);
    assert.match(whole, /c1-xsn1: Keepalive \(never delivered\)/);
    assert.match(d, /c1-\)sn1: Keepalive \(delivered at line 81\)/);
  });

  it('CLI: Markdown to stdout, with the verdict of --report', async () => {
    const r = await snc(['explain', TRACE, '--report', REPORT]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Trace late-im-crash\.no-client-crash\.ndjson\n/);
    assert.match(r.stdout, /- no-client-crash violated at line 27 \(step 15\)/);
    assert.ok(r.stdout.includes('```mermaid\n' + readFileSync(GOLDEN, 'utf8') + '```\n'));
  });

  it('CLI: without --report, takes the verdict from the conformance checker', async () => {
    const r = await snc(['explain', TRACE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n- no-client-crash violated at line \d+/);
    assert.match(r.stdout, /rect rgba/);
  });

  it('CLI: a long trace whose first problem lies past the first 1000 events is drawn around that problem', async () => {
    const { dir, file, lines } = await simulatedTrace('snc-explain-long-');
    assert.ok(lines.length > 1100, `${lines.length} lines`);
    const t = JSON.parse(lines.at(-1)!).t;
    lines.push(JSON.stringify({ type: 'send', t, from: 'c1', to: 's1', mid: 'bogus', msg: { kind: 'KeepaliveAck' } }));
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await snc(['explain', file, '-o', join(dir, 'long.md')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`note: the first problem is on line ${lines.length}, past the first \\d+ lines: drawing the events around it`));
    assert.match(readFileSync(join(dir, 'long.md'), 'utf8'), new RegExp(`around line ${lines.length}`));
  });

  it('CLI: a trace on standard input (-) gets the checker\'s verdict too', async () => {
    const r = await snc(['explain', '-'], readFileSync(TRACE));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<stdin>: 4 actors/m);
    assert.match(r.stdout, /\n- no-client-crash violated at line \d+/);
    assert.doesNotMatch(r.stdout, /not checked/);
  });

  it('CLI: --format html writes one page that needs no network', async function () {
    this.timeout(60_000);
    const out = join(dir, 'ce.html');
    const r = await snc(['explain', TRACE, '--report', REPORT, '--format', 'html', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*ce\.html \(html, 27 events\)\n$/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<pre class="mermaid">\nsequenceDiagram\n/);
    assert.match(html, /mermaid\.initialize\(/);
    assert.ok(html.length > 1_000_000, 'the mermaid bundle is inlined');
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'exactly the bundle and the init script');
    const page = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    assert.ok(!/<script[^>]+src=|<link[^>]+href=|@import|https?:\/\//i.test(page), `the page outside the bundle loads something:\n${page}`);
  });

  it('CLI: explains a problem code or a property id', async () => {
    const code = await run(['explain', 'TRC005']);
    assert.equal(code.code, 0);
    assert.match(code.stdout, /^TRC005 deliver or drop of an unknown mid\n {2}hint: /);
    const prop = await run(['explain', 'no-client-crash']);
    assert.match(prop.stdout, /^no-client-crash \(always\)\n {2}No client crashes/);
    // -o FILE takes the page too (it used to be printed, and no file written).
    const out = join(mkdtempSync(join(tmpdir(), 'snc-topic-')), 'trc005.md');
    const written = await run(['explain', 'TRC005', '-o', out]);
    assert.equal(written.code, 0);
    assert.equal(written.stdout, `wrote ${out} (TRC005)\n`);
    assert.match(readFileSync(out, 'utf8'), /^TRC005 deliver or drop of an unknown mid\n/);
  });

  it('CLI: exit 3 for an invalid trace, 2 for a missing file, a bad flag or a line past the end', async () => {
    const bad = await run(['explain', 'traces/samples/invalid-bad-json.ndjson']);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /invalid-bad-json\.ndjson:4: TRC001/);
    const cases: [string[], RegExp][] = [
      [['explain', 'no/such.ndjson'], /CLI002 file not found/],
      [['explain', TRACE, '--format', 'pdf'], /CLI001 --format must be one of md, html/],
      [['explain', TRACE, '--around', 'x'], /CLI001 --around must be an integer/],
      [['explain', TRACE, '--around', '999'], /CLI001 --around 999 is past the last event \(line 28\)/],
      [['explain', TRACE, '--arround', '3'], /CLI001 unknown flag --arround/],
      [['explain'], /CLI001 no trace file given/],
    ];
    // A --report that is not a report is bad input (3), as the other commands' input files are.
    const notReport = await run(['explain', TRACE, '--report', 'traces/samples/valid-login-two-clients.ndjson']);
    assert.equal(notReport.code, 3, notReport.stderr);
    assert.match(notReport.stderr, /RPT001 .* is not JSON/);
    for (const [args, re] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
    }
  });
});
