// The short prose account beside the diagram: what the trace is, the verdict
// (when one is known: the violated properties with their line, time, actors
// and explanation), and what happened, in order: inputs, crashes, restarts,
// joins and leaves, lost messages, observations; then message counts. Plain
// sentences (no markup), rendered as Markdown or HTML by render.ts.
import type { LoadedTrace, Located } from './load.js';
import type { Highlight } from './sequence.js';
import { messageLabel, timeText } from './labels.js';

/** The account: a title line, the verdict sentences, the happenings, the counts. */
export interface Prose {
  readonly summary: string;
  /** Null when no verdict was available (no checker, no report). */
  readonly verdict: readonly string[] | null;
  readonly happenings: readonly string[];
  readonly counts: string;
}

const MAX_HAPPENINGS = 25;
/** The first MAX_HAPPENINGS of `list`, then a line saying how many more there are (`more` says where to find them). */
const capped = (list: readonly string[], more = ''): string[] => (list.length > MAX_HAPPENINGS ? [...list.slice(0, MAX_HAPPENINGS), `… and ${list.length - MAX_HAPPENINGS} more${more}`] : [...list]);

/** The sentence for one property result: `no-client-crash violated at line 27 (step 15): c1 … crashed …`. */
export function verdictSentence(trace: LoadedTrace, h: Highlight): string {
  const e = h.line !== undefined ? trace.events.find((x) => x.line === h.line) : undefined;
  const when = h.line !== undefined ? ` at line ${h.line}${e ? ` (${timeText(trace.header, e.ev.t)})` : ''}` : '';
  const who = h.actors?.length ? ` [${h.actors.join(', ')}]` : '';
  return `${h.id} ${h.status}${when}${who}: ${h.explanation ?? 'no explanation given'}`;
}

function happening(trace: LoadedTrace, e: Located): string | null {
  const ev = e.ev;
  const at = `${timeText(trace.header, ev.t)} (line ${e.line})`;
  const onHost = (host: string) => trace.actors.filter((a) => (a.host ?? a.id) === host).map((a) => a.id).join(', ');
  switch (ev.type) {
    case 'input': return `${at}: ${ev.actor} got input ${Object.values(ev.input).map(String).join(' ')}`;
    case 'crash': return `${at}: host ${ev.host} crashed, taking down ${onHost(ev.host) || 'no known actor'}`;
    case 'restart': return `${at}: host ${ev.host} restarted (${onHost(ev.host) || 'no known actor'})`;
    case 'join': return `${at}: ${ev.actor.id} (${ev.actor.role}) joined`;
    case 'leave': return `${at}: ${ev.actor} left`;
    case 'drop': return e.send ? `${at}: the network lost ${messageLabel(e.send.ev.msg)} from ${e.send.ev.from} to ${e.send.ev.to}` : null;
    case 'observe': return `${at}: ${ev.actor} reported state ${ev.state}${ev.upstream ? ` (upstream ${ev.upstream})` : ''}`;
    case 'send': return trace.settled.has(ev.mid) ? null : `${at}: ${messageLabel(ev.msg)} from ${ev.from} to ${ev.to} was never delivered`;
    default: return null;
  }
}

/** The prose account of `trace`; `verdict` is null when no checker result is at hand. */
export function proseOf(trace: LoadedTrace, verdict: readonly Highlight[] | null): Prose {
  const first = trace.events[0];
  const last = trace.events[trace.events.length - 1];
  const actors = trace.actors.map((a) => `${a.id} (${a.role})`).join(', ');
  const shown = first && last ? `events ${first.index + 1}–${last.index + 1} of ${trace.totalEvents} (lines ${first.line}–${last.line})` : 'no events';
  const summary = `${trace.file}: ${trace.actors.length} actors — ${actors}; clock ${trace.header.clock}; showing ${shown}${trace.centre !== undefined ? `, around line ${trace.centre}` : ''}.`;
  const all = trace.events.map((e) => happening(trace, e)).filter((s): s is string => s !== null);
  const happenings = capped(all);
  let sent = 0, delivered = 0, dropped = 0, timeouts = 0;
  for (const e of trace.events) {
    if (e.ev.type === 'send') sent++;
    else if (e.ev.type === 'deliver') delivered++;
    else if (e.ev.type === 'drop') dropped++;
    else if (e.ev.type === 'timeout') timeouts++;
  }
  const counts = `In the events shown: ${sent} messages sent, ${delivered} delivered, ${dropped} dropped, ${timeouts} timeouts fired.`;
  const bad = verdict?.filter((h) => h.status === 'violated' || h.status === 'pending') ?? null;
  const verdictLines = bad === null ? null : bad.length ? capped(bad.map((h) => verdictSentence(trace, h)), ' (snc check lists them)') : ['every property checked holds'];
  return { summary, verdict: verdictLines, happenings, counts };
}
