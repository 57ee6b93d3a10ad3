// The SMTP tabs: the envelope of the current transaction and earlier ones, and EHLO extensions.
import type { SmtpReplySnapshot, SmtpSnapshot, SmtpTransactionSnapshot } from '../src/state/snapshot.js';
import { bytes, el, facts, grid, section, tag } from './dom.js';

/** A path as the client wrote it: bracketed unless it was malformed (then exactly as sent). */
function path(address: string): string {
  return address.startsWith('<') ? address : `<${address}>`;
}

function reply(r: SmtpReplySnapshot | undefined): string {
  if (!r) return 'waiting';
  return `${r.code}${r.enhanced ? ` ${r.enhanced}` : ''} ${r.text}`;
}

function transaction(t: SmtpTransactionSnapshot, title: string): HTMLElement {
  const dataText: Record<SmtpTransactionSnapshot['data'], string> = {
    none: 'not started',
    'waiting-354': 'DATA sent, waiting for 354',
    sending: 'sending the message',
    done: 'accepted',
    refused: 'refused',
  };
  return section(
    title,
    facts([
      ['MAIL FROM', `${path(t.from)}${t.fromParams.length > 0 ? ' ' + t.fromParams.join(' ') : ''}`],
      ['reply', reply(t.fromReply)],
      [
        'message',
        `${dataText[t.data]}${t.dataBytes > 0 ? `, ${bytes(t.dataBytes)}` : ''}${t.bdatChunks > 0 ? ` in ${t.bdatChunks} BDAT chunks` : ''}`,
      ],
      ['final reply', t.dataReply ? reply(t.dataReply) : undefined],
      ['queue id', t.queueId],
      ['ended', t.ended],
    ]),
    t.recipients.length === 0
      ? el('p', {}, 'No RCPT TO yet.')
      : grid(
          ['RCPT TO', 'parameters', 'reply'],
          t.recipients.map((r) => [
            path(r.address),
            r.params.join(' '),
            el('span', { class: r.reply && r.reply.code >= 400 ? 'bad' : undefined }, reply(r.reply)),
          ]),
          { 'aria-label': 'recipients', 'grid-template-columns': '2fr 1fr 3fr' },
        ),
  );
}

export function envelope(s: SmtpSnapshot): HTMLElement {
  return el(
    'div',
    {},
    s.transaction
      ? transaction(s.transaction, 'Current transaction')
      : section('Current transaction', el('p', {}, 'No transaction open. MAIL FROM starts one.')),
    ...[...s.history].reverse().map((t, i) => transaction(t, `Earlier transaction ${s.history.length - i}`)),
  );
}

export function extensions(s: SmtpSnapshot): HTMLElement {
  return el(
    'div',
    {},
    section(
      'Server',
      facts([
        ['name (EHLO)', s.domain],
        [
          'SIZE limit',
          s.sizeLimit === undefined
            ? 'not advertised'
            : s.sizeLimit === null
              ? 'advertised without a number'
              : s.sizeLimit === 0
                ? 'no fixed limit'
                : bytes(s.sizeLimit),
        ],
        ['AUTH', s.authMechanisms.length > 0 ? s.authMechanisms.join(' ') : 'not offered'],
        ['authenticated', s.authenticated ? 'yes' : 'no'],
      ]),
    ),
    section(
      `EHLO extensions (${s.extensions.length})`,
      s.extensions.length === 0
        ? el('p', {}, 'No EHLO reply yet.')
        : grid(
            ['keyword', 'parameters'],
            s.extensions.map((x) => [tag(x.keyword), x.params.join(' ')]),
            { 'aria-label': 'extensions', 'grid-template-columns': '1fr 3fr' },
          ),
    ),
  );
}
