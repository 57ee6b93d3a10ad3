// Parts of the view every protocol has: the header, security, commands and warnings.
import type { CommonSnapshot } from '../src/state/snapshot.js';
import { badge, bytes, el, facts, grid, section, tag } from './dom.js';

export function header(title: string, c: CommonSnapshot, live: boolean): HTMLElement {
  const tls = c.security.tls
    ? c.security.verified
      ? badge(`${c.security.protocol ?? 'TLS'}, certificate verified`, 'certificate verified')
      : badge(
          `${c.security.protocol ?? 'TLS'}, certificate NOT verified`,
          c.security.verifyError ?? 'not verified',
        )
    : badge('plaintext', 'no TLS: everything, including passwords, crosses the network readable');
  return el(
    'header',
    { class: 'summary' },
    el('h2', {}, title),
    el(
      'div',
      { class: 'badges' },
      badge(c.protocol.toUpperCase()),
      badge(`state: ${c.state}`),
      badge(live ? c.status : `${c.status} (read only)`),
      tls,
      badge(`${bytes(c.bytesOut)} sent`),
      badge(`${bytes(c.bytesIn)} received`),
      badge(`${c.commandCount} commands`),
    ),
    el('div', { class: 'server' }, c.server, c.greeting ? ` \u2014 ${c.greeting}` : ''),
    c.closedBecause ? el('div', { class: 'closed' }, `closed: ${c.closedBecause}`) : null,
  );
}

export function security(c: CommonSnapshot): HTMLElement {
  const s = c.security;
  if (!s.tls)
    return section(
      'Security',
      el('p', {}, 'This connection is not encrypted (no TLS). Use STARTTLS or implicit TLS.'),
    );
  return section(
    'Security',
    facts([
      ['TLS version', s.protocol],
      ['cipher', s.cipher],
      ['server name (SNI)', s.servername],
      [
        'certificate',
        s.verified
          ? 'verified against the trust store'
          : `NOT verified: ${s.verifyError ?? 'unknown reason'}`,
      ],
      ['accepted anyway', s.acceptedUnverified ? 'yes, by explicit choice for this connection' : undefined],
    ]),
    grid(
      ['#', 'subject', 'issuer', 'valid', 'names', 'SHA-256'],
      s.chain.map((cert, i) => [
        String(i),
        cert.subject,
        cert.issuer,
        `${cert.validFrom} \u2013 ${cert.validTo}`,
        cert.subjectAltNames.join(', '),
        cert.fingerprint256,
      ]),
      { 'aria-label': 'certificate chain', 'grid-template-columns': '3em 2fr 2fr 2fr 2fr 3fr' },
    ),
  );
}

/** Latest commands shown (the grid costs a few milliseconds per row). */
const SHOWN_COMMANDS = 100;

export function commands(c: CommonSnapshot): HTMLElement {
  const rows = [...c.commands]
    .reverse()
    .map((cmd) => [
      String(cmd.id),
      el('code', {}, cmd.line),
      cmd.outcome === 'pending'
        ? tag('pending')
        : cmd.outcome === 'ok'
          ? 'ok'
          : el('span', { class: 'bad' }, 'failed'),
      cmd.latencyMs === undefined ? '' : `${cmd.latencyMs} ms`,
      cmd.reply ?? '',
    ]);
  return section(
    `Commands sent (${c.commandCount}${c.commandCount > SHOWN_COMMANDS ? `, latest ${SHOWN_COMMANDS} first` : ', latest first'})`,
    grid(['id', 'command (as sent, secrets removed)', 'outcome', 'latency', 'reply'], rows, {
      'aria-label': 'commands',
      'grid-template-columns': '4em 3fr 6em 6em 3fr',
    }),
  );
}

export function warnings(c: CommonSnapshot): HTMLElement | null {
  if (c.warnings.length === 0) return null;
  return section(
    'Noticed',
    el(
      'ul',
      { class: 'warnings' },
      ...c.warnings.map((w) => el('li', {}, new Date(w.time).toISOString().slice(11, 23), ' ', w.text)),
    ),
  );
}

export function capabilityTags(list: readonly string[]): HTMLElement {
  return el(
    'div',
    { class: 'tags' },
    ...(list.length === 0 ? ['(none received yet)'] : list.map((x) => tag(x))),
  );
}
