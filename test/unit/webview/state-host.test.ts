// The state panel's host side without VS Code: message checks, the verb command each action runs,
// batching under a flood, hide/show, closed sessions, and the HTML shell's CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/session/emitter.js';
import type { SessionEvents } from '../../../src/session/session.js';
import { SessionStateModel } from '../../../src/state/index.js';
import type { ToWebview, ViewAction } from '../../../src/shared/messages.js';
import { ACTION_ARGS } from '../../../src/shared/messages.js';
import { invocationFor, readFromWebview } from '../../../src/vscode/state-actions.js';
import { UpdateBatcher, type BatchTimers } from '../../../src/vscode/state-batcher.js';
import { StatePanelController } from '../../../src/vscode/state-controller.js';
import { contentSecurityPolicy, stateHtml } from '../../../src/vscode/state-html.js';

class FakeTimers implements BatchTimers {
  time = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.time + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = end;
  }
}

test('a flood of changes becomes at most one post per 100 ms, always the latest', () => {
  const timers = new FakeTimers();
  let sent = 0;
  const b = new UpdateBatcher(
    () => sent++,
    () => true,
    100,
    timers,
  );
  b.changed();
  assert.equal(sent, 1, 'the first change after a quiet period goes out at once');
  for (let i = 0; i < 10_000; i++) {
    b.changed();
    if (i % 1000 === 0) timers.advance(1);
  }
  assert.equal(sent, 1, 'still inside the first 100 ms');
  timers.advance(100);
  assert.equal(sent, 2, 'one trailing post carries everything since');
  timers.advance(1000);
  assert.equal(sent, 2, 'nothing more without a change');
  b.dispose();
  b.changed();
  assert.equal(sent, 2);
});

test('a hidden panel gets nothing; showing it posts at once', () => {
  const timers = new FakeTimers();
  let sent = 0;
  let visible = false;
  const b = new UpdateBatcher(
    () => sent++,
    () => visible,
    100,
    timers,
  );
  b.changed();
  timers.advance(500);
  assert.equal(sent, 0);
  visible = true;
  b.shown();
  assert.equal(sent, 1);
});

test('webview messages are checked: unknown kinds, non-strings, line breaks and bad operations are refused', () => {
  const bad: unknown[] = [
    null,
    'ready',
    { type: 'nope' },
    { type: 'action', requestId: 1.5, action: { kind: 'imap.expunge' } },
    { type: 'action', requestId: 1, action: { kind: 'imap.delete-everything' } },
    { type: 'action', requestId: 1, action: { kind: '__proto__' } },
    { type: 'action', requestId: 1, action: { kind: 'imap.select', mailbox: 7 } },
    { type: 'action', requestId: 1, action: { kind: 'imap.select', mailbox: 'INBOX\r\na2 DELETE INBOX' } },
    { type: 'action', requestId: 1, action: { kind: 'imap.select', mailbox: 'x'.repeat(5000) } },
    {
      type: 'action',
      requestId: 1,
      action: { kind: 'imap.storeFlags', set: '1', operation: 'X', flags: 'a', uid: 'false' },
    },
    { type: 'action', requestId: 1, action: { kind: 'imap.fetch', set: '1', items: 'FLAGS', uid: 'yes' } },
  ];
  for (const m of bad) assert.ok('error' in readFromWebview(m), JSON.stringify(m)?.slice(0, 80));
  const good = readFromWebview({
    type: 'action',
    requestId: 3,
    action: { kind: 'imap.select', mailbox: 'Café', extra: 'dropped' },
  });
  assert.deepEqual(good, {
    message: { type: 'action', requestId: 3, action: { kind: 'imap.select', mailbox: 'Café' } },
  });
});

test('every action names its palette verb command with string arguments only', () => {
  const examples: Record<ViewAction['kind'], ViewAction> = {
    'imap.select': { kind: 'imap.select', mailbox: 'INBOX' },
    'imap.examine': { kind: 'imap.examine', mailbox: 'INBOX' },
    'imap.fetch': { kind: 'imap.fetch', set: '1:20', items: '(UID FLAGS)', uid: 'false' },
    'imap.storeFlags': {
      kind: 'imap.storeFlags',
      set: '4',
      operation: '+FLAGS',
      flags: '\\Seen',
      uid: 'true',
    },
    'imap.expunge': { kind: 'imap.expunge' },
    'imap.openMessage': { kind: 'imap.openMessage', set: '4', uid: 'true' },
    'imap.status': { kind: 'imap.status', mailbox: 'INBOX', items: '(MESSAGES)' },
    'imap.list': { kind: 'imap.list', reference: '', pattern: '*' },
    'pop3.retr': { kind: 'pop3.retr', message: '1' },
    'pop3.top': { kind: 'pop3.top', message: '1', lines: '0' },
    'pop3.dele': { kind: 'pop3.dele', message: '1' },
    'pop3.rset': { kind: 'pop3.rset' },
    'pop3.list': { kind: 'pop3.list', message: '' },
    'pop3.uidl': { kind: 'pop3.uidl', message: '' },
    'pop3.stat': { kind: 'pop3.stat' },
  };
  assert.deepEqual(Object.keys(examples).sort(), Object.keys(ACTION_ARGS).sort());
  assert.deepEqual(invocationFor('s4', examples['imap.storeFlags']), {
    command: 'mailwire.imap.storeFlags',
    args: { sessionId: 's4', args: { set: '4', operation: '+FLAGS', flags: '\\Seen', uid: 'true' } },
  });
  assert.deepEqual(invocationFor('s1', examples['pop3.top']), {
    command: 'mailwire.pop3.top',
    args: { sessionId: 's1', args: { message: '1', lines: '0' } },
  });
  assert.deepEqual(invocationFor('s1', examples['imap.expunge']), {
    command: 'mailwire.imap.expunge',
    args: { sessionId: 's1', args: {} },
  });
  for (const a of Object.values(examples)) {
    const call = invocationFor('s1', a);
    assert.match(call.command, /^mailwire\.(imap|pop3)\.[a-zA-Z]+$/);
    for (const v of Object.values(call.args.args)) assert.equal(typeof v, 'string');
    assert.ok('message' in readFromWebview({ type: 'action', requestId: 1, action: a }), a.kind);
  }
});

