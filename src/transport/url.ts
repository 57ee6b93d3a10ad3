// Mail server URLs: `imaps://alice@mail.example`, `smtp://[::1]:587?starttls=1`, ...
// Passwords never go in URLs (they end up in settings, history and transcripts), so `user:pass@`
// is refused.

import { isIPv4, isIPv6 } from 'node:net';
import type { TlsMode } from './types.js';

export interface MailUrl {
  readonly protocol: 'smtp' | 'pop3' | 'imap';
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user?: string;
  readonly acceptUnverified?: boolean;
}

const SCHEMES: Record<string, { protocol: MailUrl['protocol']; tls: TlsMode; port: number }> = {
  smtp: { protocol: 'smtp', tls: 'none', port: 25 },
  smtps: { protocol: 'smtp', tls: 'implicit', port: 465 },
  pop3: { protocol: 'pop3', tls: 'none', port: 110 },
  pop3s: { protocol: 'pop3', tls: 'implicit', port: 995 },
  imap: { protocol: 'imap', tls: 'none', port: 143 },
  imaps: { protocol: 'imap', tls: 'implicit', port: 993 },
};

const URL_PATTERN =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/s;
const HOST_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function flag(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`Bad value ${JSON.stringify(value)} for ${name} (use 1 or 0)`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Error(`Bad percent-encoding in the ${what}`);
  }
}

/** Parses a mail server URL; throws an Error with a specific message when it is not usable. */
export function parseMailUrl(url: string): MailUrl {
  const match = URL_PATTERN.exec(url.trim());
  if (!match)
    throw new Error(`Not a mail server URL: expected scheme://host[:port], e.g. imaps://mail.example`);
  const [, schemeRaw = '', userinfo, hostRaw = '', portRaw, path = '', query] = match;
  const scheme = SCHEMES[schemeRaw.toLowerCase()];
  if (!scheme) {
    throw new Error(
      `Unknown scheme ${JSON.stringify(`${schemeRaw}://`)}: use smtp, smtps, pop3, pop3s, imap or imaps`,
    );
  }

  let user: string | undefined;
  if (userinfo !== undefined) {
    if (userinfo.includes(':')) {
      throw new Error(
        'Passwords are not allowed in URLs (they would be stored in plain text); remove ":password"',
      );
    }
    user = decode(userinfo, 'user name');
    if (user === '') throw new Error('Empty user name before "@"');
  }

  let host: string;
  if (hostRaw.startsWith('[')) {
    host = hostRaw.slice(1, -1);
    if (!isIPv6(host)) throw new Error(`Bad IPv6 address ${JSON.stringify(hostRaw)}`);
  } else {
    host = hostRaw.toLowerCase();
    if (host === '') throw new Error('Missing host name');
    if (!isIPv4(host) && !HOST_NAME.test(host)) throw new Error(`Bad host name ${JSON.stringify(hostRaw)}`);
  }

  let port = scheme.port;
  if (portRaw !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portRaw) || Number(portRaw) < 1 || Number(portRaw) > 65535) {
      throw new Error(`Bad port ${JSON.stringify(portRaw)}: use a number from 1 to 65535`);
    }
    port = Number(portRaw);
  }

  if (path !== '' && path !== '/') {
    throw new Error(`Paths are not supported in server URLs (got ${JSON.stringify(path)})`);
  }

  let tls: TlsMode = scheme.tls;
  let tlsFromQuery: TlsMode | undefined;
  let starttls: boolean | undefined;
  let acceptUnverified: boolean | undefined;
  for (const pair of (query ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq), 'query').toLowerCase();
    const value = decode(eq === -1 ? '1' : pair.slice(eq + 1), 'query');
    switch (name) {
      case 'starttls':
        starttls = flag(name, value);
        break;
      case 'tls':
        if (value !== 'starttls' && value !== 'implicit' && value !== 'none') {
          throw new Error(`Bad value ${JSON.stringify(value)} for tls (use starttls, implicit or none)`);
        }
        tlsFromQuery = value;
        break;
      case 'accept-unverified':
        acceptUnverified = flag(name, value);
        break;
      default:
        throw new Error(
          `Unknown URL option ${JSON.stringify(name)} (known: starttls, tls, accept-unverified)`,
        );
    }
  }
  if (tlsFromQuery !== undefined) tls = tlsFromQuery;
  if (starttls === true) {
    if (tls === 'implicit') {
      throw new Error(
        `${schemeRaw.toLowerCase()}:// ${tlsFromQuery ? 'with tls=implicit ' : ''}is implicit TLS and cannot also use STARTTLS; use ${scheme.protocol}:// with ?starttls=1`,
      );
    }
    tls = 'starttls';
  } else if (starttls === false && tls === 'starttls') {
    throw new Error('Conflicting options: tls=starttls and starttls=0');
  }

  return {
    protocol: scheme.protocol,
    host,
    port,
    tls,
    ...(user !== undefined ? { user } : {}),
    ...(acceptUnverified !== undefined ? { acceptUnverified } : {}),
  };
}
