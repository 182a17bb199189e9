// `snc check` on two threads (checker/conform/pipeline.ts: the file read, parsed and
// validated on a worker, the events passed through a shared ring) must give the report
// the one-thread check gives, byte for byte but for `seconds`: the same verdict, problems,
// context lines, properties and hidden steps. Compared on every bundled trace and on a
// simulated outage edited to take every road through the ring: string mids, non-ASCII ids
// and passwords, a BOM and CRLF, lines in other spellings (through the port), more
// distinct strings than the string table holds, invalid lines, --stop-at-first and
// --max-errors. Also: readLinesAt (the context read again) gives readLines's texts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkFile, type CheckOptions } from '../checker/conform/check.js';
import { pipelineFits, readPiped } from '../checker/conform/pipeline.js';
import { MAX_STRINGS, RING_WORDS } from '../checker/conform/wire.js';
import { readLines, readLinesAt } from '../checker/trace/reader.js';
import { EXPLORED_DIR } from '../traces/gen.js';
import { ROOT, snc } from './helpers/cli.js';

/** Checks `file` on one thread and on two, asserts the reports are the same, and returns it. */
async function same(file: string, opts: CheckOptions = {}) {
  const one = await checkFile(file, { ...opts, threads: 1 });
  const two = await checkFile(file, { ...opts, threads: 2 });
  delete (one as { seconds?: number }).seconds;
  delete (two as { seconds?: number }).seconds;
  assert.deepEqual(two, one, `${file} ${JSON.stringify(opts)}`);
  return one;
}

