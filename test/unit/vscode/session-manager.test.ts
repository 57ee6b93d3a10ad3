// SessionManager and labels with a fake session that has a real Transcript and Emitter.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImapClientCodec } from '../../../src/protocol/imap/codec.js';
import { Emitter } from '../../../src/session/emitter.js';
import type { CommandResult, SessionEvents, SessionStatus } from '../../../src/session/session.js';
import { Transcript } from '../../../src/transcript/transcript.js';
import type { TlsInfo } from '../../../src/transport/types.js';
import {
  SessionManager,
  type ManagedSession,
  type SessionEntry,
} from '../../../src/vscode/session-manager.js';
import { commandBlocked, sessionLabel, statusBarText } from '../../../src/vscode/session-label.js';

class FakeSession implements ManagedSession {
  readonly protocol = 'imap' as const;
  status: SessionStatus = 'open';
  state = 'not-authenticated';
  tls: TlsInfo | undefined;
  closedBecause: string | undefined;
  readonly transcript = new Transcript({ protocol: 'imap', target: 'imap://127.0.0.1:1143', now: () => 0 });
  readonly events = new Emitter<SessionEvents>();
  sent: string[] = [];
  readonly codec = new ImapClientCodec();
  run(): Promise<CommandResult> {
    return Promise.resolve({
      command: undefined,
      outcome: 'not-sent',
      text: 'fake',
      events: [],
      latencyMs: undefined,
    });
  }
  waitingForClient = false;
  addSecrets(): void {}
  nextTls(): Promise<TlsInfo | undefined> {
    return Promise.resolve(undefined);
  }
  sendRaw(line: string | Uint8Array): Promise<CommandResult> {
    this.sent.push(String(line));
    return Promise.resolve({ command: undefined, outcome: 'ok', text: 'OK', events: [], latencyMs: 1 });
  }
  close(reason = 'closed by the user'): void {
    this.fail(reason, false);
  }
  fail(reason: string, error: boolean): void {
    if (this.status === 'closed') return;
    this.closedBecause = reason;
    this.status = 'closed';
    this.events.emit('status', 'closed');
    this.events.emit('close', { reason, error });
  }
}

const TLS: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'X',
  chain: [],
  verified: true,
  acceptedUnverified: false,
  servername: 'h',
};
const meta = { host: '127.0.0.1', port: 1143, user: 'alice', profileName: undefined };

describe('SessionManager', () => {
  test('adds sessions with ids and labels and makes the newest active', () => {
    const m = new SessionManager();
    const changes: Array<SessionEntry | undefined> = [];
    m.events.on('change', (e) => changes.push(e));
    const a = m.add(new FakeSession(), meta);
    const b = m.add(new FakeSession(), { ...meta, user: undefined, port: 143 });
    assert.notEqual(a.id, b.id);
    assert.equal(a.label.title, 'IMAP alice@127.0.0.1:1143');
    assert.equal(b.label.title, 'IMAP 127.0.0.1:143');
    assert.equal(a.label.description, 'not-authenticated');
    assert.equal(m.active?.id, b.id);
    assert.deepEqual(
      m.list().map((e) => e.id),
      [a.id, b.id],
    );
    assert.equal(changes.length, 2);
  });

  test('state, TLS and close events update the label and fire change and active events', () => {
    const m = new SessionManager();
    const s = new FakeSession();
    const { id } = m.add(s, meta);
    const actives: Array<string | undefined> = [];
    m.events.on('active', (e) => actives.push(e?.label.description));
    s.state = 'authenticated';
    s.events.emit('state', { from: 'not-authenticated', to: 'authenticated' });
    assert.equal(m.get(id)?.label.description, 'authenticated');
    assert.equal(m.get(id)?.label.tls, false);
    s.tls = TLS;
    s.events.emit('tls', TLS);
    assert.equal(m.get(id)?.label.tls, true);
    assert.match(m.get(id)?.label.tooltip ?? '', /certificate verified/);
    assert.equal(m.get(id)?.label.contextValue, 'mailwire.session.live');
    assert.deepEqual(actives, ['authenticated', 'authenticated']);
  });

  test('an error close fires "failed" with the reason; a user close does not', () => {
    const m = new SessionManager();
    const failures: string[] = [];
    m.events.on('failed', ({ reason }) => failures.push(reason));
    const s1 = new FakeSession();
    const e1 = m.add(s1, meta);
    s1.fail('Connection reset by 127.0.0.1:1143', true);
    const s2 = new FakeSession();
    const e2 = m.add(s2, meta);
    m.disconnect(e2.id);
    assert.deepEqual(failures, ['Connection reset by 127.0.0.1:1143']);
    assert.equal(m.get(e1.id)?.label.description, 'closed: Connection reset by 127.0.0.1:1143');
    assert.equal(m.get(e1.id)?.label.contextValue, 'mailwire.session.closed');
    assert.equal(m.get(e2.id)?.label.description, 'closed: closed by the user');
    assert.equal(s2.status, 'closed');
  });

  test('remove closes a live session, stops listening and moves the active session', () => {
    const m = new SessionManager();
    const s1 = new FakeSession();
    const s2 = new FakeSession();
    const e1 = m.add(s1, meta);
    const e2 = m.add(s2, meta);
    m.remove(e2.id);
    assert.equal(s2.status, 'closed');
    assert.equal(m.get(e2.id), undefined);
    assert.equal(m.active?.id, e1.id);
    let changed = 0;
    m.events.on('change', () => changed++);
    s2.events.emit('state', { from: 'a', to: 'b' });
    assert.equal(changed, 0, 'a removed session no longer fires');
    const actives: unknown[] = [];
    m.events.on('active', (e) => actives.push(e));
    m.remove(e1.id);
    assert.deepEqual(actives, [undefined]);
    assert.equal(m.list().length, 0);
  });

  test('a throwing listener is reported and does not stop the others', () => {
    const errors: unknown[] = [];
    const m = new SessionManager((e) => errors.push(e));
    let seen = 0;
    m.events.on('change', () => {
      throw new Error('view broke');
    });
    m.events.on('change', () => seen++);
    m.add(new FakeSession(), meta);
    assert.equal(seen, 1);
    assert.equal(errors.length, 1);
  });

  test('dispose closes every session', () => {
    const m = new SessionManager();
    const s = [new FakeSession(), new FakeSession()];
    for (const x of s) m.add(x, meta);
    m.dispose();
    assert.deepEqual(
      s.map((x) => x.status),
      ['closed', 'closed'],
    );
  });
});

