// The fast paths of checker/trace used by `snc check` (issue #5): the
// validator's fast event parser (fast-event.ts): whatever it accepts is a
// schema-valid event, and the object it returns is the one JSON.parse gives
// (keys, order, values); whatever else it sees, it leaves to the general path.
// Checked on every line of the sample traces and on many mutations of them, and
// through the validator. And the reader's synchronous file reads (`sync`): the
// same lines as the stream gives.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines, type LineSink } from '../checker/trace/reader.js';
import { CONST_MESSAGES_KEYED, FastEvents } from '../checker/trace/fast-event.js';
import { traceValidators } from '../checker/trace/schema.js';
import { TraceValidator } from '../checker/trace/validate.js';
import { mulberry32 } from '../checker/sim/rng.js';

const DIRS = ['traces/samples', 'traces/explored'];
const files = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ndjson')).map((f) => `${d}/${f}`));
const V = traceValidators();

/** Lines 2… of `file`, and a parser that knows its header's actors. */
function load(file: string): { fast: FastEvents; lines: string[] } {
  const all = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const fast = new FastEvents();
  try { for (const a of JSON.parse(all[0]).actors ?? []) fast.addActor(a.id); } catch { /* not a header */ }
  return { fast, lines: all.slice(1) };
}

/** The fast parser's answer for `line`, checked against JSON.parse and the schema when it gives one. */
function agrees(fast: FastEvents, line: string): boolean {
  const ev = fast.parse(line);
  const seen = [JSON.stringify(ev), fast.actorA, fast.actorB, fast.unknownIds];
  // The same from the line's bytes (the reader's ASCII chunks), amid other lines: the same answer.
  if (/^[\x00-\x7f]*$/.test(line)) {
    for (const [before, after] of [['', ''], ['{"type":"deliver","t":1,"mid":1}\n', '\n{"type":"send","t":123,"from":"c1"'], ['xyz', '\n9999999']]) {
      const bytes = Buffer.from(before + line + after, 'latin1');
      const other = fast.parse(line, bytes, before.length);
      assert.deepEqual([JSON.stringify(other), fast.actorA, fast.actorB, fast.unknownIds], seen, `from bytes: ${line}`);
    }
  }
  if (ev === null) return false;
  let ref: { type?: unknown };
  try { ref = JSON.parse(line); } catch { assert.fail(`accepted a line JSON.parse rejects: ${line}`); }
  assert.equal(JSON.stringify(ev), JSON.stringify(ref), line);
  assert.deepEqual(ev, ref, line);
  assert.ok(V.eventFor(ref.type)(ref), `accepted a schema-invalid event: ${line}`);
  return true;
}

