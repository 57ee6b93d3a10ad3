// Opening a session from a URL: the one entry point the command line, the scripts and the
// extension share. It picks the codec and transport, waits for the greeting, and when the URL asks
// for STARTTLS it negotiates it before anything else is sent, refusing to go on in plaintext.
import { ImapClientCodec } from '../protocol/imap/index.js';
import { Pop3ClientCodec } from '../protocol/pop3/index.js';
import { SmtpClientCodec } from '../protocol/smtp/index.js';
import type { Protocol } from '../protocol/types.js';
import { connectTransport, parseMailUrl, type MailUrl } from '../transport/index.js';
import type { TransportOptions } from '../transport/types.js';
import { MailSession, type AnyCodec, type CommandResult, type SessionTimeouts } from './session.js';

export interface OpenSessionOptions {
  /** `imap://host`, `imaps://host:993`, `smtp://host:587?tls=starttls`, ... */
  readonly url: string;
  /** Accept a certificate that does not verify (explicit and recorded). */
  readonly acceptUnverified?: boolean;
  /** Extra trusted CA certificates (PEM). */
  readonly ca?: readonly string[];
  readonly transcriptFile?: string;
  readonly timeouts?: SessionTimeouts & { readonly connectMs?: number };
  /** The name this client gives in EHLO. */
  readonly clientName?: string;
  /** Opens the transport; tests may inject one. */
  readonly connect?: typeof connectTransport;
}

export const DEFAULT_CLIENT_NAME = 'mailwire.localhost';

/**
 * Opens a session. Rejects only for a URL that cannot be used (with a specific message); every
 * network, TLS or protocol failure gives a closed session whose transcript says why.
 */
export async function openSession(options: OpenSessionOptions): Promise<MailSession> {
  const target = parseMailUrl(options.url);
  const transport: TransportOptions = {
    host: target.host,
    port: target.port,
    tls: target.tls,
    tlsPolicy: {
      acceptUnverified: Boolean(options.acceptUnverified ?? target.acceptUnverified),
      ...(options.ca ? { ca: options.ca } : {}),
    },
    ...(options.timeouts?.connectMs ? { connectTimeoutMs: options.timeouts.connectMs } : {}),
  };
  const session = await MailSession.open({
    protocol: target.protocol,
    transport,
    codec: createCodec(target.protocol),
    connect: options.connect ?? connectTransport,
    ...(options.transcriptFile ? { transcriptFile: options.transcriptFile } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  if (session.status === 'closed') return session;
  if (!(await session.greeting())) return session;
  if (target.tls === 'starttls')
    await negotiateStartTls(session, target, options.clientName ?? DEFAULT_CLIENT_NAME);
  return session;
}

export function createCodec(protocol: Protocol): AnyCodec {
  switch (protocol) {
    case 'imap':
      return new ImapClientCodec();
    case 'pop3':
      return new Pop3ClientCodec();
    case 'smtp':
      return new SmtpClientCodec();
  }
}

export function imapCodec(session: Pick<MailSession, 'codec'>): ImapClientCodec | undefined {
  return session.codec instanceof ImapClientCodec ? session.codec : undefined;
}
export function pop3Codec(session: Pick<MailSession, 'codec'>): Pop3ClientCodec | undefined {
  return session.codec instanceof Pop3ClientCodec ? session.codec : undefined;
}
export function smtpCodec(session: Pick<MailSession, 'codec'>): SmtpClientCodec | undefined {
  return session.codec instanceof SmtpClientCodec ? session.codec : undefined;
}

/** Runs a typed codec call and awaits it; a refused call resolves as not sent. */
export function runTyped<C>(
  session: Pick<MailSession, 'run' | 'protocol'>,
  codec: C | undefined,
  call: (codec: C) => unknown,
): Promise<CommandResult> {
  return session.run(() => {
    if (!codec) throw new Error(`not a ${session.protocol} command`);
    const ref = call(codec);
    // SMTP and POP3 verbs return their client-error instead of a command: keep its message.
    if (isClientError(ref)) throw new Error(ref.message);
    return isCommandRef(ref) ? ref : undefined;
  });
}

function isClientError(v: unknown): v is { type: 'client-error'; message: string } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'client-error';
}

function isCommandRef(v: unknown): v is { id: number; verb: string } {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'number';
}

/**
 * STARTTLS before anything else (RFC 3207, RFC 2595): the capability must be offered, the
 * upgrade must succeed, and what was learned before it is asked for again afterwards. Any failure
 * closes the session: a session that asked for TLS never continues in plaintext.
 */
async function negotiateStartTls(session: MailSession, target: MailUrl, clientName: string): Promise<void> {
  const refuse = (why: string) =>
    session.fail(`${why}; STARTTLS was required, so the session stops instead of continuing in plaintext`);
  const upgrade = async (send: () => Promise<CommandResult>): Promise<boolean> => {
    const tls = session.nextTls();
    const result = await send();
    if (result.outcome !== 'ok') {
      refuse(`the server refused STARTTLS (${result.text})`);
      return false;
    }
    return (await tls) !== undefined;
  };
  const imap = imapCodec(session);
  const pop3 = pop3Codec(session);
  const smtp = smtpCodec(session);
  if (imap) {
    if (imap.state === 'authenticated')
      return refuse('the server greeted with PREAUTH (already authenticated, without TLS)');
    if (imap.state !== 'not-authenticated')
      return refuse(`the server's greeting did not allow a session (${imap.state})`);
    if (!imap.capabilities.has('STARTTLS')) await runTyped(session, imap, (c) => c.command('CAPABILITY'));
    if (session.status === 'closed') return;
    if (!imap.capabilities.has('STARTTLS')) return refuse(`${target.host} does not offer STARTTLS`);
    if (!(await upgrade(() => runTyped(session, imap, (c) => c.startTls())))) return;
    await runTyped(session, imap, (c) => c.command('CAPABILITY'));
  } else if (pop3) {
    await runTyped(session, pop3, (c) => c.capa());
    if (session.status === 'closed') return;
    if (!pop3.capabilities?.stls) return refuse(`${target.host} does not offer STLS`);
    if (!(await upgrade(() => runTyped(session, pop3, (c) => c.stls())))) return;
    await runTyped(session, pop3, (c) => c.capa());
  } else if (smtp) {
    const ehlo = await runTyped(session, smtp, (c) => c.ehlo(clientName));
    if (session.status === 'closed') return;
    if (ehlo.outcome !== 'ok') return refuse(`EHLO was refused (${ehlo.text})`);
    if (!smtp.capabilities?.startTls) return refuse(`${target.host} does not offer STARTTLS`);
    if (!(await upgrade(() => runTyped(session, smtp, (c) => c.startTls())))) return;
    await runTyped(session, smtp, (c) => c.ehlo(clientName));
  }
}