describe('session labels and command rules', () => {
  const base = {
    protocol: 'smtp' as const,
    status: 'open' as const,
    state: 'ready',
    tls: false,
    tlsVerified: false,
    host: '::1',
    port: 2525,
    user: undefined,
    closedBecause: undefined,
  };
  test('titles, descriptions, context values and status bar text', () => {
    assert.equal(sessionLabel(base).title, 'SMTP [::1]:2525');
    assert.equal(sessionLabel({ ...base, status: 'connecting' }).description, 'connecting...');
    assert.equal(sessionLabel({ ...base, status: 'upgrading' }).contextValue, 'mailwire.session.busy');
    assert.match(sessionLabel(base).tooltip, /plaintext/);
    assert.match(sessionLabel({ ...base, tls: true }).tooltip, /NOT verified/);
    const closed = sessionLabel({
      ...base,
      status: 'closed',
      closedBecause: 'Connection refused by 127.0.0.1:2525',
    });
    assert.equal(closed.description, 'closed: Connection refused by 127.0.0.1:2525');
    assert.equal(statusBarText(sessionLabel(base), 'smtp'), 'SMTP ready');
    assert.ok(statusBarText(closed, 'smtp').length <= 45);
  });
  test('commands allowed per status, with a reason when not', () => {
    assert.equal(commandBlocked('sendLine', 'open'), undefined);
    assert.match(commandBlocked('sendLine', 'closed') ?? '', /closed/);
    assert.match(commandBlocked('sendLine', 'upgrading') ?? '', /TLS handshake/);
    assert.match(commandBlocked('disconnect', 'closed') ?? '', /closed/);
    assert.equal(commandBlocked('disconnect', 'connecting'), undefined);
    assert.equal(commandBlocked('saveTranscript', 'closed'), undefined);
  });
});

describe('session label summary', () => {
  test("the state model's words replace the bare protocol state while the session is open", () => {
    const base = {
      protocol: 'imap' as const,
      state: 'selected',
      tls: false,
      tlsVerified: false,
      host: 'h',
      port: 1,
      user: undefined,
      closedBecause: undefined,
    };
    assert.equal(
      sessionLabel({ ...base, status: 'open', summary: 'Selected INBOX, 12 messages' }).description,
      'Selected INBOX, 12 messages',
    );
    assert.equal(sessionLabel({ ...base, status: 'open' }).description, 'selected');
    assert.equal(
      sessionLabel({ ...base, status: 'upgrading', summary: 'x' }).description,
      'TLS handshake...',
    );
    assert.equal(
      sessionLabel({ ...base, status: 'closed', closedBecause: 'bye', summary: 'x' }).description,
      'closed: bye',
    );
  });
});
