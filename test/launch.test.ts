// `snc simulate` starts with V8 flags that work only at startup
// (bin/launch.js): bin/snc.js runs itself again with them unless they were
// given. Which flags are missing, what the relaunched process gets, and that a
// signal to the first process reaches the second.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_RELAUNCH_BYTES, missingFlags, relaunch, STARTUP_FLAGS } from '../bin/launch.js';
import { PIPELINE_MIN_BYTES } from '../checker/conform/pipeline.js';
import { ROOT } from './helpers/cli.js';

describe('startup flags and the relaunch (bin/launch.js)', () => {
  it('names the flags a command wants and was not started with', () => {
    assert.deepEqual(missingFlags('simulate', [], ''), [...STARTUP_FLAGS.simulate]);
    assert.deepEqual(missingFlags('simulate', ['--trace-warnings'], '--max-old-space-size=4096'), [...STARTUP_FLAGS.simulate]);
    // Given by the user, in either spelling, on the command line or in NODE_OPTIONS: theirs wins.
    assert.deepEqual(missingFlags('simulate', ['--max-semi-space-size=8'], ''), []);
    assert.deepEqual(missingFlags('simulate', ['--max_semi_space_size=8'], ''), []);
    assert.deepEqual(missingFlags('simulate', [], '--require x --max-semi-space-size=64'), []);
    // Under a debugger the process is not replaced (its inspector's port is taken).
    assert.deepEqual(missingFlags('simulate', ['--inspect-brk=9230'], ''), []);
    assert.deepEqual(missingFlags('simulate', [], '--inspect'), []);
    // Other commands, none, and names that are not commands (nor keys of every object) want nothing.
    for (const c of ['check', 'validate', 'explore', undefined as unknown as string, '--help', 'toString', '__proto__']) assert.deepEqual(missingFlags(c, [], ''), [], String(c));
  });

  it('relaunches snc check only for a trace large enough to be read on two threads', () => {
    assert.equal(CHECK_RELAUNCH_BYTES, PIPELINE_MIN_BYTES);
    const dir = mkdtempSync(join(tmpdir(), 'snc-launch-check-'));
    try {
      const small = join(dir, 'small.ndjson');
      const large = join(dir, 'large.ndjson');
      writeFileSync(small, '{}\n');
      writeFileSync(large, Buffer.alloc(CHECK_RELAUNCH_BYTES, 10));
      assert.deepEqual(missingFlags('check', [], '', [small, '--hidden', '0']), []);
      assert.deepEqual(missingFlags('check', [], '', ['--props', 'capacity', join(dir, 'missing.ndjson'), '-']), []);
      assert.deepEqual(missingFlags('check', [], '', [small, large]), [...STARTUP_FLAGS.check]);
      assert.deepEqual(missingFlags('check', [], '--v8-pool-size=8', [large]), []);
      // A large file as a flag's value counts too: a relaunch too many costs ~70 ms, no more.
      assert.deepEqual(missingFlags('check', [], '', [small, '--report', large]), [...STARTUP_FLAGS.check]);
      assert.deepEqual(missingFlags('validate', [], '', [large]), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the script again with the flags and the same arguments, marked so that it does not loop, and returns its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snc-launch-'));
    try {
      const script = join(dir, 'echo.mjs');
      const out = join(dir, 'out.json');
      writeFileSync(script, `import { writeFileSync } from 'node:fs';
writeFileSync(process.argv[2], JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(3), mark: process.env.SNC_NO_RELAUNCH }));
process.exitCode = 7;
`);
      const code = await relaunch(script, ['--max-semi-space-size=32'], [out, 'check', 'a b.ndjson']);
      assert.equal(code, 7);
      const seen = JSON.parse(readFileSync(out, 'utf8')) as { execArgv: string[]; argv: string[]; mark: string };
      assert.ok(seen.execArgv.includes('--max-semi-space-size=32'), seen.execArgv.join(' '));
      assert.deepEqual(seen.argv, ['check', 'a b.ndjson']);
      assert.equal(seen.mark, '1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes a signal sent to snc alone on to the process it relaunched, and ends by it', async function () {
    this.timeout(60_000);
    const parent = spawn(process.execPath, ['bin/snc.js', 'simulate', 'steady', '--clients', '20000', '--hours', '24'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, SNC_NO_RELAUNCH: '' } });
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => parent.on('close', (code, signal) => resolve({ code, signal })));
    // The relaunched process is the parent's child (Linux lists a task's children in /proc).
    const children = `/proc/${parent.pid}/task/${parent.pid}/children`;
    let child = 0;
    for (let k = 0; k < 400 && !child; k++) {
      await new Promise((r) => setTimeout(r, 50));
      child = existsSync(children) ? Number(readFileSync(children, 'utf8').trim().split(/\s+/)[0] || 0) : 0;
    }
    assert.ok(child > 0, 'snc simulate relaunched itself');
    parent.kill('SIGTERM');
    assert.deepEqual(await closed, { code: null, signal: 'SIGTERM' });
    assert.throws(() => process.kill(child, 0), /ESRCH/, 'the relaunched process is gone too');
  });
});
