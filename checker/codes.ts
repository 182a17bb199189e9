// The catalogue of problem codes: every error or finding the toolkit reports
// carries one of these codes, a stable title, and a hint on how to fix it.
// docs/errors.md documents the same list (a test keeps the two in sync).
// Codes are never renumbered or reused; a retired code stays listed as such.
//
// Families: TRC — a trace file is not a well-formed `supernode-trace` v1 file,
// or (snc check: TRC013, TRC014) its clock cannot be replayed as asked (exit 3); CLI — the command line or a file argument is wrong (exit 2);
// CHK — a recorded trace leaves the model, PRP — it breaks a property (exit 1);
// CFG — a system config is invalid (exit 3); SCN — a scenario is invalid;
// RUN — `snc run-tests`: a test suite is invalid (exit 3), an adapter or bug
// switch is wrong (exit 2), an adapter failed during a test (the test fails).
// REF — `snc overlay`: an unknown scenario, bug switch, actor or host (exit 2),
// the reference overlay's run failed (exit 4).

/** One catalogued code. */
export interface CodeInfo {
  /** `TRC001` …: three capitals and three digits, as report.schema.json requires. */
  readonly code: string;
  /** A short title, also the heading in docs/errors.md. */
  readonly title: string;
  /** What to do about it, shown after `— hint:`. */
  readonly hint: string;
}