const ALPHABET = ['"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '1', '9', '-', '.', 'e', 'a', 'n', '\u0001', '\u00e9', '\ud83d', 'null', 'true', '"x"', '1.5', '1e3', '00'];

describe('fast event parser', () => {
  it('agrees with JSON.parse on every line of the samples it accepts, and accepts most of them', () => {
    let n = 0;
    let hit = 0;
    for (const f of files) {
      const { fast, lines } = load(f);
      for (const l of lines) { n++; if (agrees(fast, l)) hit++; }
    }
    assert.ok(n > 500 && hit / n > 0.5, `${hit} of ${n}`);
  });

  it('agrees with JSON.parse on mutated lines, or leaves them to the general path', () => {
    const rand = mulberry32(5);
    let accepted = 0;
    let tried = 0;
    for (const f of files) {
      const { fast, lines } = load(f);
      for (const l of lines) {
        for (let k = 0; k < 40; k++) {
          let m = l;
          const edits = 1 + Math.floor(rand() * 2);
          for (let j = 0; j < edits; j++) {
            const at = Math.floor(rand() * (m.length + 1));
            const piece = ALPHABET[Math.floor(rand() * ALPHABET.length)];
            const op = rand();
            m = op < 0.4 ? m.slice(0, at) + piece + m.slice(at + 1) : op < 0.7 ? m.slice(0, at) + piece + m.slice(at) : m.slice(0, at) + m.slice(at + 1);
          }
          tried++;
          if (agrees(fast, m)) accepted++;
        }
      }
    }
    assert.ok(accepted > 0 && accepted < tried, `${accepted} of ${tried}`);
  });

  it('tells the constant messages apart by key (else it would look each text up)', () => {
    assert.equal(CONST_MESSAGES_KEYED, true);
  });

  it('handles the forms it knows, and leaves the rest', () => {
    const fast = new FastEvents();
    fast.addActor('c1');
    fast.addActor('sn1');
    const yes = [
      '{"type":"deliver","t":0,"mid":7}',
      '{"type":"drop","t":123456789012345,"mid":"m-1"}',
      '{"type":"deliver","t":5,"mid":""}',
      '{"type":"timeout","t":3,"actor":"c1","timer":"keepalive"}',
      '{"type":"timeout","t":3,"actor":"zz","timer":"loadWindow"}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Connect"}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectReject","reason":"closing"}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectAck","supernodes":[]}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectAck","supernodes":["sn1","other"]}}',
      '{"type":"send","t":1,"from":"c1","to":"auth","mid":3,"msg":{"kind":"LoginRequest","user":"u1","password":""}}',
      '{"type":"send","t":1,"from":"auth","to":"c1","mid":4,"msg":{"kind":"LoginOk","credential":{"user":"u1","issuedAt":1,"expiresAt":86400001,"sig":"ab"}}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":5,"msg":{"kind":"Register","credential":{"user":"u1","issuedAt":1,"expiresAt":2,"sig":"ab"}}}',
      '{"type":"send","t":1,"from":"im","to":"c1","mid":6,"msg":{"kind":"OfflineImBatch","count":0}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":7,"msg":{"kind":"Lookup","user":"bob"}}',
      '{"type":"input","t":1,"actor":"c1","input":{"kind":"Login"}}',
      '{"type":"input","t":1,"actor":"nobody","input":{"kind":"SetMode","mode":"overloaded"}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":7,"msg":{"kind":"Lookup", "user":"b\\u00e9"}}',
    ];
    const no = [
      '{"type":"deliver","t":1.5,"mid":7}', '{"type":"deliver","t":01,"mid":7}', '{"type":"deliver","t":1e3,"mid":7}',
      '{"type":"deliver","t":-1,"mid":7}', '{"type":"deliver","t":1234567890123456,"mid":7}', '{"type":"deliver","t":1,"mid":7} ',
      '{"type":"deliver", "t":1,"mid":7}', '{"type":"deliver","mid":7,"t":1}', '{"type":"deliver","t":1,"mid":"a\\"b"}',
      '{"type":"deliver","t":1,"mid":7,"x":1}', '{"type":"deliver","t":1,"mid":null}', '{"type":"deliver","t":1,"mid":"' + 'x'.repeat(257) + '"}',
      '{"type":"timeout","t":3,"actor":"c1","timer":"nope"}', '{"type":"timeout","t":3,"actor":"","timer":"retry"}',
      '{"type":"timeout","t":3,"actor":"c\\u0031","timer":"retry"}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Nope"}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Connect","x":1}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectReject","reason":"other"}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectReject","reason":"busy"}}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"Keepalive"}} }',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectAck","supernodes":[""]}}',
      '{"type":"send","t":1,"from":"sn1","to":"c1","mid":2,"msg":{"kind":"ConnectAck","supernodes":["a",]}}',
      '{"type":"send","t":1,"from":"auth","to":"c1","mid":4,"msg":{"kind":"LoginOk","credential":{"user":"u1","issuedAt":1,"expiresAt":2}}}',
      '{"type":"send","t":1,"from":"im","to":"c1","mid":6,"msg":{"kind":"OfflineImBatch","count":-1}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Connect"}}}',
      '{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Connect"}',
      '{"type":"input","t":1,"actor":"c1","input":{"kind":"Lookup","user":"bob"}}', '{"type":"input","t":1,"actor":"c1","input":{"kind":"SetMode","mode":"fast"}}',
      '{"type":"input","t":1,"actor":"c1","input":{"kind":"Login"} }', '{"type":"note","t":1,"text":"x"}', '', '{', '{"type":"send"',
    ];
    for (const l of yes) assert.ok(agrees(fast, l), `should accept ${l}`);
    for (const l of no) assert.equal(fast.parse(l), null, `should leave ${l}`);
    // Known ids come back as the table's own strings; an unknown one is flagged for the validator.
    const ev = fast.parse('{"type":"send","t":1,"from":"c1","to":"sn1","mid":1,"msg":{"kind":"Connect"}}') as { from: string };
    assert.equal(fast.unknownIds, false);
    fast.parse('{"type":"send","t":1,"from":"c1","to":"nobody","mid":1,"msg":{"kind":"ConnectAck","supernodes":["sn1"]}}');
    assert.equal(fast.unknownIds, true);
    fast.parse('{"type":"timeout","t":3,"actor":"c1","timer":"retry"}');
    assert.equal(fast.unknownIds, false);
    assert.equal(ev.from, 'c1');
    // The actors' numbers, in the order they were added.
    fast.parse('{"type":"send","t":1,"from":"sn1","to":"c1","mid":1,"msg":{"kind":"ConnectAck","supernodes":["sn1","c1"]}}');
    assert.deepEqual([fast.actorA, fast.actorB], [1, 0]);
    fast.parse('{"type":"timeout","t":3,"actor":"sn1","timer":"retry"}');
    assert.deepEqual([fast.actorA, fast.actorB], [1, -1]);
    fast.parse('{"type":"send","t":1,"from":"ghost","to":"c1","mid":1,"msg":{"kind":"Connect"}}');
    assert.deepEqual([fast.actorA, fast.actorB], [-1, 0]);
    fast.parse('{"type":"deliver","t":1,"mid":1}');
    assert.deepEqual([fast.actorA, fast.actorB], [-1, -1]);
  });

  it('knows its actor ids exactly: short and long, ASCII or not, among thousands', () => {
    const fast = new FastEvents();
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) ids.push(i % 3 === 0 ? `c${i}` : i % 3 === 1 ? `supernode-${i}` : `é${i}`);
    ids.push('a', 'ab', 'abcdefg', 'abcdefgh', 'abcdefghi', '\u007f', 'x\u0001y');
    for (const id of ids) fast.addActor(id);
    fast.addActor('a'); // twice: no new number
    const line = (actor: string) => JSON.stringify({ type: 'timeout', t: 1, actor, timer: 'retry' });
    ids.forEach((id, i) => {
      const ev = fast.parse(line(id)) as { actor: string } | null;
      if (id === 'x\u0001y') { assert.equal(ev, null); return; } // escaped in JSON: the general path
      assert.ok(ev && ev.actor === id && fast.actorA === i && !fast.unknownIds, `${JSON.stringify(id)} as number ${i}`);
    });
    for (const other of ['c1x', 'abcdefgj', 'abcdef', 'abcdefghij', 'c', 'supernode-', '\u007f\u007f', 'é']) {
      assert.ok(fast.parse(line(other)));
      assert.equal(fast.unknownIds, true, JSON.stringify(other));
      assert.equal(fast.actorA, -1);
    }
  });

  it('the validator reports the same problems with it, e.g. an unknown actor on a fast line', () => {
    const header = JSON.stringify({ type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: [{ id: 'sn1', role: 'supernode', host: 'hs1' }, { id: 'c1', role: 'client', host: 'h1', user: 'alice' }] });
    const v = new TraceValidator({ file: 'x' });
    v.accept(header, 1);
    assert.equal(v.accept('{"type":"send","t":1,"from":"c1","to":"ghost","mid":1,"msg":{"kind":"Connect"}}', 2), null);
    assert.equal(v.accept('{"type":"timeout","t":2,"actor":"ghost","timer":"retry"}', 3), null);
    assert.equal(v.accept('{"type":"deliver","t":0,"mid":1}', 4), null);
    assert.equal(v.accept('{"type":"deliver","t":3,"mid":1}', 5), null);
    assert.ok(v.accept('{"type":"send","t":3,"from":"c1","to":"sn1","mid":2,"msg":{"kind":"Connect"}}', 6));
    assert.deepEqual([v.actorA, v.actorB], [1, 0]); // the header's order: sn1, c1
    assert.ok(v.accept('{"type":"send", "t":3,"from":"c1","to":"sn1","mid":3,"msg":{"kind":"Connect"}}', 7));
    assert.deepEqual([v.actorA, v.actorB], [-1, -1]); // the general path
    assert.deepEqual(v.finish().problems.map((p) => `${p.code}@${p.line}`), ['TRC008@2', 'TRC008@3', 'TRC010@4', 'TRC006@5']);
  });

  it('still reports a settled integer mid sent again, below and at the largest one settled', () => {
    const header = JSON.stringify({ type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: [{ id: 'sn1', role: 'supernode', host: 'hs1' }, { id: 'c1', role: 'client', host: 'h1', user: 'alice' }] });
    const send = (mid: number) => `{"type":"send","t":1,"from":"c1","to":"sn1","mid":${mid},"msg":{"kind":"Connect"}}`;
    const v = new TraceValidator({ file: 'x' });
    const lines = [header, send(4), send(5), '{"type":"deliver","t":1,"mid":4}', '{"type":"drop","t":1,"mid":5}', send(3), send(4), send(5), send(6)];
    lines.forEach((l, i) => v.accept(l, i + 1));
    assert.deepEqual(v.finish().problems.map((p) => `${p.code}@${p.line}`), ['TRC007@7', 'TRC007@8']);
  });
});

