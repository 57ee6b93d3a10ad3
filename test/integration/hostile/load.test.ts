// Load and faults: 50 concurrent sessions against the sandbox, each with its own transcript and
// no cross-talk; a server killed mid-session leaves a closed session with every byte received.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/launcher.js';
import { openSession, imapCodec, runTyped } from '../../../src/session/open.js';
import type { CommandResult, MailSession } from '../../../src/session/session.js';
import { startHostileServer } from '../../helpers/hostile-server.js';
import { tracker } from './common.js';

const t = tracker();
let sandbox: RunningSandbox | undefined;
let certDir = '';

before(async () => {
  certDir = await mkdtemp(path.join(tmpdir(), 'mailwire-load-'));
  sandbox = await startSandbox({
    ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
    certDir,
  });
});
after(async () => {
  await t.cleanup();
  await sandbox?.stop();
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

const SESSIONS = 50;

async function oneSession(i: number): Promise<{ session: MailSession; marker: string }> {
  const marker = `load-marker-${String(i).padStart(3, '0')}-${Math.random().toString(36).slice(2, 8)}`;
  const user =
    i % 2 === 0 ? { name: 'alice', pass: 'alice-password' } : { name: 'bob', pass: 'bob-password' };
  const session = await openSession({
    url: `imap://127.0.0.1:${sandbox!.ports.imap}`,
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  t.sessions.push(session);
  const imap = imapCodec(session);
  const step = async (what: string, r: Promise<CommandResult>) => {
    const result = await r;
    assert.equal(
      result.outcome,
      'ok',
      `session ${i} ${what}: ${result.text} (${session.closedBecause ?? ''})`,
    );
    return result;
  };
  await step(
    'LOGIN',
    runTyped(session, imap, (c) => c.login(user.name, user.pass)),
  );
  await step(
    'SELECT',
    runTyped(session, imap, (c) => c.select('INBOX')),
  );
  const message = `From: ${user.name}@example.test\r\nSubject: ${marker}\r\n\r\nbody ${marker}\r\n`;
  const appended = await step(
    'APPEND',
    runTyped(session, imap, (c) => c.command('APPEND', ['INBOX', { literal: message }])),
  );
  void appended;
  const search = await step('SEARCH', session.sendRaw(`S1 UID SEARCH SUBJECT "${marker}"`));
  const found = search.events.map((e) => (e as { raw?: Uint8Array }).raw).filter((r) => r !== undefined);
  const uid = /\* SEARCH (\d+)/.exec(found.map((r) => Buffer.from(r).toString('latin1')).join(''))?.[1];
  assert.ok(uid, `session ${i}: SEARCH found no message with its subject`);
  await step('FETCH', session.sendRaw(`F1 UID FETCH ${uid} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])`));
  await step('LOGOUT', session.sendRaw('Z1 LOGOUT'));
  return { session, marker };
}

test(`${SESSIONS} concurrent sandbox sessions each see only their own marker`, async () => {
  const results = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => oneSession(i)));
  const markers = results.map((r) => r.marker);
  for (const { session, marker } of results) {
    const text = session.transcript.render({ timestamps: false });
    const server = session.transcript.bytesOf('S').toString('latin1');
    // The server echoed our subject back in the FETCH, and nobody else's.
    assert.match(server, new RegExp(`Subject: ${marker}`));
    for (const other of markers)
      if (other !== marker) assert.ok(!text.includes(other), `${marker} saw ${other}`);
    assert.ok(!text.includes('password'), 'no password in the transcript');
  }
});

test('a server killed mid-session leaves a closed session with every byte and a close note', async () => {
  const s = await startHostileServer(async (c) => {
    await c.send('* OK [CAPABILITY IMAP4rev1] ready\r\n');
    await c.readLine();
    await c.send('* 3 EXISTS\r\n* 1 FETCH (BODY[] {100}\r\npartial bo');
    await new Promise((r) => setTimeout(r, 30));
    s.destroyAll();
  });
  t.servers.push(s);
  const session = await openSession({ url: s.url('imap'), timeouts: { greetingMs: 5_000, replyMs: 5_000 } });
  t.sessions.push(session);
  const result = await session.sendRaw('F1 FETCH 1 BODY[]');
  assert.equal(result.outcome, 'closed', result.text);
  assert.equal(session.status, 'closed');
  const got = session.transcript.bytesOf('S').toString('latin1');
  assert.equal(got, s.connections[0]!.sentBytes().toString('latin1'));
  const notes = session.transcript.events.flatMap((e) => (e.dir === 'L' ? [e.text] : []));
  assert.ok(notes.includes('the server closed the connection'), notes.join('\n'));
  assert.ok(
    notes.some((n) => /closed in the middle of a server response/.test(n)),
    notes.join('\n'),
  );
  assert.ok(session.closedBecause, 'a close reason');
  assert.match(
    session.transcript.render({ timestamps: false }),
    new RegExp(escape(session.closedBecause ?? '?')),
  );
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
