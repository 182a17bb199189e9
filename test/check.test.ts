// The conformance checker: every sample trace with a `check` expectation
// (traces/samples/ and the generated traces/explored/) gets that verdict, for
// the property named; traces/explored/ is not stale; the CLI's exit codes and
// formats; a fast-check property: random walks of the model conform, and
// mutated ones do not.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkFile } from '../checker/conform/check.js';
import { Conformer } from '../checker/conform/conformer.js';
import type { Event, Header } from '../schemas/generated/trace.js';
import { generateExplored, EXPLORED_DIR } from '../traces/gen.js';
import { PRESETS } from '../models/presets.js';
import { instantiate } from '../checker/props/index.js';
import { initialState, systemFor } from '../checker/explore/setup.js';
import { applyAction, enabledActions } from '../checker/explore/actions.js';
import { pathTrace } from '../checker/explore/trace.js';
import { ROOT, simulatedTrace, snc } from './helpers/cli.js';

interface CheckExpect { verdict: string; property?: string; hidden?: number; within?: Record<string, number>; codes?: string[] }

/** Checks a copy of traces/samples/valid-login-two-clients.ndjson with `edit` applied to its text. */
async function checkEdited(edit: (text: string) => string, opts: Parameters<typeof checkFile>[1] = {}) {
  const f = join(mkdtempSync(join(tmpdir(), 'snc-edited-')), 'edited.ndjson');
  writeFileSync(f, edit(readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8')));
  return checkFile(f, opts);
}

function expectations(dir: string): [string, string, CheckExpect][] {
  const out: [string, string, CheckExpect][] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.expect.json')).sort()) {
    const e = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, CheckExpect>;
    for (const key of ['check', 'checkWithoutHidden']) if (e[key]) out.push([join(dir, f.replace('.expect.json', '.ndjson')), key, e[key]]);
  }
  return out;
}

describe('snc check: sample traces give their expected verdicts', () => {
  for (const dir of [join(ROOT, 'traces/samples'), EXPLORED_DIR]) {
    for (const [file, key, e] of expectations(dir)) {
      it(`${file.slice(ROOT.length)} (${key}): ${e.verdict}${e.property ? ` ${e.property}` : ''}`, async () => {
        const overrides = Object.fromEntries(Object.entries(e.within ?? {}).map(([k, v]) => [k, { within: v }]));
        const r = await checkFile(file, { hidden: e.hidden, overrides });
        assert.equal(r.verdict, e.verdict, JSON.stringify(r.problems.slice(0, 3)));
        if (e.property) assert.equal(r.properties!.find((p) => p.id === e.property)!.status, 'violated');
        for (const code of e.codes ?? []) assert.ok(r.problems.some((p) => p.code === code), `no ${code}`);
      });
    }
  }

  it('every property of the catalogue has a violating sample and the samples include conforming ones', () => {
    const all = [...expectations(join(ROOT, 'traces/samples')), ...expectations(EXPLORED_DIR)];
    const violated = new Set(all.map(([, , e]) => e.property).filter(Boolean));
    for (const id of ['reattach-within', 'notice-dead-upstream', 'login-answered', 'auth-before-service', 'capacity', 'public-only-supernodes', 'directory-fresh', 'host-cache-bound', 'no-client-crash']) {
      assert.ok(violated.has(id), `no sample violates ${id}`);
    }
    assert.ok(all.filter(([, , e]) => e.verdict === 'conforms').length >= 3);
  });

  it('traces/explored/ is up to date (else npm run samples)', async () => {
    for (const [name, text] of await generateExplored()) assert.equal(readFileSync(join(EXPLORED_DIR, name), 'utf8'), text, `stale: traces/explored/${name}`);
  });
});

describe('snc check: model walks conform, mutations are caught', () => {
  const config = PRESETS['tiny'];
  const walk = (choices: number[]) => {
    const sys = systemFor(config, instantiate());
    const { state } = initialState(sys, config);
    const path = [];
    for (const c of choices) {
      const acts = enabledActions(sys, state, { timers: 'after-network' });
      if (!acts.length) break;
      path.push(acts[c % acts.length]);
      applyAction(sys, state, path[path.length - 1]);
    }
    return pathTrace(systemFor(config, instantiate()), config, path, 'random walk').lines;
  };
  const dir = mkdtempSync(join(tmpdir(), 'snc-walk-'));
  const checkLines = async (lines: string[]) => {
    const f = join(dir, 'w.ndjson');
    writeFileSync(f, lines.join('\n') + '\n');
    return checkFile(f, { hidden: 0 });
  };

  it('random walks of the model always conform (hidden steps off)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(1000), { minLength: 5, maxLength: 40 }), async (choices) => {
      const r = await checkLines(walk(choices));
      return r.verdict === 'conforms';
    }), { numRuns: 25, seed: 7 });
  });

  it('a message sent to the wrong actor, or a deleted deliver, is rejected or flagged', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(1000), { minLength: 20, maxLength: 40 }), fc.nat(), fc.boolean(), async (choices, pick, wrongActor) => {
      const lines = walk(choices);
      const idx = lines.map((l, i) => [l, i] as const).filter(([l]) => (wrongActor ? l.includes('"type":"send"') && l.includes('"from":"c') : l.includes('"type":"deliver"')));
      fc.pre(idx.length > 0);
      const [line, i] = idx[pick % idx.length];
      const ev = JSON.parse(line);
      const mutated = [...lines];
      if (wrongActor) { ev.to = ev.to === 'sn1' ? 'sn2' : 'sn1'; mutated[i] = JSON.stringify(ev); }
      else mutated.splice(i, 1);
      const r = await checkLines(mutated);
      // A deleted deliver leaves the receiver behind: its later sends (if any) do not fit.
      if (!wrongActor) {
        const receiverSendsLater = mutated.slice(i).some((l) => l.includes('"type":"send"'));
        fc.pre(receiverSendsLater);
      }
      return r.verdict !== 'conforms' || !wrongActor;
    }), { numRuns: 25, seed: 11 });
  });
});

