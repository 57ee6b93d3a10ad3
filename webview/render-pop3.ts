// The POP3 tab: STAT, the LIST/UIDL table, marked messages and the keep/delete explanation.
import type { ViewAction } from '../src/shared/messages.js';
import type { Pop3Snapshot } from '../src/state/snapshot.js';
import { bytes, button, el, facts, grid, section, tag } from './dom.js';
import { capabilityTags } from './render-common.js';

/** Rows shown (each has three toolkit buttons, which cost a few milliseconds each to build). */
const SHOWN_ROWS = 100;

export function pop3Messages(s: Pop3Snapshot, act: (a: ViewAction) => void, live: boolean): HTMLElement {
  const off: Record<string, string | undefined> = live ? {} : { disabled: '' };
  const rows = s.messages.slice(0, SHOWN_ROWS).map((m) => [
    String(m.number),
    m.size === undefined ? '' : bytes(m.size),
    m.uid ?? '',
    el(
      'div',
      { class: 'tags' },
      m.deleted ? tag('marked deleted') : null,
      m.retrieved ? tag('retrieved') : null,
      m.topLines !== undefined ? tag(`TOP ${m.topLines}`) : null,
    ),
    el(
      'div',
      { class: 'actions' },
      button('RETR', () => act({ kind: 'pop3.retr', message: String(m.number) }), off),
      button('TOP 0', () => act({ kind: 'pop3.top', message: String(m.number), lines: '0' }), off),
      m.deleted ? null : button('DELE', () => act({ kind: 'pop3.dele', message: String(m.number) }), off),
    ),
  ]);
  return el(
    'div',
    {},
    section(
      'Maildrop',
      facts([
        ['STAT', s.stat ? `${s.stat.count} messages, ${bytes(s.stat.size)}` : 'not asked yet'],
        ['marked deleted', String(s.deletedCount)],
      ]),
      el('p', { class: s.deletedCount > 0 ? 'notice' : undefined }, s.keepOrDelete),
      el(
        'div',
        { class: 'toolbar' },
        button('STAT', () => act({ kind: 'pop3.stat' }), off),
        button('LIST', () => act({ kind: 'pop3.list', message: '' }), { appearance: 'primary', ...off }),
        button('UIDL', () => act({ kind: 'pop3.uidl', message: '' }), off),
        button('RSET (unmark all)', () => act({ kind: 'pop3.rset' }), off),
      ),
    ),
    section(
      `Messages (${s.messages.length})`,
      s.messages.length === 0
        ? el('p', {}, 'No LIST or UIDL reply yet.')
        : grid(['#', 'size', 'unique id (UIDL)', '', ''], rows, {
            'aria-label': 'messages',
            'grid-template-columns': '3em 6em minmax(8em, 2fr) minmax(9em, 1fr) minmax(13em, 1fr)',
          }),
      s.messagesOmitted + Math.max(0, s.messages.length - SHOWN_ROWS) > 0
        ? el(
            'p',
            {},
            `${s.messagesOmitted + Math.max(0, s.messages.length - SHOWN_ROWS)} more messages are not shown.`,
          )
        : null,
    ),
  );
}

export function pop3Server(s: Pop3Snapshot): HTMLElement {
  return el(
    'div',
    {},
    section('Capabilities (CAPA)', capabilityTags(s.capabilities)),
    section('SASL mechanisms', capabilityTags(s.saslMechanisms)),
  );
}
