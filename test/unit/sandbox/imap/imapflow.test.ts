// The sandbox IMAP server driven by a real third-party client (imapflow) over 127.0.0.1.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';
import { USERS, message, startServer, type Running } from './helpers.js';

function client(port: number, user = 'alice', pass = 'alice-pw'): ImapFlow {
  return new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass }, logger: false });
}

const MULTIPART = Buffer.from(
  [
    'From: =?utf-8?Q?Ren=C3=A9?= <rene@example.test>',
    'To: alice@example.test',
    'Subject: =?utf-8?B?w6l0w6kgcmVwb3J0?=',
    'Date: Tue, 2 Jan 2024 09:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'caf=C3=A9 au lait',
    '--outer',
    'Content-Type: application/pdf; name="r.pdf"',
    'Content-Disposition: attachment; filename="r.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQK',
    '--outer--',
    '',
  ].join('\r\n'),
);

describe('sandbox IMAP with imapflow', () => {
  let srv: Running;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv.stop();
  });

  test('lists the default folders with special-use flags', async () => {
    const c = client(srv.port);
    await c.connect();
    try {
      const list = await c.list();
      const byPath = new Map(list.map((f) => [f.path, f.specialUse]));
      assert.deepEqual([...byPath.keys()].sort(), ['Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
      assert.equal(byPath.get('Sent'), '\\Sent');
      assert.equal(byPath.get('Trash'), '\\Trash');
    } finally {
      await c.logout();
    }
  });

  test('append, then fetch envelope, bodystructure and source; flags; search; move', async () => {
    const c = client(srv.port);
    await c.connect();
    try {
      const appended = await c.append('INBOX', MULTIPART, ['\\Flagged']);
      assert.ok(appended && appended.uid === 1, 'APPENDUID gives the uid');
      await c.append('INBOX', message({ subject: 'second', body: 'plain words\r\n' }));
      await c.mailboxOpen('INBOX');
      const m = await c.fetchOne('1', {
        envelope: true,
        bodyStructure: true,
        source: true,
        flags: true,
        uid: true,
      });
      assert.ok(m);
      assert.equal(m.envelope?.subject, 'été report', 'imapflow decodes the encoded word we left encoded');
      assert.equal(m.envelope?.from?.[0]?.address, 'rene@example.test');
      assert.equal(m.envelope?.from?.[0]?.name, 'René');
      assert.equal(m.source?.toString(), MULTIPART.toString(), 'source is byte-exact');
      assert.ok(m.flags?.has('\\Flagged'));
      const bs = m.bodyStructure!;
      assert.equal(bs.type, 'multipart/mixed');
      assert.equal(bs.childNodes?.[0]?.type, 'text/plain');
      assert.equal(bs.childNodes?.[0]?.encoding, 'quoted-printable');
      assert.equal(bs.childNodes?.[1]?.type, 'application/pdf');
      assert.equal(bs.childNodes?.[1]?.disposition, 'attachment');
      assert.equal(bs.childNodes?.[1]?.dispositionParameters?.filename, 'r.pdf');
      assert.equal(bs.childNodes?.[1]?.part, '2');

      const part = await c.download('1', '2');
      const chunks: Buffer[] = [];
      assert.ok(part.content, 'part 2 exists');
      for await (const chunk of part.content) chunks.push(chunk as Buffer);
      assert.equal(
        Buffer.concat(chunks).toString(),
        '%PDF-1.4\n',
        'part 2 decoded by imapflow from our exact bytes',
      );

      await c.messageFlagsAdd('2', ['\\Seen', 'urgent']);
      assert.deepEqual(await c.search({ seen: false }), [1]);
      assert.deepEqual(await c.search({ keyword: 'urgent' }), [2]);
      assert.deepEqual(await c.search({ subject: 'ÉTÉ' }), [1], 'decoded, case-insensitive subject search');
      assert.deepEqual(await c.search({ body: 'café' }), [1], 'quoted-printable body decoded for search');
      assert.deepEqual(await c.search({ or: [{ subject: 'second' }, { flagged: true }] }), [1, 2]);

      const moved = await c.messageMove('1', 'Trash');
      assert.ok(moved);
      assert.equal(moved.uidMap?.get(1), 1);
      const status = await c.status('Trash', { messages: true, uidNext: true });
      assert.equal(status && status.messages, 1);
      assert.deepEqual(await c.search({ all: true }), [1]);
    } finally {
      await c.logout();
    }
  });

  test("two sessions: IDLE sees the other session's new message, flag change and expunge", async () => {
    srv.store.deliver('bob@example.test', message({ subject: 'one' }));
    srv.store.deliver('bob@example.test', message({ subject: 'two' }));
    const watcher = client(srv.port, 'bob', 'bob-pw');
    const actor = client(srv.port, 'bob', 'bob-pw');
    await watcher.connect();
    await actor.connect();
    try {
      await watcher.mailboxOpen('INBOX');
      await actor.mailboxOpen('INBOX');
      const events: string[] = [];
      watcher.on('exists', (d: { count: number }) => events.push(`exists ${d.count}`));
      watcher.on('flags', (d: { seq: number; flags: Set<string> }) =>
        events.push(`flags ${d.seq} ${[...d.flags].join(',')}`),
      );
      watcher.on('expunge', (d: { seq: number }) => events.push(`expunge ${d.seq}`));
      const idling = watcher.idle();
      await new Promise((r) => setTimeout(r, 50));

      await actor.append('INBOX', message({ subject: 'three' }));
      await actor.messageFlagsAdd('2', ['\\Flagged']);
      await actor.messageDelete('1');
      const deadline = Date.now() + 3000;
      while (events.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // The watcher selected first, so it holds \Recent for these messages.
      assert.deepEqual(events, [
        'exists 3',
        'flags 2 \\Flagged,\\Recent',
        'flags 1 \\Deleted,\\Recent',
        'expunge 1',
      ]);
      await watcher.noop(); // ends IDLE
      await idling;
      const left = await watcher.fetchAll('1:*', { envelope: true });
      assert.deepEqual(
        left.map((m) => m.envelope?.subject),
        ['two', 'three'],
      );
    } finally {
      await actor.logout();
      await watcher.logout();
    }
  });
});

test('dataDir: messages, flags and folders survive a server restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-imap-'));
  try {
    const first = await startServer({}, createMemoryStore({ users: USERS, dataDir: dir }));
    const c1 = client(first.port);
    await c1.connect();
    await c1.mailboxCreate('Projects/2024');
    const appended = await c1.append('Projects/2024', message({ subject: 'persist me' }), ['\\Answered']);
    const validity = appended && appended.uidValidity;
    await c1.logout();
    await first.stop();

    const second = await startServer({}, createMemoryStore({ users: USERS, dataDir: dir }));
    const c2 = client(second.port);
    await c2.connect();
    try {
      const box = await c2.mailboxOpen('Projects/2024');
      assert.equal(box.uidValidity, validity);
      assert.equal(box.exists, 1);
      const m = await c2.fetchOne('1', { envelope: true, flags: true, uid: true });
      assert.ok(m);
      assert.equal(m.envelope?.subject, 'persist me');
      assert.ok(m.flags?.has('\\Answered'));
      const next = await c2.append('Projects/2024', message({ subject: 'after' }));
      assert.equal(next && next.uid, 2, 'UIDNEXT persisted');
    } finally {
      await c2.logout();
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