describe('snc check: time origin and sometimes properties', () => {
  it('a trace stamped with a recorder\'s wall clock (t from Date.now()) checks as the same trace from 0', async () => {
    // The actors start at the first event: before, the checker fired every periodic timer from
    // t = 0 up to it (8 minutes for a 55-event trace at t ≈ 1.7e12; found by a new-user trial).
    const src = 'traces/samples/valid-login-two-clients.ndjson';
    const lines = readFileSync(src, 'utf8').split('\n').filter(Boolean);
    const dir = mkdtempSync(join(tmpdir(), 'snc-origin-'));
    const shifted = join(dir, 'epoch.ndjson');
    writeFileSync(shifted, [lines[0], ...lines.slice(1).map((l) => { const e = JSON.parse(l); e.t += 1e9; return JSON.stringify(e); })].join('\n') + '\n');
    const a = await checkFile(src);
    const b = await checkFile(shifted);
    assert.equal(b.verdict, a.verdict);
    assert.equal(b.hiddenSteps, a.hiddenSteps);
    assert.deepEqual(b.properties, a.properties);
  });

  it('sometimes properties are witnessed at the line the explorer names, or unwitnessed; neither makes a trace violate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-witness-'));
    const r = await snc(['explore', '--preset', 'tiny', '--out', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const witness = JSON.parse(r.stdout).exploration.properties.find((p: { id: string }) => p.id === 'lookup-found');
    assert.ok(witness?.status === 'witnessed', JSON.stringify(witness));
    const c = await checkFile(join(dir, 'tiny.lookup-found.witness.ndjson'));
    assert.equal(c.verdict, 'conforms');
    const p = c.properties!.find((x) => x.id === 'lookup-found')!;
    assert.equal(p.status, 'witnessed');
    assert.equal(p.line, witness.line);
    assert.equal(c.properties!.find((x) => x.id === 'reattach-happens')!.status, 'unwitnessed');
  });
});

