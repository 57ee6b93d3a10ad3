// The IMAP tabs: mailboxes, the selected mailbox's messages, and the server's capabilities.
import type { ViewAction } from '../src/shared/messages.js';
import type { ImapSnapshot, MessageSnapshot } from '../src/state/snapshot.js';
import { bytes, button, el, facts, grid, section, tag } from './dom.js';
import { capabilityTags } from './render-common.js';

export interface ImapViewContext {
  readonly act: (action: ViewAction) => void;
  readonly live: boolean;
  readonly fetchRange: string;
  readonly setFetchRange: (range: string) => void;
}

const FETCH_ITEMS = '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)';
const STATUS_ITEMS = '(MESSAGES UNSEEN UIDNEXT UIDVALIDITY)';

function off(live: boolean): Record<string, string | undefined> {
  return live ? {} : { disabled: '' };
}

export function mailboxes(s: ImapSnapshot, ctx: ImapViewContext): HTMLElement {
  const rows = s.mailboxes.map((m) => {
    const st = m.status;
    const status = st
      ? Object.entries(st)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '';
    const isSelected = s.selected?.wireName === m.wireName;
    return [
      el(
        'span',
        { class: isSelected ? 'selected-name' : undefined },
        m.name,
        isSelected ? ' (selected)' : '',
      ),
      el('div', { class: 'tags' }, ...m.specialUse.map((x) => tag(x))),
      m.attributes.filter((a) => !m.specialUse.includes(a)).join(' '),
      m.subscribed ? 'yes' : '',
      status,
      el(
        'div',
        { class: 'actions' },
        m.selectable
          ? button('Select', () => ctx.act({ kind: 'imap.select', mailbox: m.name }), off(ctx.live))
          : null,
        m.selectable
          ? button('Examine', () => ctx.act({ kind: 'imap.examine', mailbox: m.name }), off(ctx.live))
          : null,
        m.selectable
          ? button(
              'Status',
              () => ctx.act({ kind: 'imap.status', mailbox: m.name, items: STATUS_ITEMS }),
              off(ctx.live),
            )
          : null,
      ),
    ];
  });
  return section(
    `Mailboxes (${s.mailboxes.length})`,
    el(
      'div',
      { class: 'toolbar' },
      button('List all (LIST "" *)', () => ctx.act({ kind: 'imap.list', reference: '', pattern: '*' }), {
        appearance: 'primary',
        ...off(ctx.live),
      }),
    ),
    s.mailboxes.length === 0
      ? el('p', {}, 'No LIST or LSUB reply yet. List the mailboxes to fill this tree.')
      : grid(['mailbox', 'special use', 'attributes', 'subscribed', 'STATUS', ''], rows, {
          'aria-label': 'mailboxes',
          'grid-template-columns': '2fr 1fr 2fr 6em 3fr 16em',
        }),
  );
}

function hasFlag(m: MessageSnapshot, flag: string): boolean {
  return (m.flags ?? []).some((f) => f.toLowerCase() === flag.toLowerCase());
}

