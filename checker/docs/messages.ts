// docs/messages.md: the message catalogue. Kinds, sender → receiver and
// fields come from schemas/trace.schema.json; which transitions send a kind
// comes from the effect probe (probe.ts) and which ones receive it from the
// machines' handlers. A kind no role sends or receives is flagged.
import { ROLES } from '../../models/index.js';
import type { Role } from '../../models/types.js';
import { anchor, cell, code, page, table } from './markdown.js';
import { probeRole, type ProbedRow } from './probe.js';
import { MESSAGES, messagePurpose, senderReceiver, type Variant } from './schema.js';
import { ALWAYS, ANY, transitionLabel } from './transitions.js';

const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** Where a message kind is used in the models. */
export interface MessageUse {
  readonly kind: string;
  readonly declared: { from: string; to: string } | null;
  /** Roles whose transitions were seen sending it, and to which roles. */
  readonly senders: readonly { role: Role; row: ProbedRow; to: readonly string[] }[];
  readonly receivers: readonly { role: Role; row: ProbedRow }[];
}

/** Every message kind of the schema with its senders and receivers in the models. */
export function messageUses(): MessageUse[] {
  return MESSAGES.map((v) => ({
    kind: v.name,
    declared: senderReceiver(v),
    senders: ROLE_NAMES.flatMap((role) => probeRole(role).filter((r) => r.effects.sends.includes(v.name)).map((row) => ({ role, row, to: row.effects.sendsTo[v.name] }))),
    receivers: ROLE_NAMES.flatMap((role) => probeRole(role).filter((r) => r.event === v.name).map((row) => ({ role, row }))),
  }));
}

/** `client: connecting on ConnectReject [moreCandidates] → connecting` */
function where(role: Role, r: ProbedRow): string {
  const from = r.from === ANY ? 'any state' : code(r.from);
  const ev = r.event === ALWAYS ? '' : ` on ${code(transitionLabel({ ...r, actions: [] }))}`;
  const to = r.target === undefined ? ' (stays)' : ` → ${code(r.target)}`;
  return `[${role}](roles/${role}.md#transitions): ${from}${ev}${to}`;
}

function section(v: Variant, use: MessageUse): string[] {
  const d = use.declared;
  const senderRoles = [...new Set(use.senders.map((s) => s.role))];
  const receiverRoles = [...new Set(use.receivers.map((s) => s.role))];
  const mismatch = d && (senderRoles.some((r) => r !== d.from) || receiverRoles.some((r) => r !== d.to));
  return [
    `### ${v.name}`,
    '',
    `${d ? `**${d.from} → ${d.to}**: ` : ''}${messagePurpose(v)}`,
    '',
    ...(v.fields.length
      ? table(['field', 'type', 'required', 'description'], v.fields.map((f) => [code(f.name), code(f.type), f.required ? 'yes' : 'no', cell(f.description)]))
      : ['No fields besides `kind`.']),
    '',
    `Sent by:${use.senders.length ? '' : ' *no transition of the models* (only recorded traces or adversaries send it)'}`,
    ...use.senders.map((s) => `- ${where(s.role, s.row)}`),
    '',
    `Received by:${use.receivers.length ? '' : ' *no transition handles it*: the receiver ignores it (property monitors still see it on the network)'}`,
    ...use.receivers.map((s) => `- ${where(s.role, s.row)}`),
    ...(mismatch ? ['', `> **Note:** the schema says ${d.from} → ${d.to}; the models send it from ${senderRoles.join(', ') || 'nobody'} and handle it in ${receiverRoles.join(', ') || 'nobody'}.`] : []),
    '',
  ];
}

/** Markdown of docs/messages.md. */
export function messagesPage(): string {
  const uses = messageUses();
  return page([
    '# Messages',
    '',
    'Every message of the protocol, as `send` events carry it in a trace (`msg` with its `kind`). Kinds, directions and fields are those of `schemas/trace.schema.json`; the transitions that send and receive each kind are found in the models ([how](roles/client.md#transitions)). Back to the [index](index.md).',
    '',
    ...table(['kind', 'sender → receiver', 'fields', 'purpose'], MESSAGES.map((v, i) => {
      const d = uses[i].declared;
      return [`[${code(v.name)}](#${anchor(v.name)})`, d ? `${d.from} → ${d.to}` : '', v.fields.map((f) => code(f.name)).join(', ') || '—', cell(messagePurpose(v))];
    })),
    '',
    '## Catalogue',
    '',
    ...MESSAGES.flatMap((v, i) => section(v, uses[i])),
  ]);
}
