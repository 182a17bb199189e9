// Every Mermaid diagram the toolkit emits parses with the `mermaid` package's
// own parser, the one GitHub renders with: the state diagrams and the roles
// flowchart of docs/, and the sequence diagrams of `snc explain` (for the
// golden counterexample and for a trace full of hostile names and notes).
// mermaid.parse runs headless in Node once DOMPurify has a window: jsdom's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDocs } from '../checker/docs/generate.js';
import { mermaidText } from '../checker/docs/state-diagram.js';
import { loadTrace } from '../checker/explain/load.js';
import { sequenceDiagram } from '../checker/explain/sequence.js';

type Mermaid = { parse(text: string): Promise<unknown> };
let mermaid: Mermaid;
let dir: string;
const g = globalThis as Record<string, unknown>;
const hadWindow = 'window' in g;
const hadPurify = 'DOMPurify' in g;

/** The ```mermaid blocks of a Markdown text. */
function blocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

async function assertParses(text: string, where: string): Promise<void> {
  try {
    await mermaid.parse(text);
  } catch (err) {
    assert.fail(`${where}: mermaid cannot parse the diagram: ${(err as Error).message}\n${text}`);
  }
}

describe('Mermaid output parses with mermaid.parse', () => {
  before(async function () {
    this.timeout(60_000);
    // jsdom ships no types (no @types/jsdom here): a computed specifier keeps tsc out of it.
    const jsdom = 'jsdom';
    const { JSDOM } = (await import(jsdom)) as { JSDOM: new (html: string) => { window: unknown } };
    const { window } = new JSDOM('');
    g.window ??= window;
    const createDOMPurify = (await import('dompurify')).default as unknown as (w: unknown) => unknown;
    g.DOMPurify ??= createDOMPurify(window);
    mermaid = (await import('mermaid')).default as unknown as Mermaid;
    dir = mkdtempSync(join(tmpdir(), 'snc-mermaid-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    // Other test files run in this process: do not leave them a fake browser.
    if (!hadWindow) delete g.window;
    if (!hadPurify) delete g.DOMPurify;
  });

  it('the parser does reject a broken diagram (control)', async () => {
    await assert.rejects(mermaid.parse('sequenceDiagram\n  a->>b no colon\n'));
    await assert.rejects(mermaid.parse('stateDiagram-v2\n  a --> : x\n'));
  });

  it('every diagram in docs/ (state diagrams, roles flowchart)', async function () {
    this.timeout(60_000);
    let n = 0;
    for (const f of await generateDocs()) for (const b of blocks(f.content)) { await assertParses(b, f.path); n++; }
    assert.ok(n >= 5, `only ${n} diagrams`);
  });

  it('the sequence diagram of the golden counterexample', async () => {
    const r = await loadTrace('test/golden/late-im-crash.no-client-crash.ndjson');
    assert.ok(r.ok);
    await assertParses(sequenceDiagram(r.trace, [{ id: 'no-client-crash', status: 'violated', line: 27, actors: ['c1'], explanation: 'c1 crashed: "quotes"; #hash %%comment' }]), 'golden');
  });

  it('a trace with hostile actor ids, notes and fields still parses', async () => {
    const ids = ['end', 'sn-1', 'c 2', 'x;y', 'a:b', '%%c', 'participant', '<b>', '#1'];
    const actors = [
      { id: 'auth', role: 'auth' }, { id: 'im', role: 'im' },
      ...ids.slice(0, 5).map((id, i) => ({ id, role: 'supernode', host: `h${i}` })),
      ...ids.slice(5).map((id, i) => ({ id, role: 'client', host: `k${i}`, user: `u;${i}`, version: '5.0.0.152 --> x' })),
    ];
    const lines = [
      { type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors },
      { type: 'note', t: 0, text: 'note: with ; # %% --> <script> and\nnewline' },
      { type: 'send', t: 1, from: '%%c', to: 'end', mid: 'm;1', msg: { kind: 'Lookup', user: 'a:b;c#d' } },
      { type: 'deliver', t: 2, mid: 'm;1' },
      { type: 'send', t: 3, from: 'end', to: '%%c', mid: 2, msg: { kind: 'LookupResult', user: 'x-->y', supernode: null } },
      { type: 'observe', t: 4, actor: '<b>', state: 'online; rm -rf', upstream: 'sn-1' },
      { type: 'crash', t: 5, host: 'h0' },
      { type: 'input', t: 6, actor: '#1', input: { kind: 'Lookup', user: '}{' } },
    ];
    const file = join(dir, 'hostile.ndjson');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await loadTrace(file);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.report));
    await assertParses(sequenceDiagram(r.trace, [{ id: 'x', status: 'violated', line: 4, actors: ['end', '#1'], explanation: 'a; b # c %% d --> e' }]), 'hostile');
  });

  it('state-diagram text is sanitised of Mermaid syntax', async () => {
    const text = mermaidText('a: b; c # d {e} "f" `g` --> h <i>');
    assert.doesNotMatch(text, /[:;#{}"`<>]|-->/);
    await assertParses(`stateDiagram-v2\n  state "s" as s\n  s : ${text}\n  s --> s : ${text}`, 'sanitised');
  });
});