describe('snc check: a decided property\'s monitor', () => {
  it('is no longer fed once its first verdict is kept, a stateful response monitor too', () => {
    // The report reads a violated property's first verdict, never its monitor again (check.ts):
    // feeding notice-dead-upstream's obligations to the end of the trace was work for nothing.
    const lines = readFileSync(join(EXPLORED_DIR, 'violates-reattach-within.ndjson'), 'utf8').split('\n').filter(Boolean);
    const props = instantiate(['notice-dead-upstream', 'client-online']);
    const fed = new Map<string, number[]>();
    for (const p of props) {
      const observe = p.observe.bind(p);
      p.observe = (m, o, st, sys) => { fed.get(p.def.id)!.push(current); return observe(m, o, st, sys); };
      fed.set(p.def.id, []);
    }
    let current = 0;
    const c = new Conformer(JSON.parse(lines[0]) as Header, { props, hidden: 0, hiddenKinds: new Set(), maxCandidates: 1 });
    lines.slice(1).forEach((l, i) => { current = i + 2; c.event(JSON.parse(l) as Event, current); });
    const violated = c.violations.get('notice-dead-upstream');
    assert.ok(violated, 'the trace violates notice-dead-upstream');
    assert.ok(violated.line < lines.length, 'events follow the violation');
    const fedAt = fed.get('notice-dead-upstream')!;
    assert.ok(fedAt.length > 0);
    assert.ok(fedAt.every((line) => line <= violated.line), `fed after line ${violated.line}: ${fedAt.filter((x) => x > violated.line).join(', ')}`);
    // A witness decides a sometimes property the same way.
    const witnessed = c.witnesses.get('client-online');
    assert.ok(witnessed && witnessed.line < lines.length);
    assert.ok(fed.get('client-online')!.every((line) => line <= witnessed.line));
  });
});