describe('snc check on two threads gives the one-thread report', function () {
  this.timeout(300_000);
  let outage = '';
  let lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'snc-pipe-'));
  const variant = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };

  before(async () => {
    outage = join(dir, 'outage.ndjson');
    const r = await snc(['simulate', 'outage-2010', '--clients', '250', '--hours', '3', '--trace', outage, '--sample-clients', '250']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    lines = readFileSync(outage, 'utf8').split('\n').filter(Boolean);
  });

  it('every bundled sample and explored trace', async () => {
    // (Each two-thread check starts a worker: ~0.2 s from the TypeScript sources.)
    const files = (d: string) => readdirSync(d).filter((f) => f.endsWith('.ndjson')).map((f) => join(d, f));
    assert.ok(files(join(ROOT, 'traces/samples')).length + files(EXPLORED_DIR).length >= 25);
    for (const f of files(join(ROOT, 'traces/samples'))) await same(f);
    for (const f of files(EXPLORED_DIR)) await same(f, { hidden: 0 });
  });

  it('a simulated outage: its violations and their context lines (read again from the line starts the worker noted); the ring wraps', async () => {
    // Enough records to go round the ring several times (a send is 11 words).
    assert.ok(lines.length * 6 > 3 * RING_WORDS, `${lines.length} lines`);
    assert.ok(lines.length > 2 * 65536, 'lines past the first entries of the sparse index of line starts');
    const r = await same(outage, { hidden: 0 });
    assert.equal(r.verdict, 'violates');
    assert.ok(r.problems.some((p) => p.property === 'no-client-crash' && p.context!.length === 5), JSON.stringify(r.problems.map((p) => [p.property, p.context?.length])));
    await same(outage, { hidden: 2, stopAtFirst: true });
  });

  it('string mids past the string table, non-ASCII ids and passwords, a BOM, a blank line and CRLF, other spellings through the port', async () => {
    const edited = lines.map((l, i) => {
      let x = l.replace(/"mid":(\d+)/, '"mid":"m$1"').replace(/"c(\d+)"/g, '"ç$1"').replace('"password":"secret"', '"password":"sécret✓"');
      if (i % 7 === 3) x = x.replace('{"type":"deliver",', '{"type": "deliver",'); // another spelling: JSON.parse, the port
      if (i % 11 === 5) x = x.replace(/"user":"(\w+)","password":"([^"]*)"/, '"password":"$2","user":"$1"'); // a LoginRequest's keys in another order
      return x;
    });
    const distinct = new Set(edited.map((l) => /"mid":"(m\d+)"/.exec(l)?.[1]).filter(Boolean));
    assert.ok(distinct.size > MAX_STRINGS, `${distinct.size} distinct mids: the string table must restart`);
    const f = variant('edited.ndjson', '\ufeff\r\n' + edited.join('\r\n') + '\r\n'); // the header on line 2, after a blank line
    const r = await same(f, { hidden: 0 });
    assert.equal(r.verdict, 'violates');
    assert.ok(r.problems.some((p) => p.context!.some((c) => c.includes('ç'))));
  });

  it('non-ASCII ids all along, a problem past the first line starts the worker notes: the same context', async () => {
    // In a chunk that is not ASCII the reader's offsets count characters: no line start is noted there.
    const f = variant('cedilla.ndjson', lines.map((l) => l.replace(/"c(\d+)"/g, '"ç$1"')).join('\n') + '\n');
    const r = await same(f, { hidden: 0 });
    assert.ok(r.problems.some((p) => (p.line ?? 0) > 65536 && p.context!.length === 5), JSON.stringify(r.problems.map((p) => p.line)));
  });

  it('invalid lines after events, --max-errors and --stop-at-first', async () => {
    const bad = [...lines];
    bad.splice(20_000, 0, '{"type":"send",', '{"type":"deliver","t":1,"mid":987654321}');
    const f = variant('invalid.ndjson', bad.join('\n') + '\n');
    assert.equal((await same(f, { hidden: 0 })).verdict, 'invalid');
    assert.equal((await same(f, { hidden: 0, maxErrors: 1 })).truncated, true);
    await same(f, { hidden: 0, stopAtFirst: true });
  });

  it('escaped strings in messages (a lone surrogate, quotes, other key orders) go through the port unchanged', async () => {
    // The fast parser takes such a message with JSON.parse: its strings are not the line's text.
    const sample = readFileSync(join(ROOT, 'traces/samples/valid-login-two-clients.ndjson'), 'utf8');
    const text = sample.replaceAll('"password":"wonderland"', '"password":"\\ud800"').replaceAll('"user":"alice"', '"user":"al\\"ice"');
    assert.notEqual(text, sample);
    const r = await same(variant('escaped.ndjson', text));
    assert.equal(r.verdict, 'conforms', JSON.stringify(r.problems.slice(0, 2)));
    await same(variant('no-context.ndjson', text), { context: 0 });
  });

  it('a pipe, not a regular file, is read on one thread even with threads: 2', async function () {
    const fifo = join(dir, 'fifo.ndjson');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    // The writer in another process: opening a FIFO blocks until both ends are open.
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', join(ROOT, 'traces/samples/valid-login-two-clients.ndjson'), fifo], { stdio: 'ignore' });
    const r = await checkFile(fifo, { threads: 2 });
    await new Promise((resolve) => writer.on('close', resolve));
    assert.equal(r.verdict, 'conforms');
    assert.equal(pipelineFits(fifo, 2), false);
  });

  it('a file that cannot be read rejects with the same error', async () => {
    const errorOf = (threads: 1 | 2) => checkFile(dir, { threads }).then(() => 'resolved', (e: NodeJS.ErrnoException) => e.code);
    const one = await errorOf(1);
    assert.ok(one && one !== 'resolved', String(one));
    assert.equal(await errorOf(2), one);
  });

  it('a reading thread that fails or stops early ends the check with an error, not a hang', async () => {
    const sink = { header() {}, event() {}, send() {}, settle() {}, timeout() {}, input() {}, problem() {} };
    const opts = { file: 'x', highWaterMark: 65536, stopAtFirst: false };
    const worker = (name: string, body: string) => { const f = join(dir, name); writeFileSync(f, body); return pathToFileURL(f); };
    const fails = worker('throws.mjs', 'throw new Error("a bug in the reading thread");');
    const stops = worker('exits.mjs', 'process.exit(0);');
    const file = join(ROOT, 'traces/samples/valid-login-two-clients.ndjson');
    await assert.rejects(readPiped(file, { ...opts, workerModule: fails }, sink), /a bug in the reading thread/);
    await assert.rejects(readPiped(file, { ...opts, workerModule: stops }, sink), /the reading thread stopped before the end of the trace/);
  });

  it('two threads only for a large file on a machine with two cores, never for standard input', () => {
    assert.equal(pipelineFits('-'), false);
    assert.equal(pipelineFits('-', 2), false);
    assert.equal(pipelineFits(join(ROOT, 'traces/samples/valid-login-two-clients.ndjson'), 2), true);
    assert.equal(pipelineFits(outage, 1), false);
    assert.equal(pipelineFits(join(ROOT, 'traces/samples/valid-login-two-clients.ndjson')), false);
    assert.equal(pipelineFits(join(dir, 'missing.ndjson')), false);
  });
});

