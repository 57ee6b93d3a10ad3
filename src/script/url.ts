// `@connect` URLs: scheme, host and port. Shared by the parser (static checks) and the runner.

import type { ScriptProtocol } from './ast.js';

export interface ConnectTarget {
  readonly protocol: ScriptProtocol;
  readonly implicitTls: boolean;
  readonly host: string;
  readonly port: number;
}

/** Scheme → protocol, implicit TLS and default port. */
const SCHEMES: Readonly<Record<string, { protocol: ScriptProtocol; implicitTls: boolean; port: number }>> = {
  smtp: { protocol: 'smtp', implicitTls: false, port: 25 },
  submission: { protocol: 'smtp', implicitTls: false, port: 587 },
  smtps: { protocol: 'smtp', implicitTls: true, port: 465 },
  pop3: { protocol: 'pop3', implicitTls: false, port: 110 },
  pop: { protocol: 'pop3', implicitTls: false, port: 110 },
  pop3s: { protocol: 'pop3', implicitTls: true, port: 995 },
  imap: { protocol: 'imap', implicitTls: false, port: 143 },
  imaps: { protocol: 'imap', implicitTls: true, port: 993 },
};

export const KNOWN_SCHEMES = Object.keys(SCHEMES);

/** The scheme of a URL (`imap` in `imap://...`), or undefined when it has none. */
export function schemeOf(url: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  return m?.[1]?.toLowerCase();
}

export function schemeInfo(scheme: string): { protocol: ScriptProtocol; implicitTls: boolean } | undefined {
  const info = SCHEMES[scheme.toLowerCase()];
  return info ? { protocol: info.protocol, implicitTls: info.implicitTls } : undefined;
}

/**
 * Parses `scheme://host[:port]` (a trailing `/` is allowed). Without a scheme, `defaultProtocol`
 * is assumed (plain, not implicit TLS). Returns a readable error instead of throwing.
 */
export function parseConnectUrl(
  url: string,
  defaultProtocol?: ScriptProtocol,
): { ok: true; target: ConnectTarget } | { ok: false; error: string } {
  let rest = url.trim();
  const scheme = schemeOf(rest);
  let info: { protocol: ScriptProtocol; implicitTls: boolean; port: number } | undefined;
  if (scheme === undefined) {
    if (!defaultProtocol) {
      return { ok: false, error: `@connect ${url} has no scheme (write smtp://, pop3://, imap://, ...)` };
    }
    info = SCHEMES[defaultProtocol];
  } else {
    info = SCHEMES[scheme];
    if (!info) {
      return {
        ok: false,
        error: `unknown scheme ${scheme}:// in @connect (use one of ${KNOWN_SCHEMES.map((s) => s + '://').join(', ')})`,
      };
    }
    rest = rest.slice(scheme.length + 3);
  }
  if (!info) return { ok: false, error: `@connect ${url}: unknown protocol` };
  rest = rest.replace(/\/$/, '');
  if (rest.includes('@')) {
    return { ok: false, error: `@connect URL must not hold user or password; log in with C: lines instead` };
  }
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(rest);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2];
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) return { ok: false, error: `@connect ${url}: write IPv6 addresses in brackets` };
    host = parts[0] ?? '';
    portText = parts[1];
  }
  if (!host || /[\s/?#]/.test(host)) return { ok: false, error: `@connect ${url}: missing or invalid host` };
  let port = info.port;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, error: `@connect ${url}: invalid port ${JSON.stringify(portText)} (1-65535)` };
    }
    port = Number(portText);
  }
  return { ok: true, target: { protocol: info.protocol, implicitTls: info.implicitTls, host, port } };
}
