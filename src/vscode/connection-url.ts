// Parses and builds the connection URLs users type and keep in profiles, e.g.
// `imaps://alice@mail.example.com`, `smtp://127.0.0.1:2525?tls=starttls`. No vscode import: the
// rules are unit tested. Passwords never belong in a URL: we refuse them with a clear message.
import type { Protocol } from '../protocol/types.js';
import type { TlsMode } from '../transport/types.js';

export interface ConnectionTarget {
  readonly protocol: Protocol;
  readonly tls: TlsMode;
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
}

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

interface SchemeInfo {
  readonly protocol: Protocol;
  readonly implicitTls: boolean;
}

const SCHEMES: Readonly<Record<string, SchemeInfo>> = {
  smtp: { protocol: 'smtp', implicitTls: false },
  smtps: { protocol: 'smtp', implicitTls: true },
  pop3: { protocol: 'pop3', implicitTls: false },
  pop3s: { protocol: 'pop3', implicitTls: true },
  pop: { protocol: 'pop3', implicitTls: false },
  pops: { protocol: 'pop3', implicitTls: true },
  imap: { protocol: 'imap', implicitTls: false },
  imaps: { protocol: 'imap', implicitTls: true },
};

/** The registered ports (RFC 6186/8314); SMTP with STARTTLS defaults to submission (587). */
const DEFAULT_PORTS: Readonly<Record<Protocol, Readonly<Record<TlsMode, number>>>> = {
  smtp: { none: 25, starttls: 587, implicit: 465 },
  pop3: { none: 110, starttls: 110, implicit: 995 },
  imap: { none: 143, starttls: 143, implicit: 993 },
};

export function defaultPort(protocol: Protocol, tls: TlsMode): number {
  return DEFAULT_PORTS[protocol][tls];
}

const SUPPORTED = 'smtp, smtps, pop3, pop3s, imap or imaps';

/** Parses a connection URL; the message says exactly what is wrong. */
export function parseConnectionUrl(input: string): ParseResult<ConnectionTarget> {
  const text = input.trim();
  if (text === '') return fail('Enter a URL such as imap://alice@127.0.0.1:1143');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!schemeMatch) return fail(`"${clip(text)}" has no scheme; start with ${SUPPORTED}, e.g. imap://host`);
  const scheme = (schemeMatch[1] ?? '').toLowerCase();
  const info = SCHEMES[scheme];
  if (!info) return fail(`unsupported scheme "${scheme}:"; use ${SUPPORTED}`);
  let url: URL;
  try {
    // Swap the scheme for one WHATWG URL parses as "special", so host and port are validated.
    url = new URL('http://' + text.slice(schemeMatch[0].length));
  } catch {
    return fail(`"${clip(text)}" is not a valid URL`);
  }
  if (url.password !== '') {
    return fail('do not put a password in the URL: Mailwire asks for it and keeps it in the secret storage');
  }
  if (url.pathname !== '/' && url.pathname !== '')
    return fail(`unexpected path "${url.pathname}" in the URL`);
  if (url.hash !== '') return fail('unexpected "#" fragment in the URL');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return fail('the URL has no host');
  let tls: TlsMode = info.implicitTls ? 'implicit' : 'none';
  for (const [key, value] of url.searchParams) {
    if (key !== 'tls')
      return fail(`unknown URL option "${key}"; the only option is tls=starttls or tls=none`);
    if (info.implicitTls) return fail(`"${scheme}:" already means implicit TLS; remove ?tls=${value}`);
    if (value !== 'starttls' && value !== 'none')
      return fail(`tls=${value} is not valid; use tls=starttls or tls=none`);
    tls = value;
  }
  // `new URL` drops a port equal to http's default (80), so read it from the text when needed.
  const explicitPort = /:(\d+)(?:[/?#]|$)/.exec(text.slice(schemeMatch[0].length).replace(/^[^@]*@/, ''));
  const port =
    url.port !== ''
      ? Number(url.port)
      : explicitPort
        ? Number(explicitPort[1])
        : defaultPort(info.protocol, tls);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return fail(`port ${port} is out of range (1-65535)`);
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  return { ok: true, value: { protocol: info.protocol, tls, host, port, user } };
}

/** Builds the canonical URL for a target (the user goes in the URL only when given). */
export function formatConnectionUrl(target: ConnectionTarget): string {
  const scheme = target.tls === 'implicit' ? `${target.protocol}s` : target.protocol;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const user = target.user ? `${encodeURIComponent(target.user)}@` : '';
  const query = target.tls === 'starttls' ? '?tls=starttls' : '';
  return `${scheme}://${user}${host}:${target.port}${query}`;
}

/** Validates a host name or IP literal typed in the guided input. */
export function validateHost(input: string): string | undefined {
  const host = input.trim();
  if (host === '') return 'Enter a host name or IP address';
  if (/[\s/@?#]/.test(host)) return `"${clip(host)}" is not a host name: no spaces, "/", "@", "?" or "#"`;
  try {
    new URL(`http://${host.includes(':') ? `[${host}]` : host}`);
  } catch {
    return `"${clip(host)}" is not a valid host name or IP address`;
  }
  return undefined;
}

/** Validates a port typed in the guided input. */
export function validatePort(input: string): string | undefined {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return 'The port is a number from 1 to 65535';
  const n = Number(text);
  return n >= 1 && n <= 65535 ? undefined : `Port ${text} is out of range (1-65535)`;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