const entries = [
  // ── trace files ────────────────────────────────────────────────────────
  { code: 'TRC001', title: 'line is not valid JSON',
    hint: 'each line must hold exactly one JSON object (NDJSON); check for a truncated write, a stray comma or a non-UTF-8 byte' },
  { code: 'TRC002', title: 'header missing',
    hint: 'line 1 must be {"type":"header","format":"supernode-trace","version":1,"clock":"ms","actors":[…]}' },
  { code: 'TRC003', title: 'header invalid',
    hint: 'see the Header definition in schemas/trace.schema.json (format "supernode-trace", version 1, clock "ms" or "step", actors by role)' },
  { code: 'TRC004', title: 'event does not match the schema',
    hint: 'see the Event definitions in schemas/trace.schema.json: each event type has a fixed set of fields' },
  { code: 'TRC005', title: 'deliver or drop of an unknown mid',
    hint: 'a deliver/drop must follow the send with the same mid; check that the send was recorded and that its mid has the same JSON type (1 and "1" differ)' },
  { code: 'TRC006', title: 'mid already delivered or dropped',
    hint: 'a message is delivered or dropped at most once; a duplicate on the wire needs its own send with a fresh mid' },
  { code: 'TRC007', title: 'duplicate mid in send',
    hint: 'mids must be unique among the sends of a trace; number them with a counter per recorder, or prefix them with the sender id' },
  { code: 'TRC008', title: 'unknown actor',
    hint: 'every actor id used by an event must be listed in the header `actors` or added earlier by a `join` event' },
  { code: 'TRC009', title: 'duplicate actor id',
    hint: 'actor ids are unique in a trace, across the header and all `join` events (a left actor keeps its id)' },
  { code: 'TRC010', title: 'time goes backwards',
    hint: '`t` must never decrease from one event to the next; write events in the order they happened, or sort by `t` (stable) before writing' },
  { code: 'TRC011', title: 'unknown host',
    hint: 'a crash/restart names a `host` that some actor of the header or of a `join` runs on' },
  { code: 'TRC012', title: 'line too long',
    hint: 'the line was skipped without being read into memory; raise the limit with --max-line-length if this line is genuine' },
  { code: 'TRC013', title: 'time jumps too far to replay',
    hint: 'check the recorder\'s timestamps: one bad t, or a wall-clock t (Date.now()) next to one counted from 0; if the gap is genuine, raise --max-firings' },
  { code: 'TRC014', title: 'clock-time measure on a step-clock trace',
    hint: '--measure time counts the ms of a clock "ms" trace; in a clock "step" trace t counts steps: leave --measure out (or use global or actor), or check a trace recorded with clock "ms"' },
  // ── command line ───────────────────────────────────────────────────────
  { code: 'CLI001', title: 'usage error',
    hint: 'run `snc --help` or `snc <command> --help` for the accepted commands and flags' },
  { code: 'CLI002', title: 'file not found',
    hint: 'check the path (relative paths start from the current directory); use `-` to read standard input' },
  { code: 'CLI003', title: 'file cannot be read or written',
    hint: 'the path must be a readable regular file (not a directory); check its permissions' },
  // ── conformance (snc check) ────────────────────────────────────────────
  { code: 'CHK001', title: 'send the model does not emit',
    hint: 'the sender\'s model, in the state the trace led it to, would not send this message now; compare the model state shown with your implementation, or allow more hidden steps (--hidden K) if a timer or input went unrecorded' },
  { code: 'CHK002', title: 'timeout of a timer that is not armed, or too early',
    hint: 'the model has no such timer running for this actor at this point, or (with --timer-slack MS) it fires more than MS ms before the deadline the model set; check when your implementation arms and cancels it, and its durations (docs/roles/)' },
  { code: 'CHK003', title: 'observed state differs from the model',
    hint: 'the actor reported a state its model is not in; the model state is shown; more hidden steps (--hidden K) may explain unrecorded timeouts' },
  { code: 'CHK004', title: 'event for an actor that is down or absent',
    hint: 'a crashed host sends and receives nothing until its `restart`; a joined actor needs its `join` first' },
  { code: 'CHK005', title: 'restart of a host that is up',
    hint: 'a host restarts after a `crash` of it: record the crash (or the stop) before the restart, or leave the restart out if the process never stopped' },
  { code: 'PRP001', title: 'property violated',
    hint: 'the trace breaks a property of the catalogue (docs/properties.md); the actors are named; if conformance problems (CHK) come first, the model may already disagree with the implementation there' },
  // ── system configs (snc explore --config) ──────────────────────────────
  { code: 'CFG001', title: 'config file unreadable or not JSON',
    hint: 'a config is one JSON object; see schemas/config.schema.json' },
  { code: 'CFG002', title: 'config does not match the schema',
    hint: 'see schemas/config.schema.json (actors as in a trace header, params, budget)' },
  { code: 'CFG003', title: 'config refers to an unknown or duplicate actor',
    hint: 'actor ids are unique; hostCache, peers and standby list ids of actors in the config' },
  { code: 'CFG004', title: 'config lacks a role',
    hint: 'a system needs at least one client, one supernode and an auth server' },
  // ── simulation scenarios (snc simulate) ────────────────────────────────
  { code: 'SCN001', title: 'scenario unreadable or not JSON',
    hint: 'name a bundled scenario (steady, supernode-crash, outage-2010, login-flood-2007) or a readable JSON file' },
  { code: 'SCN002', title: 'scenario does not match the schema',
    hint: 'see schemas/scenario.schema.json; durations are ms or text like "90s", "10m", "2h"' },
  { code: 'SCN003', title: 'scenario is inconsistent',
    hint: 'the scenario refers to more hosts, supernodes or times than it declares; see the message' },
  // ── test runs (snc run-tests) ──────────────────────────────────────────
  { code: 'RUN001', title: 'test suite unreadable or not JSON',
    hint: 'give a test suite written by `snc testgen --out FILE.json`; it is one JSON object' },
  { code: 'RUN002', title: 'test suite does not match the schema',
    hint: 'see schemas/testcases.schema.json; regenerate the suite with the `command` it records (snc testgen …)' },
  { code: 'RUN003', title: 'test suite is inconsistent',
    hint: 'every step must name an actor or host of the suite\'s config, and test ids must be unique; regenerate the suite with snc testgen' },
  { code: 'RUN004', title: 'adapter module cannot be loaded',
    hint: 'give the path of an ES module (.ts or .js) whose default export is an Adapter, e.g. --adapter reference/adapter.ts' },
  { code: 'RUN005', title: 'module is not an adapter',
    hint: 'export default { name, bugs?, start(opts) } as in checker/runner/adapter.ts (README: "Testing your own implementation")' },
  { code: 'RUN006', title: 'unknown bug switch',
    hint: '--bug takes one of the switches the adapter lists in its `bugs`' },
  { code: 'RUN007', title: 'adapter failed during a test',
    hint: 'the adapter threw, hung past the call timeout, or wrote no recording; the test fails; run it alone with SNC_DEBUG=1 to see the error' },
  // ── the reference overlay (snc overlay) ────────────────────────────────
  { code: 'REF001', title: 'overlay request names an unknown scenario, bug switch, actor or host',
    hint: '`snc overlay --help` lists the scenarios and bug switches; actors are auth, im, sn1…snM, c1…cN on hosts h-sn1…, h-c1…' },
  { code: 'REF002', title: 'overlay run failed',
    hint: 'the overlay could not listen on 127.0.0.1 or one of its programs threw; the recording is incomplete; rerun with SNC_DEBUG=1 and report it' },
  // ── reports given back (snc explain --report) ──────────────────────────
  { code: 'RPT001', title: 'report unreadable or not a supernode-check report',
    hint: 'pass the JSON that snc check, explore or simulate wrote with --format json (or --report FILE) about this trace' },
] as const satisfies readonly CodeInfo[];

/** Every known code, as a literal union. */
export type Code = (typeof entries)[number]['code'];

/** The catalogue, in documentation order. */
export const CODES: readonly CodeInfo[] = entries;

const byCode = new Map<string, CodeInfo>(entries.map((e) => [e.code, e]));

/** The catalogue entry of `code`; throws on an unknown code (a programming error). */
export function codeInfo(code: Code): CodeInfo {
  const info = byCode.get(code);
  if (!info) throw new Error(`uncatalogued problem code ${code}`);
  return info;
}
