// V8 flags that take effect only when given at startup, per subcommand, and the
// relaunch that gives them (bin/snc.js). The size of V8's young generation is
// fixed when the process starts (v8.setFlagsFromString cannot change it), and
// the long runs keep a large live heap whose states survive a scavenge more
// often than not at the default 16 MB semi-space, so a larger one saves
// copying: with 256 MB semi-spaces the 100k-client outage-2010 day took a
// median 104 CPU-s against 118 (docs/benchmarks.md: 7 and 5 runs, 128 MB in
// between), peak RSS 1.9 GB against 1.2 (the bound is 4 GB). The
// semi-spaces grow to that size only in a run that allocates enough, but a
// 10k-client day does: 1.0 GB peak RSS against 0.3. `snc check` gains nothing
// measurable from larger semi-spaces (1M lines, 32 or 48 MB: inside the noise,
// +25 to +90 MB RSS).
// But `snc check` of a large trace (CHECK_RELAUNCH_BYTES, the size from which it
// reads the file on a second thread) starts with a pool of 2 V8 helper threads
// instead of Node's 4: on a two-core machine the main thread and the reading
// thread already keep both cores busy, and four helpers (parallel scavenges,
// concurrent marking and compilation) take turns with them. 10M-line bench
// trace, eight alternating pairs, 2 threads: pool of 2 faster in seven, median
// 9.50 → 8.70 s wall in the first five (docs/benchmarks.md); one thread, 3M lines,
// two pairs: 4.39/4.07 → 3.95/3.83 s. Smaller traces are checked at once, without
// the relaunch (~70 ms).
// Flags already given (on node's command line or in NODE_OPTIONS) win: nothing
// is relaunched for a flag the user chose, nor under a debugger (--inspect).
// SNC_NO_RELAUNCH=1 turns it off.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Startup flags by subcommand. */
export const STARTUP_FLAGS = Object.freeze({
  simulate: Object.freeze(['--max-semi-space-size=256']),
  check: Object.freeze(['--v8-pool-size=2']),
});

/**
 * `snc check` relaunches only when one of its arguments is a file of this size or more
 * (checker/conform/pipeline.ts, PIPELINE_MIN_BYTES: test/launch.test.ts checks they agree).
 */
export const CHECK_RELAUNCH_BYTES = 8 * 1024 * 1024;

/** Whether the arguments of `command` are worth its startup flags (all but `check`: always). */
function worthIt(command, args) {
  if (command !== 'check') return true;
  if (availableParallelism() < 2) return false; // one thread then: nothing to share the cores with
  return args.some((a) => {
    if (a.startsWith('-')) return false;
    try {
      const st = statSync(a);
      return st.isFile() && st.size >= CHECK_RELAUNCH_BYTES;
    } catch {
      return false;
    }
  });
}

/** A V8 flag's name as V8 reads it (`--max_semi_space_size` is `--max-semi-space-size`). */
const flagName = (f) => f.split('=')[0].replace(/_/g, '-');

/**
 * The startup flags `command` wants that this process was not started with (none: no relaunch);
 * `args`, the command's arguments (`check` wants its flags for a large trace only).
 * None either under a debugger (--inspect…): the relaunched process would inherit the flag, and
 * its inspector could not listen on the port the first one holds.
 */
export function missingFlags(command, execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '', args = []) {
  const want = Object.hasOwn(STARTUP_FLAGS, command) && worthIt(command, args) ? STARTUP_FLAGS[command] : [];
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((f) => f.startsWith('--')).map(flagName));
  if ([...given].some((f) => f.startsWith('--inspect'))) return [];
  return want.filter((f) => !given.has(flagName(f)));
}

/**
 * Runs `script` again in a new node process with `flags` added, the same
 * arguments, standard streams and environment (SNC_NO_RELAUNCH set, so it
 * cannot loop), and resolves to its exit code. A signal sent to this process
 * alone (kill PID) is passed on; one sent to the terminal's process group
 * (Ctrl-C) reaches the child directly. A child killed by a signal ends this
 * process with the same signal.
 */
export function relaunch(script, flags, args) {
  return new Promise((resolve, reject) => {
    // Listening before the child exists: a signal between the two would otherwise end this process alone.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    let child = null;
    const pass = (s) => child?.kill(s);
    for (const s of signals) process.on(s, pass);
    child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, SNC_NO_RELAUNCH: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, pass);
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}
