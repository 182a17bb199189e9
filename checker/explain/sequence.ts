// The Mermaid `sequenceDiagram` of a trace: one participant per actor (in
// header order, joined actors after), a message drawn as an arrow when it is
// delivered, a dropped or never-delivered message as a lost arrow (`-x`), a
// message still in flight when the window ends as an open arrow (`-)`), and
// inputs, timeouts, crashes, restarts, joins, leaves, observations and notes
// as notes over their actors. A violated property is highlighted at its line:
// a red band round the event and a note with the property and its explanation.
import type { Actor } from '../../schemas/generated/trace.js';
import type { PropertyResult } from '../../schemas/generated/report.js';
import type { LoadedTrace, Located } from './load.js';
import { messageLabel, seqText, timeText, wrapped } from './labels.js';

const KEYWORDS = new Set(['participant', 'actor', 'as', 'loop', 'end', 'alt', 'else', 'opt', 'par', 'and', 'rect', 'note', 'over', 'left', 'right', 'of', 'activate', 'deactivate', 'title', 'autonumber', 'critical', 'break', 'box', 'create', 'destroy', 'links', 'link', 'properties', 'details', 'option']);

/** Mermaid ids for actor ids: the id itself when it is a plain word, else `p<n>`. */
export function participantIds(actors: readonly Actor[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  actors.forEach((a, i) => {
    const plain = /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(a.id) && !KEYWORDS.has(a.id.toLowerCase());
    let id = plain ? a.id : `p${i}`;
    while (used.has(id)) id = `${id}_`;
    used.add(id);
    out.set(a.id, id);
  });
  return out;
}

function alias(a: Actor): string {
  const extra = a.role === 'client' ? ` ${a.version ?? ''}`.trimEnd() : a.role === 'supernode' && a.mega ? ' mega' : '';
  return seqText(`${a.id} (${a.role}${extra})`);
}

/** A violated property to highlight at its line. */
export type Highlight = Pick<PropertyResult, 'id' | 'status' | 'line' | 'actors' | 'explanation'>;

/** The diagram source (without the Markdown fence). */
export function sequenceDiagram(trace: LoadedTrace, highlights: readonly Highlight[] = []): string {
  const ids = participantIds(trace.actors);
  const pid = (actor: string) => ids.get(actor) ?? ids.values().next().value!;
  const order = trace.actors.map((a) => a.id);
  const span = (actors: readonly string[]) => {
    const known = actors.filter((a) => ids.has(a)).sort((x, y) => order.indexOf(x) - order.indexOf(y));
    if (!known.length) return `${pid(order[0])},${pid(order[order.length - 1])}`;
    return known.length === 1 ? pid(known[0]) : `${pid(known[0])},${pid(known[known.length - 1])}`;
  };
  const onHost = (host: string) => trace.actors.filter((a) => (a.host ?? a.id) === host).map((a) => a.id);
  const all = span(order);
  const out: string[] = ['sequenceDiagram'];
  for (const a of trace.actors) out.push(`  participant ${pid(a.id)} as ${alias(a)}`);
  const first = trace.events[0];
  const last = trace.events[trace.events.length - 1];
  if (first && first.index > 0) out.push(`  Note over ${all}: … ${first.index} earlier events not shown (lines 2–${first.line - 1})`);
  const time = (e: Located) => timeText(trace.header, e.ev.t);

  for (const e of trace.events) {
    const marks = highlights.filter((h) => h.line === e.line);
    if (marks.length) out.push('  rect rgba(255, 80, 80, 0.25)');
    const ev = e.ev;
    switch (ev.type) {
      case 'send': {
        const end = trace.settled.get(ev.mid);
        if (!end) out.push(`  ${pid(ev.from)}-x${pid(ev.to)}: ${seqText(`${messageLabel(ev.msg)} (never delivered)`)}`);
        else if (end.index > (last?.index ?? 0)) out.push(`  ${pid(ev.from)}-)${pid(ev.to)}: ${seqText(`${messageLabel(ev.msg)} (${end.ev.type === 'drop' ? 'dropped' : 'delivered'} at line ${end.line})`)}`);
        break;
      }
      case 'deliver':
      case 'drop': {
        const s = e.send?.ev;
        if (!s) break;
        const arrow = ev.type === 'deliver' ? '->>' : '-x';
        out.push(`  ${pid(s.from)}${arrow}${pid(s.to)}: ${seqText(messageLabel(s.msg) + (ev.type === 'drop' ? ' (dropped)' : ''))}`);
        break;
      }
      case 'input':
        out.push(`  Note over ${pid(ev.actor)}: ${seqText(`${time(e)} input ${Object.values(ev.input).map(String).join(' ')}`)}`);
        break;
      case 'timeout':
        out.push(`  Note over ${pid(ev.actor)}: ${seqText(`${time(e)} timeout.${ev.timer}`)}`);
        break;
      case 'crash':
      case 'restart':
        out.push(`  Note over ${span(onHost(ev.host))}: ${seqText(`${time(e)} host ${ev.host} ${ev.type === 'crash' ? 'CRASHED' : 'restarted'}`)}`);
        break;
      case 'join':
        out.push(`  Note over ${pid(ev.actor.id)}: ${seqText(`${time(e)} joined`)}`);
        break;
      case 'leave':
        out.push(`  Note over ${pid(ev.actor)}: ${seqText(`${time(e)} left`)}`);
        break;
      case 'observe':
        out.push(`  Note over ${pid(ev.actor)}: ${seqText(`${time(e)} observed ${ev.state}${ev.upstream ? ` upstream ${ev.upstream}` : ''}`)}`);
        break;
      case 'note':
        out.push(`  Note over ${all}: ${seqText(ev.text)}`);
        break;
    }
    for (const h of marks) out.push(`  Note over ${span(h.actors ?? [])}: ${wrapped(`✗ ${h.id} ${h.status} (line ${e.line}): ${h.explanation ?? ''}`)}`);
    if (marks.length) out.push('  end');
  }
  if (last && (trace.truncated || last.index < trace.totalEvents - 1)) {
    out.push(`  Note over ${all}: … ${trace.totalEvents - 1 - last.index} later events not shown (from line ${last.line + 1})`);
  }
  return out.join('\n');
}
