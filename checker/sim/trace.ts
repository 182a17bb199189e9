// Writes a simulation as a `supernode-trace` (clock "ms") restricted to a
// sample of clients, so that a day at scale stays a readable file. Kept: every
// event of a sampled client (its sends and the deliveries or drops of those
// messages, messages sent to it, its timers and inputs, its host's crashes and
// restarts), operator inputs to auth and im, crashes and restarts of supernode
// hosts, and the joins of mega-supernodes. The header names auth, im, every
// regular supernode (host caches and mesh peers refer to them) and the sampled
// clients; mega-supernodes are declared by their `join` (a Connect to one not
// added yet is lost at once: the system never sends it). Every deliver follows
// its send, so `snc validate` accepts the file. Supernodes, auth and im are
// partially observed (their traffic with unsampled clients is left out); the
// header's `source` says so.
import type { Header } from '../../schemas/generated/trace.js';
import type { Observation, System } from '../system/system.js';
import type { Mid } from '../system/state.js';
import type { ObservationSink } from './engine.js';

export class SampleTrace implements ObservationSink {
  private readonly sampled: Uint8Array;
  private readonly hostsKept = new Set<string>();
  private readonly mids = new Set<Mid>();
  lines = 0;

  constructor(private readonly sys: System, sampled: readonly number[], private readonly write: (line: string) => void) {
    this.sampled = new Uint8Array(sys.topo.ids.length);
    for (const i of sampled) { this.sampled[i] = 1; this.hostsKept.add(sys.topo.cfgs[i].host); }
    sys.topo.roles.forEach((r, i) => { if (r === 'supernode') this.hostsKept.add(sys.topo.cfgs[i].host); });
  }

  /** Writes the header line. `params` and `source` as the scenario gives them. */
  header(params: Header['params'], source: string): void {
    const { topo } = this.sys;
    const actors = topo.actors.filter((a, i) => !this.sys.standby.has(i) && (a.role !== 'client' || this.sampled[i] === 1));
    const header: Header = { type: 'header', format: 'supernode-trace', version: 1, clock: 'ms', actors: actors as Header['actors'], ...(params && Object.keys(params).length ? { params } : {}), source };
    this.emit(JSON.stringify(header));
    // The actors start at 0, and the first sampled event may come much later: a checker takes the
    // first event's time as the start (a recorder's wall clock), so the start is written down.
    this.emit(JSON.stringify({ type: 'note', t: 0, text: 'the simulation starts: every actor of the header starts now' }));
  }

  observe(o: Observation): void {
    const ev = o.ev;
    switch (ev.type) {
      case 'send':
        // Traffic among supernodes, auth and im is always kept: it changes supernode state (the mesh), which the checker replays.
        if (this.sampled[o.from!] !== 1 && this.sampled[o.to!] !== 1 && (this.sys.topo.roles[o.from!] === 'client' || this.sys.topo.roles[o.to!] === 'client')) return;
        this.mids.add(ev.mid);
        this.emit(JSON.stringify(ev));
        return;
      case 'deliver':
      case 'drop':
        if (this.mids.delete(ev.mid)) this.emit(JSON.stringify(ev));
        return;
      case 'timeout':
      case 'input': {
        const i = this.sys.topo.index.get(ev.actor)!;
        const role = this.sys.topo.roles[i];
        if (this.sampled[i] === 1 || (ev.type === 'input' && role !== 'client')) this.emit(JSON.stringify(ev));
        return;
      }
      case 'crash':
      case 'restart':
        if (this.hostsKept.has(ev.host)) this.emit(JSON.stringify(ev));
        return;
      case 'join':
        this.emit(JSON.stringify(ev));
        return;
      default:
        return;
    }
  }

  private emit(line: string): void {
    this.lines++;
    this.write(line);
  }
}