function fakeSession(status = 'open') {
  const events = new Emitter<SessionEvents>();
  const source = { protocol: 'pop3' as const, events, status, state: 'transaction', tls: undefined };
  return { events, source, model: new SessionStateModel(source) };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

test('the controller answers ready, runs actions as verb commands and reports their outcome', async () => {
  const { events, model } = fakeSession();
  const posted: ToWebview[] = [];
  const calls: Array<[string, unknown]> = [];
  const timers = new FakeTimers();
  let live = true;
  const c = new StatePanelController(
    { id: 's7', state: model, title: () => 'POP3 bob@127.0.0.1', live: () => live },
    { post: (m) => void posted.push(m), visible: true },
    (command, arg) => {
      calls.push([command, arg]);
      return command === 'mailwire.pop3.rset'
        ? Promise.reject(new Error("command 'mailwire.pop3.rset' not found"))
        : Promise.resolve();
    },
    { warn: () => undefined },
    timers,
  );
  c.receive({ type: 'ready' });
  assert.equal(posted[0]?.type, 'state');
  assert.equal(posted[0]?.type === 'state' && posted[0].title, 'POP3 bob@127.0.0.1');
  c.receive({ type: 'action', requestId: 1, action: { kind: 'pop3.dele', message: '2' } });
  c.receive({ type: 'action', requestId: 2, action: { kind: 'pop3.rset' } });
  await settle();
  assert.deepEqual(calls, [
    ['mailwire.pop3.dele', { sessionId: 's7', args: { message: '2' } }],
    ['mailwire.pop3.rset', { sessionId: 's7', args: {} }],
  ]);
  assert.deepEqual(
    posted.filter((m) => m.type === 'action-result'),
    [
      { type: 'action-result', requestId: 1, ok: true },
      { type: 'action-result', requestId: 2, ok: false, message: "command 'mailwire.pop3.rset' not found" },
    ],
  );

  // A flood of protocol events: a handful of posts, not one per event.
  posted.length = 0;
  timers.advance(1000);
  for (let i = 0; i < 5000; i++) {
    events.emit('protocol', {
      type: 'completed',
      command: { id: i, verb: 'NOOP' },
      ok: true,
      text: '',
    } as never);
    if (i % 500 === 0) timers.advance(20);
  }
  timers.advance(200);
  // 400 ms of simulated time: at most one post per 100 ms (plus the first, sent at once).
  const states = posted.filter((m) => m.type === 'state').length;
  assert.ok(states >= 2 && states <= 5, `${states} posts for 5000 events`);

  live = false;
  c.receive({ type: 'action', requestId: 3, action: { kind: 'pop3.stat' } });
  await settle();
  assert.equal(calls.length, 2, 'nothing runs on a closed session');
  assert.deepEqual(posted.at(-1), {
    type: 'action-result',
    requestId: 3,
    ok: false,
    message: 'the session cannot send commands now (it is closed or still connecting)',
  });
  c.sessionGone();
  assert.deepEqual(posted.at(-1), { type: 'session-gone', sessionId: 's7' });
});

test('the HTML shell: strict CSP with a fresh nonce, no inline script, only our resources', () => {
  const html = stateHtml({
    cspSource: 'https://res.example',
    scriptUri: 'https://res.example/dist/webview.js',
    styleUri: 'https://res.example/media/webview/state.css',
    nonce: 'abc123',
  });
  assert.ok(
    html.includes(
      `content="default-src 'none'; script-src 'nonce-abc123'; style-src https://res.example 'nonce-abc123'; font-src https://res.example; img-src https://res.example"`,
    ),
  );
  const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
  assert.deepEqual(scripts, ['<script nonce="abc123" src="https://res.example/dist/webview.js"></script>']);
  assert.ok(!/ on[a-z]+=/.test(html), 'no inline event handlers');
  const a = stateHtml({ cspSource: 'x', scriptUri: 'x', styleUri: 'x' });
  const b = stateHtml({ cspSource: 'x', scriptUri: 'x', styleUri: 'x' });
  const nonce = (h: string) => /nonce-([A-Za-z0-9]+)/.exec(h)?.[1];
  assert.notEqual(nonce(a), nonce(b));
  assert.ok((nonce(a) ?? '').length >= 16);
  assert.ok(!contentSecurityPolicy('x', 'n').includes('unsafe'));
  assert.ok(
    stateHtml({ cspSource: 'x', scriptUri: 'x"><script>', styleUri: 'x' }).includes('x&quot;>&lt;script>'),
  );
});

test('every view action is a palette verb that takes exactly the arguments the view passes', async () => {
  const { VERBS } = await import('../../../src/verbs/catalog.js');
  for (const [kind, names] of Object.entries(ACTION_ARGS)) {
    const spec = VERBS.find((v) => v.id === kind);
    assert.ok(spec, `no palette verb mailwire.${kind}`);
    assert.deepEqual(
      spec.args.map((a) => a.name),
      [...names],
      `mailwire.${kind} arguments`,
    );
  }
});