describe('snc check: --timer-slack, --stop-at-first, --max-line-length', () => {
  it('--timer-slack holds a recorded timeout to its deadline; by default it may come early', async () => {
    // A simulated trace fires every timer at its deadline: with slack 0 it conforms. The same trace
    // cut 30 s before a client's first keepalive timeout, which is then recorded there, does not.
    const { dir, file, lines } = await simulatedTrace('snc-slack-');
    assert.match(lines[1], /^\{"type":"note","t":0,/, 'the simulation writes its start (the first sampled event comes later)');
    assert.equal((await checkFile(file, { timerSlack: 0 })).verdict, 'conforms');
    // Without its start note the actors would start at the first sampled event, and on time it does not conform; --start 0 says when they started.
    const noNote = join(dir, 'no-note.ndjson');
    writeFileSync(noNote, [lines[0], ...lines.slice(2)].join('\n') + '\n');
    assert.equal((await checkFile(noNote, { timerSlack: 0 })).verdict, 'violates');
    assert.equal((await snc(['check', noNote, '--timer-slack', '0', '--start', '0'])).code, 0);
    const evs = lines.slice(1).map((l) => JSON.parse(l));
    const first = evs.find((e) => e.type === 'timeout' && e.timer === 'keepalive');
    const at = first.t - 30_000;
    const early = join(dir, 'early.ndjson');
    writeFileSync(early, [lines[0], ...lines.slice(1).filter((_, k) => evs[k].t < at), JSON.stringify({ type: 'timeout', t: at, actor: first.actor, timer: 'keepalive' })].join('\n') + '\n');
    assert.equal((await checkFile(early)).verdict, 'conforms');
    // A timeout recorded a few ms after its deadline is the record of the firing the checker made
    // there, not an early firing of the next round (a review found a false CHK002 here).
    const evs2 = lines.map((l) => JSON.parse(l));
    // The timeout and the Keepalive it sends, both 3 ms late.
    const k = evs2.findIndex((e, j) => j > 0 && e.type === 'timeout' && e.timer === 'keepalive' && evs2[j + 1]?.type === 'send' && evs2[j + 1].t === e.t && evs2[j + 2]?.t >= e.t + 3);
    assert.ok(k > 0);
    const late = join(dir, 'late.ndjson');
    writeFileSync(late, lines.map((l, j) => (j === k || j === k + 1 ? JSON.stringify({ ...evs2[j], t: evs2[j].t + 3 }) : l)).join('\n') + '\n');
    const lr = await checkFile(late, { timerSlack: 25 });
    assert.deepEqual([lr.verdict, lr.problems.map((p) => p.code)], ['conforms', []]);
    const r = await snc(['check', early, '--timer-slack', '1000']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`CHK002 timeout keepalive of ${first.actor} at ${at} ms, 30000 ms before its deadline`));
  });

  it('CHK001 lists each message the model would send once, with how many are queued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-would-'));
    const f = join(dir, 'would.ndjson');
    const header = readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8').split('\n')[0];
    writeFileSync(f, [header, '{"type":"input","t":0,"actor":"c1","input":{"kind":"Login"}}', '{"type":"send","t":30000,"from":"c1","to":"sn1","mid":"z1","msg":{"kind":"Unregister"}}'].join('\n') + '\n');
    const c = await checkFile(f);
    assert.match(c.problems[0].model ?? '', /the model would send: Connect→sn1 \(×3\)$/);
  });

  it('CHK001 on a credential shows the trace\'s credential next to the one the model allows, in the trace\'s terms', async () => {
    // The implementation's auth signs "impl-token-A" (the model has its own scheme); c1 then registers with a forged signature.
    const c = await checkEdited((src) => src.split('"sig":"k1:alice:81"').join('"sig":"impl-token-A"').replace(/("mid":"m8".*)"sig":"impl-token-A"/, '$1"sig":"FORGED"'));
    const p = c.problems.find((x) => x.code === 'CHK001')!;
    assert.equal(p.line, 17);
    assert.match(p.message, /^c1 sent Register to sn1, which its model does not emit here: trace has \{"kind":"Register","credential":\{"user":"alice","issuedAt":81,"expiresAt":86400081,"sig":"FORGED"\}\}; model allows Register→sn1 \{"kind":"Register","credential":\{"user":"alice","issuedAt":81,"expiresAt":86400081,"sig":"impl-token-A"\}\} \(credential as the trace's auth issued it\)$/);
    // The model's own signature (its symbolic scheme) appears nowhere: it is not what the implementation should have sent.
    for (const text of [p.message, p.model ?? '']) for (const [, sig] of text.matchAll(/"sig":"([^"]*)"/g)) assert.ok(['FORGED', 'impl-token-A'].includes(sig), text);
  });

  it('a restart of a host that never crashed is CHK005 (it used to conform)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-restart-'));
    const f = join(dir, 'restart.ndjson');
    const src = readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8').trimEnd();
    writeFileSync(f, src + '\n{"type":"restart","t":170000,"host":"h0"}\n');
    const c = await checkFile(f);
    assert.equal(c.verdict, 'violates');
    assert.deepEqual(c.problems.map((p) => p.code), ['CHK005']);
    assert.match(c.problems[0].message, /restart of host h0, which is up/);
  });

  it('a LookupResult naming a client, auth or im is a violation of directory-fresh, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-lookup-'));
    const src = readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8');
    assert.match(src.split('\n')[40], /"kind":"LookupResult","user":"bob","supernode":"sn1"/);
    for (const [who, what] of [['c2', 'a client'], ['im', 'the im server'], ['auth', 'the auth server']]) {
      const f = join(dir, `${who}.ndjson`);
      writeFileSync(f, src.split('\n').map((l, i) => (i === 40 ? l.replace('"supernode":"sn1"', `"supernode":"${who}"`) : l)).join('\n'));
      const c = await checkFile(f);
      assert.equal(c.verdict, 'violates');
      const fresh = c.properties!.find((p) => p.id === 'directory-fresh')!;
      assert.equal(fresh.status, 'violated');
      assert.match(fresh.explanation ?? '', new RegExp(`sn1 told c1 that "bob" is at ${who}, but ${who} is ${what}, not a supernode`));
    }
  });

  it('after the first conformance problem, a property is not judged "holds" on the model\'s run', async () => {
    // sn1 with capacity 1 admits both clients: the implementation breaks capacity, the model (which refused c2) does not.
    const c = await checkEdited((src) => src.replace('"capacity":2', '"capacity":1'));
    assert.equal(c.verdict, 'violates');
    assert.deepEqual([c.problems[0].code, c.problems[0].line], ['CHK001', 11]);
    const status = (id: string) => c.properties!.find((p) => p.id === id)!;
    assert.equal(status('capacity').status, 'not-checked');
    assert.equal(status('capacity').explanation, 'not judged after line 11, where the recording left the model (CHK001)');
    assert.match(status('directory-fresh').explanation ?? '', /; found after line 11, where the recording left the model \(CHK001\): check it against the trace$/);
    assert.equal(status('client-online').status, 'witnessed');
  });

  it('lists what the models emitted and no recorded send matched by the end ("not sent by the end"), without a verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-owed-'));
    const f = join(dir, 'no-unregister.ndjson');
    // c2 logs out (line 53) and its Unregister (lines 54-55) is never sent.
    const lines = readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8').split('\n');
    assert.match(lines[53], /"from":"c2","to":"sn1","mid":"m23","msg":\{"kind":"Unregister"\}/);
    writeFileSync(f, [...lines.slice(0, 53), ...lines.slice(55)].join('\n'));
    const c = await checkFile(f);
    assert.equal(c.verdict, 'conforms');
    assert.deepEqual(c.owed, { count: 1, first: [{ actor: 'c2', to: 'sn1', kind: 'Unregister' }] });
    assert.equal((await checkFile('traces/samples/valid-login-two-clients.ndjson')).owed, undefined);
    assert.equal((await checkFile(join(EXPLORED_DIR, 'conforms-supernode-crash.ndjson'))).owed, undefined, 'an explored trace logs every send');
  });

  it('--measure time takes N in ms from the clock-time defaults, not the step counts (12 steps were read as 12 ms)', async () => {
    const c = await checkFile('traces/samples/valid-supernode-crash-reattach.ndjson', { measure: 'time' });
    const r = c.properties!.find((p) => p.id === 'reattach-within')!;
    assert.match(r.explanation ?? '', /\(N=300000 ms\)/);
    const n = c.properties!.find((p) => p.id === 'notice-dead-upstream')!;
    assert.notEqual(n.status, 'violated', n.explanation);
  });

  it('an observe naming a state its role does not have says so, with the role\'s states', async () => {
    const c = await checkEdited((src) => src.replace('"actor":"c1","state":"online"', '"actor":"c1","state":"Online"'));
    assert.deepEqual(c.problems.map((p) => p.code), ['CHK003']);
    assert.match(c.problems[0].message, /\("Online" is not a client state: offline, connecting, .*online, failed, crashed\)$/);
  });

  it('a jump in t that would take more than --max-firings timer firings to replay is TRC013 (invalid), not a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-jump-'));
    const src = readFileSync('traces/samples/valid-login-two-clients.ndjson', 'utf8').trimEnd();
    // 11.5 days of silence: ~200k firings (keepalives, sweeps, load windows): replayed under the default budget.
    const gap = join(dir, 'gap.ndjson');
    writeFileSync(gap, src + '\n{"type":"input","t":1000090031,"actor":"c1","input":{"kind":"Logout"}}\n');
    assert.equal((await checkFile(gap)).verdict, 'conforms');
    const small = await checkFile(gap, { maxFirings: 1000 });
    assert.equal(small.verdict, 'invalid');
    assert.deepEqual(small.problems.map((p) => [p.code, p.line]), [['TRC013', 57]]);
    assert.match(small.problems[0].message, /the clock jumps from t=90031 \(line 56\) to t=1000090031 \(line 57\), 1,000,000,000 ms: replaying the model's timers across the gap takes more than 1,000 firings/);
    // 2^53 - 1 ms (it used to run until killed): refused within the default budget.
    const huge = join(dir, 'huge.ndjson');
    writeFileSync(huge, src + '\n{"type":"input","t":9007199254740991,"actor":"c1","input":{"kind":"Logout"}}\n');
    const h = await checkFile(huge);
    assert.equal(h.verdict, 'invalid');
    assert.equal(h.problems[0].code, 'TRC013');
    // What was found before the jump stays (a review found it dropped).
    const both = join(dir, 'both.ndjson');
    writeFileSync(both, src.replace('"capacity":2', '"capacity":1') + '\n{"type":"input","t":9007199254740991,"actor":"c1","input":{"kind":"Logout"}}\n');
    const b = await checkFile(both, { maxFirings: 1000 });
    assert.equal(b.verdict, 'invalid');
    assert.deepEqual([b.problems[0].code, b.problems[0].line], ['CHK001', 11]);
    assert.deepEqual(b.problems.at(-1)!.code, 'TRC013');
  });

  it('--stop-at-first stops the replay, not the validation: an invalid file stays invalid', async () => {
    const f = 'traces/samples/invalid-duplicate-mid.ndjson';
    const r = await snc(['check', f, '--stop-at-first']);
    assert.equal(r.code, 3, r.stdout);
    assert.match(r.stdout, /TRC007/);
    // Properties after the stop are not judged on a replay that did not happen (a review found them 'holds').
    const v = await checkFile('traces/explored/violates-reattach-within.ndjson', { stopAtFirst: true });
    assert.equal(v.verdict, 'violates');
    const first = v.problems[0].line;
    // A witness found before the stop stands (a trial found it turned into not-checked).
    assert.ok(v.properties!.every((p) => p.status === 'violated' || (p.status === 'witnessed' && p.line! < first!) || (p.status === 'not-checked' && p.explanation === `the replay stopped at line ${first} (--stop-at-first)`)), JSON.stringify(v.properties));
    assert.equal(v.properties!.find((p) => p.id === 'client-online')!.status, 'witnessed');
  });

  it('--max-line-length is a check flag too (the TRC012 hint names it)', async () => {
    const r = await snc(['check', 'traces/samples/valid-login-two-clients.ndjson', '--max-line-length', '200']);
    assert.equal(r.code, 3, r.stdout);
    assert.match(r.stdout, /TRC012 .*raise the limit with --max-line-length/);
    assert.equal((await snc(['check', 'traces/samples/valid-login-two-clients.ndjson', '--max-line-length', '100000'])).code, 0);
  });
});

