// The reference overlay's network: every actor is a TCP server on 127.0.0.1
// (an ephemeral port), and actors talk in JSON lines, one frame per message:
// {"from":"c1","mid":"m7","msg":{"kind":"Connect"}}. A sender keeps one
// outgoing connection per peer; a message to a peer that is down (connection
// refused or reset) is lost, as on a real network. `kill` destroys an
// endpoint's sockets at once (a host crash); a restarted actor listens on a
// new port.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Message } from '../schemas/generated/trace.js';

/** One message on the wire. */
export interface Frame { readonly from: string; readonly mid: string; readonly msg: Message }

/** The listening side of one actor. */
export class Endpoint {
  private server: Server | undefined;
  private readonly inbound = new Set<Socket>();
  /** Outgoing connections of this actor, by peer id. */
  readonly outbound = new Map<string, Socket>();
  port = 0;

  constructor(readonly id: string, private readonly onFrame: (f: Frame) => void, private readonly onBadFrame: (why: string) => void) {}

  /** Starts listening on a fresh ephemeral port. */
  async listen(): Promise<number> {
    const server = createServer((sock) => this.accept(sock));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this.port;
  }

  private accept(sock: Socket): void {
    this.inbound.add(sock);
    sock.setNoDelay(true);
    sock.setEncoding('utf8');
    let buf = '';
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let f: Frame;
        try { f = JSON.parse(line) as Frame; } catch { this.onBadFrame(`not JSON: ${line.slice(0, 80)}`); continue; }
        if (!f || typeof f.from !== 'string' || typeof f.mid !== 'string' || !f.msg || typeof f.msg.kind !== 'string') { this.onBadFrame(`not a frame: ${line.slice(0, 80)}`); continue; }
        if (!this.inbound.has(sock)) return; // killed meanwhile
        this.onFrame(f);
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => this.inbound.delete(sock));
  }

  /** Destroys every socket of this endpoint and stops listening: nothing in flight survives. */
  kill(): void {
    for (const s of this.inbound) s.destroy();
    this.inbound.clear();
    for (const s of this.outbound.values()) s.destroy();
    this.outbound.clear();
    this.server?.close();
    this.server = undefined;
    this.port = 0;
  }
}

/** Writes `frame` to `to` over the sender's connection (opened on first use); losses are silent. */
export function transmit(sender: Endpoint, to: string, port: number, frame: Frame): void {
  if (!port) return; // nobody listening: lost
  let sock = sender.outbound.get(to);
  if (!sock || sock.destroyed) {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    s.on('error', () => { s.destroy(); if (sender.outbound.get(to) === s) sender.outbound.delete(to); });
    s.on('close', () => { if (sender.outbound.get(to) === s) sender.outbound.delete(to); });
    sender.outbound.set(to, s);
    sock = s;
  }
  sock.write(JSON.stringify(frame) + '\n');
}

/** Closes `sender`'s connection to `to` (its peer went away). */
export function forget(sender: Endpoint, to: string): void {
  const s = sender.outbound.get(to);
  if (s) { s.destroy(); sender.outbound.delete(to); }
}
