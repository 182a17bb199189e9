// The HTML page of `snc explain --format html` renders offline in a real
// browser: headless Debian chromium loads the file with the network off and
// mermaid draws an SVG sequence diagram with the highlighted violation.
// Skipped, loudly, where /usr/bin/chromium is missing (CI installs nothing;
// `apt-get install -y chromium` enables it). The Mermaid syntax itself is
// checked without a browser in docs-mermaid.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadTrace } from '../checker/explain/load.js';
import { explainTrace } from '../checker/explain/explain.js';
import { verdictFromReport } from '../checker/explain/verdict.js';

const CHROMIUM = '/usr/bin/chromium';
const TRACE = 'test/golden/late-im-crash.no-client-crash.ndjson';

describe('snc explain --format html in a browser', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!existsSync(CHROMIUM)) {
      process.stderr.write(`\n  SKIPPED: ${CHROMIUM} is missing, so the HTML page of snc explain is not rendered (apt-get install -y chromium to run it)\n`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'snc-render-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('draws an SVG sequence diagram with the violation note, with no network', async () => {
    const r = await loadTrace(TRACE);
    assert.ok(r.ok);
    const { document } = await explainTrace(r.trace, await verdictFromReport('test/golden/late-im-crash.report.json', TRACE), 'html');
    const file = join(dir, 'ce.html');
    writeFileSync(file, document);
    const { stdout } = await promisify(execFile)(CHROMIUM, [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--user-data-dir=' + join(dir, 'profile'),
      // Any request leaving the machine would fail: the page must not need one.
      '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
      '--virtual-time-budget=10000', '--dump-dom', `file://${file}`,
    ], { maxBuffer: 64 * 1024 * 1024 });
    assert.match(stdout, /<svg[^>]*aria-roledescription="sequence"/, 'mermaid rendered a sequence diagram');
    assert.match(stdout, /no-client-crash violated/);
    assert.doesNotMatch(stdout, /aria-roledescription="error"/, "mermaid drew its syntax-error picture");
  });
});