describe('readLinesAt: the texts readLines gives, for a few lines', () => {
  it('readLines gives a line\'s file offset (base + at) only where it is the byte offset, in ASCII and other chunks alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-line-starts-'));
    const f = join(dir, 'mixed.txt');
    const text = Array.from({ length: 300 }, (_, i) => (i % 37 === 5 ? `line ${i} ünïcödé ✓` : `line ${i} plain`) + (i % 11 === 0 ? '\r' : '')).join('\n') + '\n';
    writeFileSync(f, '\ufeff' + text);
    const file = readFileSync(f);
    const starts = [0];
    for (let k = file.indexOf(10); k >= 0; k = file.indexOf(10, k + 1)) starts.push(k + 1);
    let checked = 0;
    await readLines(f, {
      line: (_t, no, bytes, at, base) => {
        if (!bytes) { assert.ok(base === undefined || base < 0, `line ${no}: an offset without the bytes`); return; }
        if (at === undefined || at < 0 || base === undefined || base < 0) return;
        assert.equal(base + at, starts[no - 1], `line ${no}`);
        checked++;
      },
      overlong: () => {},
    }, { sync: true, highWaterMark: 64 });
    assert.ok(checked > 100, `${checked} offsets checked`);
  });

  it('leaves out a line longer than the cap, as readLines does, without collecting it whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-lines-at-long-'));
    const f = join(dir, 'long.txt');
    writeFileSync(f, 'x'.repeat(100) + '\r\n' + 'y'.repeat(1000) + '\nshort\n');
    const seen: number[] = [];
    await readLines(f, { line: (_t, no) => { seen.push(no); }, overlong: () => {} }, { maxLineLength: 100 });
    assert.deepEqual(seen, [3]); // line 1 is 101 characters with its CR, as LineSplitter counts
    assert.deepEqual(readLinesAt(f, [1, 2, 3], { maxLineLength: 100, chunk: 64 }), new Map([[3, 'short']]));
  });

  it('with a BOM, CRLF, empty lines, non-ASCII and broken UTF-8, lines across chunks, no final newline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-lines-at-'));
    const f = join(dir, 't.txt');
    const parts = [Buffer.from('\ufefffirst\r\n'), Buffer.from('\n'), Buffer.from('ünïcode ✓ line\n'), Buffer.from([0x61, 0xc3, 0x0a]), Buffer.from('x'.repeat(50) + '\r\n'), Buffer.from('\r\n'), Buffer.from('last, no newline')];
    writeFileSync(f, Buffer.concat(parts));
    const all = new Map<number, string>();
    await readLines(f, { line: (text, no) => { all.set(no, text); }, overlong: () => {} });
    const nums = [...all.keys()];
    assert.equal(nums.length, 7);
    // Line 3 starts after line 1 (its BOM, 'first', CRLF) and line 2 (a newline).
    const from = { line: 3, offset: Buffer.byteLength('\ufefffirst\r\n\n') };
    for (const chunk of [3, 7, 1024]) {
      assert.deepEqual(readLinesAt(f, nums, { chunk }), all, `chunk ${chunk}`);
      assert.deepEqual(readLinesAt(f, [3, 5, 7], { chunk, from }), new Map([3, 5, 7].map((n) => [n, all.get(n)])), `chunk ${chunk}, from line 3`);
      // A start after the first wanted line is not used.
      assert.deepEqual(readLinesAt(f, [2, 3], { chunk, from }), new Map([[2, all.get(2)], [3, all.get(3)]]), `chunk ${chunk}`);
      assert.deepEqual(readLinesAt(f, [2, 5, 9], { chunk }), new Map([[2, all.get(2)], [5, all.get(5)]]), `chunk ${chunk}`);
    }
  });
});
