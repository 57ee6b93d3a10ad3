// The sandbox IMAP server: a net.Server (or tls.Server for implicit TLS) the launcher listens on.

import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { MailStore } from '../store/types.js';
import type { ImapServerOptions } from './context.js';
import { ImapSession } from './session.js';

export type { ImapServerOptions } from './context.js';

export function createImapServer(store: MailStore, options: ImapServerOptions = {}): Server {
  const sessions = new Set<ImapSession>();
  const accept = (socket: Socket, secure: boolean): void => {
    socket.setNoDelay(true); // replies go out in pieces; don't let Nagle hold them back
    const session = new ImapSession(socket, store, options, secure, (s) => sessions.delete(s));
    sessions.add(session);
    session.start();
  };
  const server: Server =
    options.implicitTls && options.tls
      ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => accept(socket, true))
      : createServer((socket) => accept(socket, false));
  // close() waits for open connections; say goodbye to them so it completes.
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void): Server => {
    close(callback);
    for (const s of [...sessions]) s.shutdown('server shutting down');
    return server;
  };
  return server;
}
