// When does a recorded message count as the one the model emitted? Exactly,
// except where the model abstracts:
// - credentials: the model signs with a symbolic scheme an implementation
//   need not share. A LoginOk from auth matches the model's LoginOk for the
//   same user, and from then on the recorded credential is an alias of the
//   model's one: recorded messages carrying it are translated before the model
//   sees them. A credential auth never issued has no alias, so the model's own
//   verification rejects it;
// - ConnectAck's supernode list is a set; OfflineImBatch's count is not modelled.
import { canonicalJson } from '../../models/canonical.js';
import type { Credential, Message } from '../../schemas/generated/trace.js';

export class CredentialAliases {
  private readonly map = new Map<string, Credential>();

  /** Remembers that the recorded credential stands for the model's. */
  learn(model: Credential, recorded: Credential): void {
    this.map.set(canonicalJson(recorded), model);
  }

  /** `msg` with a recorded credential replaced by the model's (unchanged when unknown). */
  toModel(msg: Message): Message {
    if (!('credential' in msg) || this.map.size === 0) return msg;
    const m = this.map.get(canonicalJson(msg.credential));
    return m ? ({ ...msg, credential: m } as Message) : msg;
  }
}

/** Whether `recorded` (already translated by the aliases) is the message `model`. */
export function messageMatches(model: Message, recorded: Message): boolean {
  if (model.kind !== recorded.kind) return false;
  switch (model.kind) {
    // Kinds without fields: the kind is the message (the hot path: keepalives).
    case 'Connect': case 'LoginBusy': case 'RegisterAck': case 'Keepalive': case 'KeepaliveAck':
    case 'PeerHello': case 'PeerAck': case 'Unregister': case 'Closing': case 'OfflineImFetch':
      return true;
    case 'LoginOk': return model.credential.user === (recorded as typeof model).credential.user;
    case 'ConnectAck': {
      const a = [...model.supernodes].sort();
      const b = [...(recorded as typeof model).supernodes].sort();
      return a.length === b.length && a.every((x, i) => x === b[i]);
    }
    case 'OfflineImBatch': return true;
    default: return canonicalJson(model) === canonicalJson(recorded);
  }
}
