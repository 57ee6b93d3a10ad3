// The sandbox POP3 listener: wires sockets to Pop3Session, handles STLS upgrades, backpressure,
// oversize lines and idle clients. One bad client never affects the others.
import { Buffer } from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import { LIMITS, limitMessage } from '../../protocol/limits.js';
import type { MailStore } from '../store/types.js';
import { isLoopbackAddress } from '../smtp/loopback.js';
import { LineSplitter } from './line-splitter.js';
import { Pop3Session, type Pop3Io } from './session.js';

export interface Pop3ServerOptions {
  /** PEM key and certificate: STLS on a plain port, or the handshake with `implicitTls`. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Start every connection with a TLS handshake (port 995 style). Needs `tls`. */
  readonly implicitTls?: boolean;
  /** Name in the greeting's APOP timestamp. Default `localhost`. */
  readonly hostname?: string;
  /** RFC 1939 autologout timer; at least 10 minutes there. Default 10 minutes. */
  readonly idleTimeoutMs?: number;
}

let lastTime = 0;

/** `<pid.time@hostname>`, unique per connection within this process (RFC 1939 section 7). */
function apopTimestamp(hostname: string): string {
  lastTime = Math.max(Date.now(), lastTime + 1);
  return `<${process.pid}.${lastTime}@${hostname}>`;
}

export function createPop3Server(store: MailStore, options: Pop3ServerOptions = {}): net.Server {
  const hostname = options.hostname ?? 'localhost';
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60 * 1000;
  if (options.implicitTls && !options.tls) throw new Error('POP3 implicit TLS needs a key and certificate');
  const secureContext = options.tls
    ? tls.createSecureContext({ key: options.tls.key, cert: options.tls.cert })
    : undefined;

  const serve = (socket: net.Socket, secure: boolean) =>
    servePop3(socket, { store, hostname, secure, secureContext, idleTimeoutMs });

  if (options.implicitTls && options.tls) {
    const server = tls.createServer({ key: options.tls.key, cert: options.tls.cert }, (socket) =>
      serve(socket, true),
    );
    // A failed handshake is that client's problem; Node destroys the socket, nothing else to do.
    server.on('tlsClientError', () => undefined);
    return server;
  }
  return net.createServer((socket) => serve(socket, false));
}

interface ServeOptions {
  readonly store: MailStore;
  readonly hostname: string;
  readonly secure: boolean;
  readonly secureContext: tls.SecureContext | undefined;
  readonly idleTimeoutMs: number;
}

function servePop3(raw: net.Socket, o: ServeOptions): void {
  raw.setNoDelay(true); // replies go out in pieces; don't let Nagle hold them back
  let socket: net.Socket = raw;
  let secure = o.secure;
  let upgrading = false;
  let waitingForDrain = false;
  let ended = false;
  const splitter = new LineSplitter(LIMITS.sandboxMaxLineLength);

  const io: Pop3Io = {
    write: (data) => {
      if (!ended && !socket.destroyed) socket.write(data);
    },
    close: () => {
      ended = true;
      socket.end();
    },
    startTls: () => {
      upgrading = true;
    },
    get secure() {
      return secure;
    },
    tlsAvailable: o.secureContext !== undefined,
    loopback: isLoopbackAddress(raw.remoteAddress),
  };
  const session = new Pop3Session(o.store, io, o.hostname, apopTimestamp(o.hostname));

  const pump = (): void => {
    while (!ended && !upgrading && !waitingForDrain) {
      const next = splitter.next();
      if (next.kind === 'none') break;
      if (next.kind === 'too-long') {
        io.write(`-ERR ${limitMessage('command line', 'sandboxMaxLineLength')}, closing\r\n`);
        session.close();
        break;
      }
      session.handleLine(next.line);
      // A pipelining client that does not read its RETRs must not make us buffer without end.
      if (socket.writableNeedDrain && !ended) {
        waitingForDrain = true;
        socket.pause();
        socket.once('drain', () => {
          waitingForDrain = false;
          socket.resume();
          pump();
        });
      }
    }
    if (upgrading) upgrade();
  };

  const onData = (chunk: Buffer): void => {
    if (ended || upgrading) return;
    splitter.push(chunk);
    pump();
  };

  const attach = (s: net.Socket): void => {
    s.on('data', onData);
    s.on('error', () => undefined); // resets and TLS alerts: 'close' follows and cleans up
    s.setTimeout(o.idleTimeoutMs, () => {
      // First time: say why and end politely; if the client still holds on, cut it.
      if (ended) {
        s.destroy();
        return;
      }
      io.write('-ERR autologout: idle for too long\r\n');
      session.close();
    });
  };

  const upgrade = (): void => {
    if (!o.secureContext || socket !== raw) return;
    // Lines pipelined after STLS were sent in cleartext: never act on them (RFC 2595 section 4).
    splitter.discard();
    raw.off('data', onData);
    raw.setTimeout(0);
    const tlsSocket = new tls.TLSSocket(raw, { isServer: true, secureContext: o.secureContext });
    socket = tlsSocket;
    attach(tlsSocket);
    tlsSocket.once('secure', () => {
      secure = true;
      upgrading = false;
    });
    tlsSocket.on('close', () => session.connectionLost());
  };

  attach(raw);
  raw.on('close', () => session.connectionLost());
  session.greet();
}
