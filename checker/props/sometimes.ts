// `sometimes` properties: sanity checks that the model can act at all. A
// model that does nothing satisfies every `always`; these must be witnessed.
import { stateless } from './types.js';
import { CLIENT, SUPERNODE } from '../system/topology.js';

export const someClientOnline = stateless(
  { id: 'client-online', kind: 'sometimes', statement: 'Some client gets online.' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] === CLIENT && t.after?.value === 'online' && t.before?.value !== 'online') {
        return { type: 'witness', property: 'client-online', actors: [sys.topo.ids[t.idx]], explanation: `${sys.topo.ids[t.idx]} is online` };
      }
    }
    return null;
  },
  'touched',
  ['client'],
);

export const lookupFound = stateless(
  { id: 'lookup-found', kind: 'sometimes', statement: 'Some Lookup is answered with the supernode of the user looked up.', needsInput: 'Lookup' },
  (o) => {
    if (o.type === 'send' && o.ev.type === 'send' && o.msg?.kind === 'LookupResult' && o.msg.supernode !== null) {
      return { type: 'witness', property: 'lookup-found', actors: [o.ev.to], explanation: `${o.ev.to} learned that ${o.msg.user} is at ${o.msg.supernode}` };
    }
    return null;
  },
  'send',
);

export const supernodeSheds = stateless(
  { id: 'overload-evicts', kind: 'sometimes', statement: 'Some supernode self-evicts under overload (the 2010 safety valve can fire).' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] === SUPERNODE && t.after?.value === 'overloaded' && t.before?.value !== 'overloaded') {
        return { type: 'witness', property: 'overload-evicts', actors: [sys.topo.ids[t.idx]], explanation: `${sys.topo.ids[t.idx]} self-evicted` };
      }
    }
    return null;
  },
  'touched',
  ['supernode'],
);

export const reattachHappens = stateless(
  { id: 'reattach-happens', kind: 'sometimes', statement: 'Some client that lost its upstream gets online again (self-healing can happen).' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roleCode[t.idx] !== CLIENT || t.after?.value !== 'online' || t.before?.value === 'online') continue;
      // The offline-IM fetch happens once per login, at the first `online`: a client that
      // becomes online with it already under way or done was online before in this login.
      const before = t.before?.ctx as { im?: string } | undefined;
      if (before?.im && before.im !== 'idle') {
        return { type: 'witness', property: 'reattach-happens', actors: [sys.topo.ids[t.idx]], explanation: `${sys.topo.ids[t.idx]} is online again after losing its upstream` };
      }
    }
    return null;
  },
  'touched',
  ['client'],
);
