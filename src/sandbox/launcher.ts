// Starts the whole sandbox: one shared store, SMTP/POP3/IMAP each on a plain and an implicit-TLS
// port, one certificate. stop() closes the listeners and every open connection.
import type net from 'node:net';
import { LIMITS } from '../protocol/limits.js';
import { loadOrCreateSandboxCertificate, type SandboxCertificate } from './cert.js';
import { DEFAULT_USERS, loadUsersFile } from './config.js';
import { createImapServer } from './imap/server.js';
import { createPop3Server } from './pop3/server.js';
import { createSmtpServer, type SandboxSmtpServer } from './smtp/smtp-server.js';
import { createMemoryStore } from './store/memory-store.js';
import type { MailStore, SandboxUser } from './store/types.js';

export type SandboxService = 'smtp' | 'smtps' | 'pop3' | 'pop3s' | 'imap' | 'imaps';
export type SandboxPorts = Record<SandboxService, number>;

export const DEFAULT_PORTS: Readonly<SandboxPorts> = {
  smtp: 2525,
  smtps: 2465,
  pop3: 1110,
  pop3s: 1995,
  imap: 1143,
  imaps: 1993,
};

const SERVICE_LABEL: Record<SandboxService, string> = {
  smtp: 'SMTP',
  smtps: 'SMTP over TLS',
  pop3: 'POP3',
  pop3s: 'POP3 over TLS',
  imap: 'IMAP',
  imaps: 'IMAP over TLS',
};

export interface SandboxOptions {
  /** Address to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Ports to override; 0 picks a free port. */
  readonly ports?: Partial<SandboxPorts>;
  /** Accounts; default alice and bob (see DEFAULT_USERS). Ignored when `usersFile` is given. */
  readonly users?: readonly SandboxUser[];
  /** JSON users file (validated by config.ts). */
  readonly usersFile?: string;
  /** Folder the store mirrors mail to; omitted keeps mail in memory only. */
  readonly dataDir?: string;
  /** Where the certificate lives; default ~/.mailwire/sandbox. */
  readonly certDir?: string;
  /** Name in greetings and Received headers. Default `localhost`. */
  readonly hostname?: string;
}

export interface RunningSandbox {
  readonly host: string;
  readonly ports: Readonly<SandboxPorts>;
  readonly users: readonly SandboxUser[];
  readonly store: MailStore;
  readonly certificate: SandboxCertificate;
  /** What the sandbox listens on and how to connect, for printing. */
  describe(): string;
  /** Closes every listener and every open connection. */
  stop(): Promise<void>;
}

export class SandboxStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStartError';
  }
}

interface Listener {
  readonly service: SandboxService;
  readonly server: net.Server;
  /** Extra shutdown work (SMTP says 421 to its sessions). */
  readonly close?: () => Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const hostname = options.hostname ?? 'localhost';
  const wanted: SandboxPorts = { ...DEFAULT_PORTS, ...options.ports };
  const users =
    options.usersFile !== undefined
      ? await loadUsersFile(options.usersFile)
      : [...(options.users ?? DEFAULT_USERS)];
  const usingDefaults = options.usersFile === undefined && options.users === undefined;
  const certificate = await loadOrCreateSandboxCertificate(options.certDir);
  const store = createMemoryStore({
    users,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
  });
  const tls = { key: certificate.key, cert: certificate.cert };

  const smtpPlain = createSmtpServer(store, {
    tls,
    hostname,
    maxMessageBytes: LIMITS.sandboxMaxMessageBytes,
  });
  const smtpTls = createSmtpServer(store, {
    tls,
    implicitTls: true,
    hostname,
    maxMessageBytes: LIMITS.sandboxMaxMessageBytes,
  });
  const listeners: Listener[] = [
    smtpListener('smtp', smtpPlain),
    smtpListener('smtps', smtpTls),
    { service: 'pop3', server: createPop3Server(store, { tls, hostname }) },
    { service: 'pop3s', server: createPop3Server(store, { tls, implicitTls: true, hostname }) },
    { service: 'imap', server: createImapServer(store, { tls, hostname }) },
    { service: 'imaps', server: createImapServer(store, { tls, implicitTls: true, hostname }) },
  ];

