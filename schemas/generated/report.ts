/* eslint-disable */
// generated — do not edit — regenerate with `npm run gen` (from schemas/report.schema.json)

/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Verdict".
 */
export type Verdict = 'valid' | 'invalid' | 'conforms' | 'violates';

/**
 * The machine-readable report printed by `snc validate|check|explore|simulate|run-tests --format json`.
 */
export interface Report {
  tool: 'supernode-check';
  reportVersion: 1;
  command: 'validate' | 'check' | 'explore' | 'simulate' | 'run-tests';
  /**
   * True when every file is valid/conforms and every property holds (simulate: when no property was violated; its exit code is 0 either way).
   */
  ok: boolean;
  files?: FileReport[];
  exploration?: ExplorationReport;
  simulation?: SimulationReport;
  testRun?: TestRunReport;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "FileReport".
 */
export interface FileReport {
  file: string;
  verdict: Verdict;
  lines?: number;
  events?: number;
  actors?: number;
  problems: Problem[];
  /**
   * More problems were found than --max-errors allows.
   */
  truncated?: boolean;
  properties?: PropertyResult[];
  /**
   * Unrecorded steps the checker inferred (due timers and searched hidden steps).
   */
  hiddenSteps?: number;
  /**
   * The inferred hidden steps that were user or operator inputs (a Logout, a SetMode): they can explain away a defect, so they are named. `first`: up to 20, each before the event on `line`.
   */
  hiddenInputs?: {
    count: number;
    first: {
      line: number;
      actor: string;
      /**
       * The input, as a trace's `input` event has it.
       */
      input: {
        kind: string;
        mode?: string;
      };
    }[];
  };
  /**
   * `snc check`: messages the models emitted that no recorded send matched by the end of the trace. Not a verdict (a trace may end before a reply is logged), but a recorder that logs every send would show them: a send the implementation forgot, or one the recorder did not log. `first`: up to 10, per actor in order.
   */
  owed?: {
    count: number;
    first: {
      /**
       * The sender.
       */
      actor: string;
      to: string;
      /**
       * The message kind.
       */
      kind: string;
    }[];
  };
  seconds?: number;
}
/**
 * One finding, with a code, the place, the offending value and a hint.
 *
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Problem".
 */
export interface Problem {
  /**
   * e.g. TRC003; see docs/errors.md.
   */
  code: string;
  message: string;
  file?: string;
  line?: number;
  /**
   * The offending value (truncated when long).
   */
  value?: {
    [k: string]: unknown | undefined;
  };
  hint?: string;
  property?: string;
  actors?: string[];
  /**
   * The model state(s) before the event, and what the model allowed instead (conformance problems).
   */
  model?: string;
  /**
   * The last few trace lines before the event, as context.
   */
  context?: string[];
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "PropertyResult".
 */
export interface PropertyResult {
  id: string;
  kind: 'always' | 'response' | 'sometimes';
  /**
   * `sometimes` properties are witnessed or unwitnessed; `pending`: a response obligation still open at the end of a trace; `not-checked`: not judged, with why in `explanation`: in snc check because the replay stopped (--stop-at-first) or the recording left the model earlier (a CHK problem), after which the monitors follow the model's run, not the implementation's; in snc simulate because the scenario cannot exercise the property (directory-fresh and lookup-found when its users make no lookups).
   */
  status: 'holds' | 'violated' | 'pending' | 'witnessed' | 'unwitnessed' | 'not-checked';
  line?: number;
  step?: number;
  time?: number;
  actors?: string[];
  explanation?: string;
  /**
   * Path of the counterexample or witness trace file.
   */
  trace?: string;
  /**
   * Length in steps of the counterexample or witness.
   */
  length?: number;
  /**
   * `simulate`: how many times the property was violated or witnessed during the run.
   */
  count?: number;
  /**
   * `simulate`: response obligations still open at the end of the run.
   */
  pendingCount?: number;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "ExplorationReport".
 */
export interface ExplorationReport {
  mode: 'exhaustive' | 'random';
  /**
   * Preset name or config file.
   */
  model: string;
  symmetry?: boolean;
  states: number;
  transitions: number;
  depth: number;
  seconds: number;
  statesPerSecond?: number;
  /**
   * False when a bound (depth, states) stopped the search.
   */
  complete: boolean;
  /**
   * Which bound stopped the search, and the option that raises it.
   */
  bound?: string;
  seed?: number;
  runs?: number;
  replay?: string;
  properties: PropertyResult[];
}
/**
 * `simulate`: the run's figures (clients, supernodes, events, seconds), its time series, the summary of docs/outage-2010.md and the property verdicts (time: first violation or witness, in ms of simulated time).
 *
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "SimulationReport".
 */
export interface SimulationReport {
  scenario: string;
  seed: number;
  properties?: PropertyResult[];
  [k: string]: unknown | undefined;
}
/**
 * What `snc run-tests` found: one entry per abstract test case of the suite.
 *
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "TestRunReport".
 */
export interface TestRunReport {
  /**
   * The adapter's name (e.g. reference-overlay).
   */
  adapter: string;
  /**
   * The suite's name (its file name without .json).
   */
  suite: string;
  /**
   * Bug switches turned on (empty: a correct run).
   */
  bugs: string[];
  /**
   * Factor applied to the model's durations for real time.
   */
  timeScale: number;
  /**
   * Base seed; each case's own seed is derived from it.
   */
  seed: number;
  cases: TestCaseResult[];
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "TestCaseResult".
 */
export interface TestCaseResult {
  id: string;
  status: 'pass' | 'fail' | 'skip';
  /**
   * Steps in the abstract test (opening excluded).
   */
  length: number;
  seed: number;
  /**
   * The run's recording (absent for a skipped test, and when the adapter recorded nothing: no file, or an empty one).
   */
  recording?: string;
  failures: TestFailure[];
  /**
   * Why the test was skipped.
   */
  skipped?: string;
  /**
   * Properties the test expected violated that the run did violate.
   */
  expectedViolated: string[];
  /**
   * Where the run only approximates the test (drops), and expected violations not reproduced.
   */
  notes: string[];
  seconds: number;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "TestFailure".
 */
export interface TestFailure {
  /**
   * CHK… (the recording leaves the model), PRP001 (a property), TRC… (not a valid trace), RUN007 (the adapter failed).
   */
  code: string;
  /**
   * The property id, or `conformance`.
   */
  property: string;
  message: string;
  /**
   * `recording:line`, when the problem has a line.
   */
  at?: string;
}