export function messages(s: ImapSnapshot, ctx: ImapViewContext): HTMLElement {
  const sel = s.selected;
  if (!sel)
    return section('Messages', el('p', {}, 'No mailbox is selected. Select one on the Mailboxes tab.'));
  const canWrite = ctx.live && !sel.readOnly;
  const range = el('vscode-text-field', { value: ctx.fetchRange, placeholder: '1:20', size: '12' }, 'Range');
  range.addEventListener('input', () => ctx.setFetchRange((range as HTMLInputElement).value ?? ''));
  const toggle = (m: MessageSnapshot, flag: string, label: string) => {
    const on = hasFlag(m, flag);
    return button(
      on ? `-${label}` : `+${label}`,
      () =>
        ctx.act({
          kind: 'imap.storeFlags',
          set: String(m.uid ?? m.seq),
          operation: on ? '-FLAGS' : '+FLAGS',
          flags: flag,
          uid: m.uid !== undefined ? 'true' : 'false',
        }),
      { title: `${on ? 'remove' : 'add'} ${flag}`, ...(canWrite ? {} : { disabled: '' }) },
    );
  };
  const rows = sel.messages.map((m) => [
    String(m.seq),
    m.uid === undefined ? '' : String(m.uid),
    el('div', { class: 'tags' }, ...(m.flags ?? []).map((f) => tag(f))),
    m.size === undefined ? '' : bytes(m.size),
    m.internalDate ?? '',
    el('span', { title: m.fromRaw ? `as sent: ${m.fromRaw}` : undefined }, m.from ?? ''),
    el('span', { title: m.subjectRaw ? `as sent: ${m.subjectRaw}` : undefined }, m.subject ?? ''),
    el(
      'div',
      { class: 'actions' },
      button(
        'Open',
        () =>
          ctx.act({
            kind: 'imap.openMessage',
            set: String(m.uid ?? m.seq),
            uid: m.uid !== undefined ? 'true' : 'false',
          }),
        off(ctx.live),
      ),
      toggle(m, '\\Seen', 'Seen'),
      toggle(m, '\\Flagged', 'Flagged'),
      toggle(m, '\\Deleted', 'Deleted'),
    ),
  ]);
  const exists = sel.exists ?? 0;
  return section(
    `${sel.name}${sel.readOnly ? ' (read-only)' : ''}${sel.opening ? ' (opening...)' : ''}`,
    facts([
      ['EXISTS', sel.exists],
      ['RECENT', sel.recent],
      ['first UNSEEN', sel.firstUnseen],
      ['UIDVALIDITY', sel.uidValidity],
      ['UIDNEXT', sel.uidNext],
      ['HIGHESTMODSEQ', sel.highestModseq],
      ['FLAGS', sel.flags?.join(' ')],
      ['PERMANENTFLAGS', sel.permanentFlags?.join(' ')],
      ['access', sel.readOnly ? 'read-only (EXAMINE or [READ-ONLY])' : 'read-write'],
      ['updates', s.idling ? 'IDLE: the server pushes changes now' : undefined],
    ]),
    sel.stale ? el('p', { class: 'bad' }, sel.stale) : null,
    el(
      'div',
      { class: 'toolbar' },
      range,
      button(
        'Fetch headers',
        () =>
          ctx.act({
            kind: 'imap.fetch',
            set: ctx.fetchRange.trim() || (exists > 0 ? `1:${Math.min(exists, 50)}` : '1:*'),
            items: FETCH_ITEMS,
            uid: 'false',
          }),
        { appearance: 'primary', ...off(ctx.live) },
      ),
      button('Expunge', () => ctx.act({ kind: 'imap.expunge' }), {
        title: 'permanently remove messages flagged \\Deleted',
        ...(canWrite ? {} : { disabled: '' }),
      }),
    ),
    sel.messages.length === 0
      ? el('p', {}, 'No FETCH data yet: fetch headers for a range to fill the table.')
      : grid(['#', 'UID', 'flags', 'size', 'internal date', 'from', 'subject', ''], rows, {
          'aria-label': 'messages',
          'grid-template-columns': '4em 5em 2fr 6em 2fr 2fr 3fr 22em',
        }),
    sel.messagesOmitted > 0 ? el('p', {}, `${sel.messagesOmitted} more known rows are not shown.`) : null,
  );
}

export function server(s: ImapSnapshot): HTMLElement {
  const ns = s.namespaces;
  const nsText = (list: readonly { prefix: string; delimiter: string | null }[]) =>
    list.length === 0
      ? 'none'
      : list.map((n) => `"${n.prefix}" (delimiter ${n.delimiter ?? 'none'})`).join(', ');
  return el(
    'div',
    {},
    section('Capabilities', capabilityTags(s.capabilities)),
    s.enabled.length > 0 ? section('Enabled', capabilityTags(s.enabled)) : null,
    section(
      'Namespaces',
      ns
        ? facts([
            ['personal', nsText(ns.personal)],
            ['other users', nsText(ns.otherUsers)],
            ['shared', nsText(ns.shared)],
          ])
        : el('p', {}, 'No NAMESPACE reply yet.'),
    ),
  );
}
