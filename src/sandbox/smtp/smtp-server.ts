// The sandbox SMTP server: the maintained `smtp-server` package does the protocol; this module
// decides who may authenticate, which recipients exist, and delivers into the shared store.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerOptions,
  SMTPServerSession,
} from 'smtp-server';
import { LIMITS } from '../../protocol/limits.js';
import type { MailStore, SandboxUser } from '../store/types.js';
import { isLoopbackAddress } from './loopback.js';
import { toCrlf, traceHeaders } from './trace-headers.js';

export interface SmtpServerOptions {
  /** PEM key and certificate: STARTTLS on a plain port, or the handshake with `implicitTls`. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Start every connection with a TLS handshake (port 465 style). Needs `tls`. */
  readonly implicitTls?: boolean;
  /** Name in the greeting, EHLO reply and Received headers. Default `localhost`. */
  readonly hostname?: string;
  /** Largest message accepted (SIZE). Default LIMITS.sandboxMaxMessageBytes. */
  readonly maxMessageBytes?: number;
  /** Called for connection-level errors (client resets, TLS failures). Default: ignored. */
  readonly onError?: (err: Error) => void;
}

export interface SandboxSmtpServer {
  /** The underlying smtp-server instance (its `.server` is the net.Server). */
  readonly smtp: SMTPServer;
  /** Listens; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops listening and closes every open session (421 first). */
  close(): Promise<void>;
}

/** An SMTP error reply: smtp-server sends `responseCode`, adding the enhanced status code. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

export function createSmtpServer(store: MailStore, options: SmtpServerOptions = {}): SandboxSmtpServer {
  const hostname = options.hostname ?? 'localhost';
  const tls = options.tls;
  if (options.implicitTls && !tls) throw new Error('SMTP implicit TLS needs a key and certificate');

  const serverOptions: SMTPServerOptions = {
    name: hostname,
    banner: 'Mailwire sandbox ESMTP',
    logger: false, // never log (it would print to stdout, and it logs AUTH exchanges)
    secure: options.implicitTls === true,
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    hideSTARTTLS: !tls || options.implicitTls === true,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    // Learners may send without AUTH from this machine (checked in onMailFrom), and may try AUTH
    // before STARTTLS to see it on the wire: the sandbox listens on loopback by default.
    authOptional: true,
    allowInsecureAuth: true,
    size: options.maxMessageBytes ?? LIMITS.sandboxMaxMessageBytes,
    rejectOversized: true, // 552 5.3.4 from smtp-server itself, whatever onData says
    hideENHANCEDSTATUSCODES: false,
    hidePIPELINING: false,
    hide8BITMIME: false,
    hideSMTPUTF8: false,
    disabledCommands: tls ? [] : ['STARTTLS'],
    disableReverseLookup: true, // no DNS lookups from a local sandbox
    closeTimeout: 1000,

    onAuth(
      auth: SMTPServerAuthentication,
      session: SMTPServerSession,
      callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
    ) {
      // Plaintext AUTH is a lesson on loopback, a leak on a network: remote clients need TLS.
      if (!session.secure && !isLoopbackAddress(session.remoteAddress)) {
        return callback(
          smtpError(538, 'Must issue a STARTTLS command first (AUTH from another machine needs TLS)'),
        );
      }
      try {
        const user = authenticate(store, auth);
        if (!user) return callback(smtpError(535, 'Authentication credentials invalid'));
        callback(null, { user: user.username });
      } catch {
        callback(smtpError(454, 'Temporary authentication failure'));
      }
    },

    onMailFrom(
      _address: SMTPServerAddress,
      session: SMTPServerSession,
      callback: (err?: Error | null) => void,
    ) {
      if (!session.user && !isLoopbackAddress(session.remoteAddress)) {
        return callback(
          smtpError(530, 'Authentication required (only clients on this machine may send without AUTH)'),
        );
      }
      callback();
    },

    onRcptTo(address: SMTPServerAddress, _session, callback: (err?: Error | null) => void) {
      try {
        if (!store.userByAddress(address.address.toLowerCase())) {
          return callback(smtpError(550, `<${address.address}>: Recipient address rejected: User unknown`));
        }
        callback();
      } catch {
        callback(smtpError(451, 'Local error looking up the recipient'));
      }
    },

    onData(
      stream: Readable & { sizeExceeded?: boolean },
      session: SMTPServerSession,
      callback: (err?: Error | null, message?: string) => void,
    ) {
      const chunks: Buffer[] = [];
      let held = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit smtp-server answers 552 5.3.4 itself; stop holding bytes we will drop.
        if (stream.sizeExceeded) return;
        chunks.push(chunk);
        held += chunk.length;
      });
      stream.on('error', (err: Error) =>
        callback(smtpError(451, `Error reading the message: ${err.message}`)),
      );
      stream.on('end', () => {
        if (stream.sizeExceeded)
          return callback(smtpError(552, 'Message exceeds fixed maximum message size'));
        try {
          const id = deliver(store, session, hostname, toCrlf(Buffer.concat(chunks, held)));
          callback(null, `Ok: queued as ${id}`);
        } catch (err) {
          callback(
            smtpError(
              451,
              `Local error in processing: ${err instanceof Error ? err.message : 'delivery failed'}`,
            ),
          );
        }
      });
    },
  };

  const smtp = new SMTPServer(serverOptions);
  // Without a listener an 'error' event would throw out of the server and stop everyone's sessions.
  smtp.on('error', (err: Error) => options.onError?.(err));

  return {
    smtp,
    listen: (port, host) =>
      new Promise<AddressInfo>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        smtp.server.once('error', onError);
        smtp.listen(port, host, () => {
          smtp.server.off('error', onError);
          resolve(smtp.server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!smtp.server.listening) {
          closeConnections(smtp);
          return resolve();
        }
        smtp.close(() => resolve());
        closeConnections(smtp);
      }),
  };
}

function closeConnections(smtp: SMTPServer): void {
  for (const connection of smtp.connections) {
    try {
      connection.send(421, 'Mailwire sandbox shutting down');
      connection.close();
    } catch {
      // already gone
    }
  }
}

function authenticate(store: MailStore, auth: SMTPServerAuthentication): SandboxUser | undefined {
  const username = auth.username ?? '';
  if (auth.method === 'CRAM-MD5') {
    // CRAM-MD5 proves knowledge of the password without sending it: check against the stored one.
    const user = store.userByName(username);
    return user && auth.validatePassword?.(user.password) === true ? user : undefined;
  }
  return store.authenticate(username, auth.password ?? '');
}

/** Delivers one copy per local user (a user with two addressed aliases gets one). */
function deliver(store: MailStore, session: SMTPServerSession, hostname: string, raw: Buffer): string {
  const id = randomBytes(6).toString('hex').toUpperCase();
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const seen = new Set<string>();
  const date = new Date();
  for (const rcpt of session.envelope.rcptTo) {
    const address = rcpt.address.toLowerCase();
    const user = store.userByAddress(address);
    if (!user || seen.has(user.username)) continue;
    seen.add(user.username);
    const trace = traceHeaders({
      mailFrom,
      rcptTo: rcpt.address,
      heloName: session.hostNameAppearsAs || undefined,
      remoteAddress: session.remoteAddress,
      hostname,
      protocol: session.transmissionType || 'ESMTP',
      id,
      date,
    });
    store.deliver(address, Buffer.concat([Buffer.from(trace, 'utf8'), raw]));
  }
  return id;
}