describe('readLines with sync reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snc-trace-fast-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const recorder = () => {
    const seen: [number, string][] = [];
    const sink: LineSink & { seen: typeof seen } = { seen, line(text, n) { seen.push([n, text]); }, overlong(n, len, head) { seen.push([n, `overlong ${len} ${head}`]); } };
    return sink;
  };

  it('gives the lines the stream gives, whatever the chunk size (multi-byte characters, BOM, CR, a cut last character, over-long lines)', async () => {
    const file = join(dir, 'utf8.ndjson');
    const text = '\uFEFF"héllo"\r\n"wörld 😀"\n\n' + 'x'.repeat(100) + '\n"ünïcode"';
    writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from([0xf0, 0x9f])]));
    for (const highWaterMark of [1, 2, 3, 5, 64, 65536]) {
      const a = recorder();
      const b = recorder();
      const ra = await readLines(file, a, { highWaterMark, maxLineLength: 50 });
      const rb = await readLines(file, b, { highWaterMark, maxLineLength: 50, sync: true });
      assert.deepEqual(b.seen, a.seen, `highWaterMark ${highWaterMark}`);
      assert.deepEqual(rb, ra);
    }
  });

  it('passes a line\'s bytes only when they are its text, a byte a character (ASCII chunks), and only lines wholly in the chunk', async () => {
    const file = join(dir, 'mixed.ndjson');
    const lines = ['{"a":1}', 'plain ascii line', 'with é inside', '', 'x'.repeat(40), 'ünï', ...Array.from({ length: 30 }, (_, i) => `a${i}`), 'tail without newline'];
    writeFileSync(file, '\uFEFF' + lines.join('\r\n'));
    for (const highWaterMark of [1, 3, 7, 16, 64, 65536]) {
      const texts: string[] = [];
      let withBytes = 0;
      await readLines(file, {
        line(t, _n, bytes, at) {
          texts.push(t);
          if (bytes && at !== undefined && at >= 0) {
            withBytes++;
            assert.equal(Buffer.from(bytes.subarray(at, at + t.length)).toString('latin1'), t, `bytes of ${JSON.stringify(t)} (highWaterMark ${highWaterMark})`);
          }
        },
        overlong() {},
      }, { highWaterMark, sync: true });
      assert.deepEqual(texts, lines);
      if (highWaterMark === 65536) assert.equal(withBytes, 0); // one chunk, not ASCII: none
      if (highWaterMark === 16 || highWaterMark === 64) assert.ok(withBytes > 0, `highWaterMark ${highWaterMark}`);
    }
  });

  it('passes no bytes for an ASCII chunk whose text is not those bytes (a broken character at the end of the chunk before)', async () => {
    // A lone UTF-8 lead byte ends the first chunk: the decoder starts the next, ASCII, chunk with U+FFFD,
    // so that chunk's text is one character longer than its bytes.
    const file = join(dir, 'broken-lead.ndjson');
    const head = Buffer.from('abcdefg\r\n', 'latin1'); // 9 bytes: the 10th, 0xE2, ends a 10-byte chunk
    writeFileSync(file, Buffer.concat([head, Buffer.from([0xe2]), Buffer.from('xyz\r\nline two\r\nline three\r\n', 'latin1')]));
    const texts: string[] = [];
    await readLines(file, {
      line(t, _n, bytes, at) {
        texts.push(t);
        if (bytes && at !== undefined && at >= 0) assert.equal(Buffer.from(bytes.subarray(at, at + t.length)).toString('latin1'), t, `bytes of ${JSON.stringify(t)}`);
      },
      overlong() {},
    }, { highWaterMark: 10, sync: true });
    assert.deepEqual(texts, ['abcdefg', '\uFFFDxyz', 'line two', 'line three']);
  });

  it('stops when the sink returns false, and rejects with the I/O error', async () => {
    const file = join(dir, 'three.ndjson');
    writeFileSync(file, 'a\nb\nc\n');
    const seen: string[] = [];
    const r = await readLines(file, { line(t) { seen.push(t); return t !== 'b'; }, overlong() {} }, { sync: true, highWaterMark: 1 });
    assert.deepEqual([seen, r], [['a', 'b'], { lines: 2, stopped: true }]);
    await assert.rejects(readLines(join(dir, 'nope.ndjson'), recorder(), { sync: true }), { code: 'ENOENT' });
    await assert.rejects(readLines(dir, recorder(), { sync: true }), { code: 'EISDIR' });
    await assert.rejects(readLines(dir, recorder()), { code: 'EISDIR' });
  });
});
