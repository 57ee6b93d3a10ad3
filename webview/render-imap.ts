// The IMAP tabs: mailboxes, the selected mailbox's messages, and the server's capabilities.
import type { ViewAction } from '../src/shared/messages.js';
import type { ImapSnapshot, MessageSnapshot } from '../src/state/snapshot.js';
import { bytes, button, el, facts, grid, section, tag, type Child } from './dom.js';
import { capabilityTags } from './render-common.js';

export interface ImapViewContext {
  readonly act: (action: ViewAction) => void;
  readonly live: boolean;
  readonly fetchRange: string;
  readonly setFetchRange: (range: string) => void;
  /** Sequence number of the row the user picked (the toolbar acts on it). */
  readonly picked: number | undefined;
  readonly pick: (seq: number) => void;
  /** Page of the message table, from 0. */
  readonly page: number;
  readonly setPage: (page: number) => void;
}

/** Rows per page: the toolkit's grid costs a few milliseconds per row to build. */
export const PAGE_ROWS = 50;

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
          'grid-template-columns': '2fr 1fr 2fr 9em 3fr minmax(21em, 1fr)',
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
  const pages = Math.max(1, Math.ceil(sel.messages.length / PAGE_ROWS));
  const page = Math.min(Math.max(0, ctx.page), pages - 1);
  const shown = sel.messages.slice(page * PAGE_ROWS, (page + 1) * PAGE_ROWS);
  const picked = sel.messages.find((m) => m.seq === ctx.picked);
  const rows = shown.map((m) => [
    String(m.seq),
    m.uid === undefined ? '' : String(m.uid),
    (m.flags ?? []).join(' '),
    m.size === undefined ? '' : bytes(m.size),
    m.internalDate ?? '',
    el('span', { title: m.fromRaw ? `as sent: ${m.fromRaw}` : undefined }, m.from ?? ''),
    el('span', { title: m.subjectRaw ? `as sent: ${m.subjectRaw}` : undefined }, m.subject ?? ''),
  ]);
  currentPick = ctx.pick;
  const table =
    sel.messages.length === 0
      ? el('p', {}, 'No FETCH data yet: fetch headers for a range to fill the table.')
      : messageGrid(rows, shown, ctx.picked);
  const exists = sel.exists ?? 0;
  const set = (m: MessageSnapshot) => String(m.uid ?? m.seq);
  const uid = (m: MessageSnapshot): 'true' | 'false' => (m.uid !== undefined ? 'true' : 'false');
  const toggle = (flag: string, label: string) => {
    if (!picked) return button(label, () => undefined, { disabled: '' });
    const on = hasFlag(picked, flag);
    return button(
      `${on ? 'Remove' : 'Add'} ${flag}`,
      () =>
        ctx.act({
          kind: 'imap.storeFlags',
          set: set(picked),
          operation: on ? '-FLAGS' : '+FLAGS',
          flags: flag,
          uid: uid(picked),
        }),
      canWrite ? {} : { disabled: '' },
    );
  };
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
            set: ctx.fetchRange.trim() || (exists > 0 ? `1:${Math.min(exists, PAGE_ROWS)}` : '1:*'),
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
    el(
      'div',
      { class: 'toolbar', 'aria-label': 'actions on the picked message' },
      el(
        'span',
        { class: 'picked-label' },
        picked
          ? `Message ${picked.seq}${picked.uid !== undefined ? ` (UID ${picked.uid})` : ''}:`
          : 'Click a row to pick a message:',
      ),
      picked
        ? button(
            'Open',
            () => ctx.act({ kind: 'imap.openMessage', set: set(picked), uid: uid(picked) }),
            off(ctx.live),
          )
        : button('Open', () => undefined, { disabled: '' }),
      toggle('\\Seen', 'Seen'),
      toggle('\\Flagged', 'Flagged'),
      toggle('\\Deleted', 'Deleted'),
    ),
    table,
    pages > 1
      ? el(
          'div',
          { class: 'toolbar' },
          button('Previous', () => ctx.setPage(page - 1), page === 0 ? { disabled: '' } : {}),
          el(
            'span',
            {},
            `page ${page + 1} of ${pages} (messages ${shown[0]?.seq ?? 0} to ${shown.at(-1)?.seq ?? 0})`,
          ),
          button('Next', () => ctx.setPage(page + 1), page + 1 >= pages ? { disabled: '' } : {}),
        )
      : null,
    sel.messagesOmitted > 0 ? el('p', {}, `${sel.messagesOmitted} more known rows are not shown.`) : null,
    unfetched(sel),
  );
}

// The grid of the last render, reused when the page has as many rows: toolkit rows and cells cost
// milliseconds each to create, so a flag change updates cell text in place instead.
let lastGrid: { readonly grid: HTMLElement; readonly rows: number } | undefined;
let currentPick: (seq: number) => void = () => undefined;

function messageGrid(
  rows: ReadonlyArray<readonly Child[]>,
  shown: readonly MessageSnapshot[],
  picked: number | undefined,
): HTMLElement {
  let table: HTMLElement;
  if (lastGrid && lastGrid.rows === rows.length && lastGrid.grid.isConnected) {
    table = lastGrid.grid;
    const rowEls = table.querySelectorAll('vscode-data-grid-row[data-row]');
    rowEls.forEach((row, i) => {
      const cells = row.querySelectorAll('vscode-data-grid-cell');
      rows[i]?.forEach((content, j) => {
        const cell = cells[j];
        if (cell && !sameContent(cell, content)) cell.replaceChildren(...nodes(content));
      });
    });
  } else {
    table = grid(['#', 'UID', 'flags', 'size', 'internal date', 'from', 'subject'], rows, {
      'aria-label': 'messages',
      'grid-template-columns': '4em 5em 2fr 6em 2fr 2fr 3fr',
    });
    // A click on a row picks that message for the toolbar (rows carry their sequence number).
    table
      .querySelectorAll('vscode-data-grid-row[data-row]')
      .forEach((row) =>
        row.addEventListener('click', () => currentPick(Number(row.getAttribute('data-seq')))),
      );
    lastGrid = { grid: table, rows: rows.length };
  }
  table.querySelectorAll('vscode-data-grid-row[data-row]').forEach((row, i) => {
    const m = shown[i];
    if (!m) return;
    row.setAttribute('data-seq', String(m.seq));
    row.classList.toggle('picked', m.seq === picked);
  });
  return table;
}

function nodes(content: Child): Node[] {
  if (content === null || content === undefined || content === false) return [];
  return [
    typeof content === 'string' || typeof content === 'number'
      ? document.createTextNode(String(content))
      : content,
  ];
}

/** Whether a cell already shows this content (same text, same title). */
function sameContent(cell: Element, content: Child): boolean {
  if (typeof content === 'string' || typeof content === 'number')
    return cell.textContent === String(content) && cell.children.length === 0;
  if (content instanceof HTMLElement) {
    const now = cell.firstElementChild;
    return (
      now !== null &&
      now.textContent === content.textContent &&
      now.getAttribute('title') === content.getAttribute('title')
    );
  }
  return cell.childNodes.length === 0;
}

/** Says how many messages exist that no FETCH has described yet, so an empty row is not a mystery. */
function unfetched(sel: NonNullable<ImapSnapshot['selected']>): HTMLElement | null {
  const missing = (sel.exists ?? 0) - sel.messages.length - sel.messagesOmitted;
  if (missing <= 0 || sel.messages.length === 0) return null;
  return el(
    'p',
    { class: 'hint' },
    `${missing} of the ${sel.exists ?? 0} messages (EXISTS) have no FETCH data yet: Fetch headers to fill them in.`,
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