  const sockets = new Set<net.Socket>();
  for (const { server } of listeners) {
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }

  const ports = { ...wanted };
  const started: Listener[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const closing = started.map((l) => (l.close ? l.close() : closeServer(l.server)));
    // Ask politely first (SMTP's 421 gets out), then cut whoever is still there.
    for (const socket of sockets) socket.end();
    const cut = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, 250);
    await Promise.all(closing);
    clearTimeout(cut);
  };

  for (const listener of listeners) {
    try {
      ports[listener.service] = await listen(listener.server, wanted[listener.service], host);
      started.push(listener);
    } catch (err) {
      await stop();
      throw new SandboxStartError(listenFailure(err, listener.service, wanted[listener.service], host));
    }
  }

  return {
    host,
    ports,
    users,
    store,
    certificate,
    describe: () => describeSandbox(host, ports, users, usingDefaults, certificate),
    stop,
  };
}

function smtpListener(service: SandboxService, smtp: SandboxSmtpServer): Listener {
  return { service, server: smtp.smtp.server, close: () => smtp.close() };
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

function listenFailure(err: unknown, service: SandboxService, port: number, host: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const label = SERVICE_LABEL[service];
  const flag = `--${service}-port`;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use (${label}); pass ${flag} to choose another`;
  if (code === 'EACCES')
    return `no permission to listen on port ${port} (${label}); pass ${flag} to choose another`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on ${host}: no such local address (pass --host 127.0.0.1)`;
  return `cannot listen on ${host}:${port} (${label}): ${err instanceof Error ? err.message : String(err)}`;
}

function describeSandbox(
  host: string,
  ports: Readonly<SandboxPorts>,
  users: readonly SandboxUser[],
  usingDefaults: boolean,
  certificate: SandboxCertificate,
): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const first = users[0];
  const login = first ? `${first.username}:${usingDefaults ? first.password : 'PASSWORD'}` : 'USER:PASSWORD';
  const to = first?.addresses[0] ?? 'user@example.test';
  const lines = [
    `Mailwire sandbox listening on ${host}`,
    `  smtp://${h}:${ports.smtp}    SMTP, STARTTLS, AUTH PLAIN LOGIN CRAM-MD5 (optional from this machine)`,
    `  smtps://${h}:${ports.smtps}   SMTP over TLS`,
    `  pop3://${h}:${ports.pop3}    POP3, STLS, USER/PASS, APOP, AUTH PLAIN`,
    `  pop3s://${h}:${ports.pop3s}   POP3 over TLS`,
    `  imap://${h}:${ports.imap}    IMAP, STARTTLS`,
    `  imaps://${h}:${ports.imaps}   IMAP over TLS`,
    '',
    usingDefaults ? 'Users (sandbox accounts; do not reuse these passwords elsewhere):' : 'Users:',
    ...users.map(
      (u) => `  ${u.username}${usingDefaults ? ` / ${u.password}` : ''}  <${u.addresses.join('>, <')}>`,
    ),
    '',
    `Certificate (self-signed): ${certificate.path}`,
    `  SHA-256 ${certificate.fingerprint256}`,
    '',
    'Try:',
    `  swaks --server ${host} --port ${ports.smtp} --to ${to} --tls`,
    `  curl pop3://${h}:${ports.pop3}/1 -u ${login}`,
    `  curl -k --ssl-reqd pop3://${h}:${ports.pop3}/ -u ${login}`,
    `  curl -k "imaps://${h}:${ports.imaps}/INBOX;UID=1" -u ${login}`,
    `  openssl s_client -connect ${h}:${ports.pop3} -starttls pop3 -quiet`,
    `  openssl s_client -connect ${h}:${ports.imaps} -quiet`,
  ];
  return lines.join('\n');
}