describe('snc check: --max-errors', () => {
  it('lists the first N conformance problems, says there were more, and keeps the verdict', async () => {
    const file = join(ROOT, 'traces/samples/valid-step-clock-mega-join.ndjson');
    const all = await checkFile(file, { maxErrors: 0 });
    const conformance = all.problems.filter((p) => p.code !== 'PRP001');
    assert.ok(conformance.length >= 3, `${conformance.length} conformance problems`);
    assert.equal(all.truncated, undefined);
    const one = await checkFile(file, { maxErrors: 1 });
    assert.deepEqual(one.problems.filter((p) => p.code !== 'PRP001'), conformance.slice(0, 1));
    assert.equal(one.truncated, true);
    assert.equal(one.verdict, all.verdict);
    const r = await snc(['check', file, '--max-errors', '1']);
    assert.match(r.stdout, /^ {2}… more problems not listed: stopped after 1 \(raise --max-errors to see more; 0: no limit\)$/m);
  });
});

describe('snc check (CLI)', () => {
  it('-q/--quiet prints the problems only, as snc validate -q does; the exit code, --format json and a --report FILE are unchanged', async () => {
    const ok = 'traces/explored/conforms-tiny-lookup.ndjson';
    const bad = 'traces/explored/violates-auth-before-service.ndjson';
    const full = await snc(['check', ok, bad]);
    assert.equal(full.code, 1, full.stderr);
    for (const q of ['-q', '--quiet']) {
      const dir = mkdtempSync(join(tmpdir(), 'snc-quiet-'));
      const r = await snc(['check', q, ok, bad, '--report', join(dir, 'r.txt')]);
      assert.equal(r.code, 1, r.stderr);
      // Every line of the problems (with their model state and context), nothing else.
      const problems = full.stdout.split('\n').filter((l) => /^\S+:\d+: [A-Z]{3}\d{3} /.test(l) || /^ {4}(model:|\|)/.test(l));
      assert.ok(problems.length > 0);
      assert.equal(r.stdout, problems.join('\n') + '\n', q);
      assert.doesNotMatch(r.stdout, /: (conforms|violates) \(|✓|file(s)?: /);
      assert.equal(readFileSync(join(dir, 'r.txt'), 'utf8').replace(/, [\d.]+ s\)/g, ')'), full.stdout.replace(/, [\d.]+ s\)/g, ')'), 'the report file is the whole report');
    }
    const quietOk = await snc(['check', '-q', ok]);
    assert.deepEqual([quietOk.code, quietOk.stdout], [0, '']);
    const json = await snc(['check', '-q', '--format', 'json', bad]);
    assert.equal(JSON.parse(json.stdout).files[0].verdict, 'violates');
    // The same flag, the same words, in both commands' help.
    for (const cmd of ['check', 'validate']) assert.match((await snc([cmd, '--help'])).stdout, /^ {2}-q, --quiet +text: print the problems only, no verdicts/m, cmd);
  });

  it('--timer-slack, --max-firings, --start given for a clock "step" trace: checked as usual, a note per such file on stderr; none for ms traces or defaults', async () => {
    const step = 'traces/explored/conforms-tiny-lookup.ndjson';
    const ms = 'traces/samples/valid-login-two-clients.ndjson';
    const r = await snc(['check', '--timer-slack', '3600000', '--max-firings', '2000000', '--start', '0', step, ms, step]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^3 files: 3 conform, 0 violate, 0 invalid$/m);
    const notes = r.stderr.split('\n').filter((l) => l);
    assert.deepEqual(notes, Array(2).fill(`snc check: note: --timer-slack, --max-firings, --start apply to clock "ms" traces; ${step} has clock "step": ignored`));
    const one = await snc(['check', '--start', '0', step]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stderr, `snc check: note: --start applies to clock "ms" traces; ${step} has clock "step": ignored\n`);
    // Not given: no note (the defaults are not "given").
    const none = await snc(['check', step, ms]);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stderr, '');
    // The library says it through onNote, and the report is the same as without the options.
    const said: string[] = [];
    const withOpts = await checkFile(step, { timerSlack: 5, onNote: (m) => said.push(m) });
    assert.deepEqual(said, [`--timer-slack applies to clock "ms" traces; ${step} has clock "step": ignored`]);
    assert.equal(withOpts.verdict, (await checkFile(step)).verdict);
  });

  it('--measure time on a clock "step" trace is TRC014 for that file (invalid, exit 3, the header\'s line); ms files are checked as usual', async () => {
    const step = 'traces/samples/valid-step-clock-mega-join.ndjson';
    const r = await snc(['check', '--measure', 'time', step, 'traces/samples/valid-login-two-clients.ndjson']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^traces\/samples\/valid-step-clock-mega-join\.ndjson:1: TRC014 --measure time measures reattach-within, notice-dead-upstream, login-answered, directory-fresh in clock ms, but the header says clock "step"/m);
    assert.match(r.stdout, /valid-step-clock-mega-join\.ndjson: invalid/);
    assert.match(r.stdout, /valid-login-two-clients\.ndjson: conforms/);
    assert.doesNotMatch(r.stderr, /at .*\.(ts|js):\d+/, 'no stack trace');
    // Still validated: a step trace that is not well-formed keeps its TRC problems too.
    const dir = mkdtempSync(join(tmpdir(), 'snc-step-time-'));
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, readFileSync(step, 'utf8').trimEnd() + '\n{"type":"deliver","t":1000,"mid":"nope"}\n');
    assert.deepEqual((await checkFile(bad, { measure: 'time' })).problems.map((p) => p.code), ['TRC014', 'TRC005']);
    // No bounded-response property selected: the measure does not matter.
    assert.notEqual((await checkFile(step, { measure: 'time', props: ['capacity'] })).verdict, 'invalid');
  });


  it('exit 0 conforms, 1 violates, 3 invalid, 2 usage; junit has a testcase per property', async () => {
    const ok = await snc(['check', 'traces/explored/conforms-tiny-lookup.ndjson']);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await snc(['check', 'traces/explored/violates-capacity.ndjson', '--format', 'junit']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /<testcase classname="[^"]+" name="capacity"><failure/);
    const invalid = await snc(['check', 'traces/samples/invalid-bad-json.ndjson']);
    assert.equal(invalid.code, 3);
    const usage = await snc(['check', '--hiden', '2', 'x.ndjson']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /did you mean --hidden/);
    const missing = await snc(['check', 'no/such/file.ndjson']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /CLI002/);
  });
});
