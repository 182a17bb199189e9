#!/usr/bin/env bash
# Instructions per model step, counted by valgrind's cachegrind: a measure that
# does not move with the machine's load (wall-clock figures on shared 2-core
# machines drift ±15% between identical runs). node --predictable makes V8
# single-threaded and deterministic; the count is the difference between HI and
# LO replays of the bench/models workload (cut to N events), so start-up, the
# workload's construction and JIT warm-up cancel out.
#
#   bash bench/step-instructions.sh [cold|live] [N] [DIST...]
#   (needs valgrind: apt-get install valgrind; DIST: compiled trees, default dist/)
# cold: each event on its recorded state (the bench's "fast step"); live: on
# each actor's current state (the simulator's and checker's pattern).
set -euo pipefail
MODE=${1:-cold}; N=${2:-50000}; shift $(( $# > 2 ? 2 : $# )) || true
DISTS=("$@"); [ ${#DISTS[@]} -eq 0 ] && DISTS=("$(cd "$(dirname "$0")/.." && pwd)/dist")
LO=6; HI=14
command -v valgrind >/dev/null || { echo "step-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
count() { # DIST REPS
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    node --predictable --max-semi-space-size=16 --input-type=module -e "
      import { setFlagsFromString } from 'node:v8';
      const { workload } = await import('$1/bench/models.js');
      setFlagsFromString('--no-allocation-site-pretenuring');
      const w = workload($N);
      setFlagsFromString('--allocation-site-pretenuring');
      const { roles, locals, events, actorOf, initial } = w;
      let s = 0;
      for (let r = 0; r < $2; r++) {
        if ('$MODE' === 'cold') for (let i = 0; i < $N; i++) s += roles[i].step(locals[i], events[i]).outbox.length;
        else { const st = initial.slice(); for (let i = 0; i < $N; i++) { const x = roles[i].step(st[actorOf[i]], events[i]); st[actorOf[i]] = x.next; s += x.outbox.length; } }
      }
      if (s < 0) console.log(s);" 2>&1 | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
for d in "${DISTS[@]}"; do
  a=$(count "$d" $LO); b=$(count "$d" $HI)
  echo "$d $MODE: $(( (b - a) / ((HI - LO) * N) )) instructions per step ($N events, $HI vs $LO replays)"
done
