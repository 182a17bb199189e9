// The generated docs: docs/ is exactly what the generator makes now (else run
// `npm run docs`), every page carries the banner, relative links resolve,
// tables keep their columns, and what the pages say about messages agrees
// with the schema (the transitions that send a kind belong to its sender role).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BANNER } from '../checker/docs/markdown.js';
import { generateDocs, staleDocs, REPO_ROOT, type DocFile } from '../checker/docs/generate.js';
import { messageUses } from '../checker/docs/messages.js';
import { probeRole } from '../checker/docs/probe.js';
import { transitionsOf } from '../checker/docs/transitions.js';
import { ROLES } from '../models/index.js';
import { snc } from './helpers/cli.js';

let files: DocFile[];

describe('snc docs (generated documentation)', () => {
  before(async () => { files = await generateDocs(); });

  it('docs/ is up to date (else: npm run docs, and commit the result)', async () => {
    const stale = await staleDocs(join(REPO_ROOT, 'docs'), files);
    assert.deepEqual(stale, [], `stale pages in docs/: ${stale.map((s) => `${s.path} (${s.reason})`).join(', ')} — regenerate with npm run docs`);
  });

  it('makes the index, one page per role, and the catalogue pages, each with the banner', () => {
    const paths = files.map((f) => f.path);
    for (const p of ['index.md', 'messages.md', 'properties.md', 'parameters.md', 'presets.md', 'trace-format.md', ...Object.keys(ROLES).map((r) => `roles/${r}.md`)]) {
      assert.ok(paths.includes(p), p);
    }
    for (const f of files) assert.ok(f.content.startsWith(`${BANNER}\n`), `${f.path} lacks the banner`);
  });

  it('generates the same text twice (deterministic)', async () => {
    assert.deepEqual(await generateDocs(), files);
  });

  it('relative links point to files that exist', () => {
    const generated = new Set(files.map((f) => f.path));
    for (const f of files) {
      for (const m of f.content.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        const rel = join(dirname(f.path), target).split('\\').join('/');
        assert.ok(generated.has(rel) || existsSync(join(REPO_ROOT, 'docs', rel)), `${f.path} links to missing ${target}`);
      }
    }
  });

  it('every table row has as many cells as its header (pipes inside cells are escaped)', () => {
    for (const f of files) {
      let width = 0;
      for (const line of f.content.split('\n')) {
        if (!line.startsWith('|')) { width = 0; continue; }
        const cells = line.replace(/\\\|/g, '').split('|').length - 2;
        if (width === 0) width = cells;
        else assert.equal(cells, width, `${f.path}: ${line.slice(0, 120)}`);
      }
    }
  });

  it('lists every transition of every role, with observed effects', () => {
    for (const role of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
      const rows = probeRole(role);
      assert.equal(rows.length, transitionsOf(ROLES[role]).length, role);
      const page = files.find((f) => f.path === `roles/${role}.md`)!.content;
      assert.ok(page.includes('```mermaid\nstateDiagram-v2\n'), `${role}: no state diagram`);
    }
    // Spot checks that the probe sees entry actions of the target and exit actions of the source.
    const login = probeRole('client').find((r) => r.from === 'offline' && r.event === 'input.Login')!;
    assert.deepEqual([login.effects.sends, login.effects.arms], [['Connect'], ['connect']]);
    const registered = probeRole('client').find((r) => r.from === 'registering' && r.event === 'RegisterAck' && r.target === 'online')!;
    assert.deepEqual([registered.effects.sends, registered.effects.arms, registered.effects.stops], [['OfflineImFetch'], ['im', 'keepalive'], ['connect']]);
  });

  it('agrees with the schema on who sends and who receives each message kind', () => {
    for (const u of messageUses()) {
      assert.ok(u.declared, `${u.kind}: the schema description does not start with "sender → receiver:"`);
      assert.ok(u.senders.length > 0, `${u.kind}: no transition of the models sends it`);
      for (const s of u.senders) {
        assert.equal(s.role, u.declared.from, `${u.kind} sent by ${s.role}`);
        assert.deepEqual(s.to, [u.declared.to], `${u.kind} sent to ${s.to.join(', ')}`);
      }
      for (const r of u.receivers) assert.equal(r.role, u.declared.to, `${u.kind} handled by ${r.role}`);
    }
  });

  it('snc docs --check exits 1 listing stale pages, 0 once written; a wrong flag exits 2', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'snc-docs-'));
    try {
      writeFileSync(join(dir, 'old.md'), `${BANNER}\n\nan orphan\n`);
      const stale = await snc(['docs', '--out', dir, '--check']);
      assert.equal(stale.code, 1, stale.stderr);
      assert.match(stale.stdout, /stale: .*index\.md \(missing\)/);
      assert.match(stale.stdout, /old\.md \(generated once, no longer produced\)/);
      // The command to run is the one for this folder (npm run docs writes docs/).
      assert.match(stale.stdout, new RegExp(`pages stale — regenerate with snc docs --out ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
      const write = await snc(['docs', '--out', dir]);
      assert.equal(write.code, 0, write.stderr);
      assert.match(write.stdout, /removed .*old\.md/);
      assert.equal(existsSync(join(dir, 'old.md')), false);
      const fresh = await snc(['docs', '--out', dir, '--check']);
      assert.equal(fresh.code, 0, fresh.stdout);
      assert.match(fresh.stdout, /pages up to date/);
      const bad = await snc(['docs', '--chek']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /CLI001 unknown flag --chek .*did you mean --check/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
