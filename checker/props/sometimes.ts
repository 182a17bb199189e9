// `sometimes` properties: sanity checks that the model can act at all. A
// model that does nothing satisfies every `always`; these must be witnessed.
import { stateless } from './types.js';

export const someClientOnline = stateless(
  { id: 'client-online', kind: 'sometimes', statement: 'Some client gets online.' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roles[t.idx] === 'client' && t.after?.value === 'online' && t.before?.value !== 'online') {
        return { type: 'witness', property: 'client-online', actors: [sys.topo.ids[t.idx]], explanation: `${sys.topo.ids[t.idx]} is online` };
      }
    }
    return null;
  },
);

export const lookupFound = stateless(
  { id: 'lookup-found', kind: 'sometimes', statement: 'Some Lookup is answered with the supernode of the user looked up.' },
  (o) => {
    if (o.ev.type === 'send' && o.msg?.kind === 'LookupResult' && o.msg.supernode !== null) {
      return { type: 'witness', property: 'lookup-found', actors: [o.ev.to], explanation: `${o.ev.to} learned that ${o.msg.user} is at ${o.msg.supernode}` };
    }
    return null;
  },
);

export const supernodeSheds = stateless(
  { id: 'overload-evicts', kind: 'sometimes', statement: 'Some supernode self-evicts under overload (the 2010 safety valve can fire).' },
  (o, _st, sys) => {
    for (const t of o.touched) {
      if (sys.topo.roles[t.idx] === 'supernode' && t.after?.value === 'overloaded' && t.before?.value !== 'overloaded') {
        return { type: 'witness', property: 'overload-evicts', actors: [sys.topo.ids[t.idx]], explanation: `${sys.topo.ids[t.idx]} self-evicted` };
      }
    }
    return null;
  },
);
