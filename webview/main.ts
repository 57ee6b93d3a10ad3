// The state view: renders the session state the host sends, keeps it with setState so hiding and
// showing the panel costs nothing, and turns clicks into actions the host sends as real commands.
import type { StateMessage, ToWebview, ViewAction, WebviewPersistedState } from '../src/shared/messages.js';
import type { ImapSnapshot, SessionStateSnapshot } from '../src/state/snapshot.js';
import { el } from './dom.js';
import { commands, header, security, warnings } from './render-common.js';
import { mailboxes, messages, PAGE_ROWS, server } from './render-imap.js';
import { pop3Messages, pop3Server } from './render-pop3.js';
import { envelope, extensions } from './render-smtp.js';
import { registerComponents } from './toolkit.js';
import { vscodeApi } from './vscode-api.js';

registerComponents();
const api = vscodeApi();
const root = document.getElementById('root') ?? document.body;
const status = el('div', { class: 'action-status', role: 'status', 'aria-live': 'polite' });

let persisted: WebviewPersistedState = api.getState() ?? { version: 1 };
let nextRequest = 1;
let gone = false;
/** The tab ids of the panels now shown, to rebuild them only when the protocol changes. */
let shownProtocol: string | undefined;
let panels: HTMLElement | undefined;
const views = new Map<string, HTMLElement>();
const headerSlot = el('div');

function save(patch: Partial<WebviewPersistedState>): void {
  persisted = { ...persisted, ...patch, version: 1 };
  api.setState(persisted);
}

function act(action: ViewAction): void {
  const requestId = nextRequest++;
  status.textContent = `sending ${action.kind.replace('.', ' ')}...`;
  api.postMessage({ type: 'action', requestId, action });
}

const TABS: Record<SessionStateSnapshot['protocol'], ReadonlyArray<readonly [string, string]>> = {
  imap: [
    ['messages', 'Messages'],
    ['mailboxes', 'Mailboxes'],
    ['server', 'Server'],
    ['security', 'Security'],
    ['commands', 'Commands'],
  ],
  pop3: [
    ['messages', 'Messages'],
    ['server', 'Server'],
    ['security', 'Security'],
    ['commands', 'Commands'],
  ],
  smtp: [
    ['envelope', 'Envelope'],
    ['server', 'Extensions'],
    ['security', 'Security'],
    ['commands', 'Commands'],
  ],
};

function buildPanels(protocol: SessionStateSnapshot['protocol']): void {
  const tabs = TABS[protocol];
  const active = tabs.some(([id]) => id === persisted.tab) ? persisted.tab : tabs[0]?.[0];
  panels = el('vscode-panels', {
    'aria-label': 'session state',
    activeid: active ? `tab-${active}` : undefined,
  });
  views.clear();
  built.clear();
  for (const [id, label] of tabs) {
    const t = el('vscode-panel-tab', { id: `tab-${id}` }, label);
    t.addEventListener('click', () => save({ tab: id }));
    panels.appendChild(t);
  }
  for (const [id] of tabs) {
    const v = el('vscode-panel-view', { id: `view-${id}` });
    views.set(id, v);
    panels.appendChild(v);
  }
  shownProtocol = protocol;
  root.replaceChildren(headerSlot, status, panels);
}

/** What each view was last built from: an unchanged view is not rebuilt (the grid is costly). */
const built = new Map<string, string>();

function fillIf(id: string, key: unknown, build: () => Array<Node | null>): void {
  const k = JSON.stringify(key);
  if (built.get(id) === k && views.get(id)?.firstChild) return;
  built.set(id, k);
  fill(id, ...build());
}

function fill(id: string, ...nodes: Array<Node | null>): void {
  const v = views.get(id);
  if (!v) return;
  const box = el('div', { class: 'view' });
  for (const n of nodes) if (n) box.appendChild(n);
  v.replaceChildren(box);
}

function render(m: StateMessage): void {
  const s = m.snapshot;
  const live = m.live && !gone;
  if (shownProtocol !== s.protocol) buildPanels(s.protocol);
  headerSlot.replaceChildren(header(m.title, s.common, live));
  fillIf('security', s.common.security, () => [security(s.common)]);
  fillIf('commands', [s.common.commands, s.common.commandCount, s.common.warnings], () => [
    warnings(s.common),
    commands(s.common),
  ]);
  switch (s.protocol) {
    case 'imap': {
      const ctx = {
        act,
        live,
        fetchRange: persisted.fetchRange ?? '',
        setFetchRange: (r: string) => save({ fetchRange: r }),
        picked: persisted.pickedMessage,
        pick: (seq: number) => {
          save({ pickedMessage: seq });
          rerender();
        },
        page: persisted.messagePage ?? 0,
        setPage: (page: number) => {
          save({ messagePage: page });
          rerender();
        },
      };
      // The key holds only what the view shows: the page's rows, not the whole table (a flag change
      // elsewhere must not rebuild the grid), and not the range box (typing must not rebuild it).
      fillIf('messages', messagesKey(s.imap.selected, ctx.page, ctx.picked, s.imap.idling, live), () => [
        messages(s.imap, ctx),
      ]);
      fillIf('mailboxes', [s.imap.mailboxes, s.imap.selected?.wireName, live], () => [
        mailboxes(s.imap, ctx),
      ]);
      fillIf('server', [s.imap.capabilities, s.imap.enabled, s.imap.namespaces], () => [server(s.imap)]);
      break;
    }
    case 'pop3':
      fillIf('messages', [s.pop3, live], () => [pop3Messages(s.pop3, act, live)]);
      fillIf('server', [s.pop3.capabilities, s.pop3.saslMechanisms], () => [pop3Server(s.pop3)]);
      break;
    case 'smtp':
      fillIf('envelope', [s.smtp.transaction, s.smtp.history], () => [envelope(s.smtp)]);
      fillIf('server', [s.smtp.extensions, s.smtp.domain, s.smtp.authenticated, s.smtp.sizeLimit], () => [
        extensions(s.smtp),
      ]);
      break;
  }
}

function messagesKey(
  sel: ImapSnapshot['selected'],
  page: number,
  picked: number | undefined,
  idling: boolean,
  live: boolean,
): unknown {
  if (!sel) return null;
  const { messages: rows, ...summary } = sel;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
  const at = Math.min(Math.max(0, page), pages - 1);
  return [
    summary,
    rows.length,
    rows.slice(at * PAGE_ROWS, (at + 1) * PAGE_ROWS),
    rows.find((m) => m.seq === picked),
    at,
    idling,
    live,
  ];
}

function rerender(): void {
  if (persisted.last) render({ ...persisted.last, live: persisted.last.live && !gone });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data as ToWebview | undefined;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state':
      gone = false;
      save({ last: m });
      render(m);
      break;
    case 'session-gone':
      gone = true;
      status.textContent = 'This session was removed from the list; the state below is the last one seen.';
      if (persisted.last) render(persisted.last);
      break;
    case 'action-result':
      status.textContent = m.ok
        ? 'sent: see the transcript for exactly what went over the wire'
        : `not sent: ${m.message ?? ''}`;
      break;
  }
});

if (persisted.last) render(persisted.last);
else root.replaceChildren(el('p', {}, 'Waiting for the session state...'));
api.postMessage({ type: 'ready' });
