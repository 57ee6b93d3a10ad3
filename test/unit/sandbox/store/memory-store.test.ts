import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';
import { StoreError, type FolderChange } from '../../../../src/sandbox/store/types.js';

const users = [
  { username: 'alice', password: 'secret-a', addresses: ['alice@example.test'] },
  { username: 'bob', password: 'secret-b', addresses: ['bob@example.test', 'robert@example.test'] },
];
const msg = (subject: string): Buffer => Buffer.from(`Subject: ${subject}\r\n\r\nbody\r\n`);

describe('memory store', () => {
  test('each user gets the default folders, subscribed, with distinct UIDVALIDITY', () => {
    const store = createMemoryStore({ users });
    const boxes = store.mailboxes(store.userByName('alice')!);
    assert.deepEqual(
      boxes.folders().map((f) => [f.name, f.specialUse]),
      [
        ['INBOX', undefined],
        ['Drafts', '\\Drafts'],
        ['Junk', '\\Junk'],
        ['Sent', '\\Sent'],
        ['Trash', '\\Trash'],
      ],
    );
    for (const f of boxes.folders()) assert.ok(boxes.isSubscribed(f.name));
    const all = users.flatMap((u) =>
      store
        .mailboxes(u)
        .folders()
        .map((f) => f.uidValidity),
    );
    assert.equal(new Set(all).size, all.length);
  });

  test('authenticates by name and password only', () => {
    const store = createMemoryStore({ users });
    assert.equal(store.authenticate('alice', 'secret-a')?.username, 'alice');
    assert.equal(store.authenticate('alice', 'secret-b'), undefined);
    assert.equal(store.authenticate('nobody', ''), undefined);
  });

  test('delivers by address to INBOX; unknown address throws StoreError', () => {
    const store = createMemoryStore({ users });
    const m = store.deliver('Robert@Example.test', msg('hi'));
    assert.equal(m.uid, 1);
    assert.equal(store.mailboxes(users[1]!).folder('inbox')!.messages().length, 1);
    assert.throws(() => store.deliver('x@example.test', msg('x')), StoreError);
  });

  test('UIDs are never reused, even after expunge; UIDLs unique across folders', () => {
    const store = createMemoryStore({ users });
    const inbox = store.mailboxes(users[0]!).folder('INBOX')!;
    const a = inbox.append(msg('a'), ['\\seen', '\\Recent', 'custom']);
    assert.deepEqual([...a.flags], ['\\Seen', 'custom']);
    inbox.expunge([a.uid]);
    const b = inbox.append(msg('b'), []);
    assert.equal(b.uid, 2);
    assert.equal(inbox.uidNext, 3);
    const sent = store.mailboxes(users[0]!).folder('Sent')!.append(msg('c'), []);
    assert.notEqual(sent.uidl, b.uidl);
    assert.notEqual(sent.uidl, a.uidl);
  });

  test('watchers hear changes made by others, not their own', () => {
    const store = createMemoryStore({ users });
    const inbox = store.mailboxes(users[0]!).folder('INBOX')!;
    const me = {};
    const other = {};
    const heard: FolderChange[] = [];
    const stop = inbox.watch(me, (c) => heard.push(c));
    inbox.append(msg('mine'), [], undefined, me);
    const m = inbox.append(msg('theirs'), [], undefined, other);
    inbox.setFlags(m.uid, ['\\Seen'], other);
    inbox.expunge([m.uid], other);
    stop();
    inbox.append(msg('after'), []);
    assert.deepEqual(
      heard.map((c) => c.kind + ':' + c.uid),
      ['added:2', 'flags:2', 'expunged:2'],
    );
  });

  test('create, rename and delete folders; recreated folder has a new UIDVALIDITY', () => {
    const store = createMemoryStore({ users });
    const boxes = store.mailboxes(users[0]!);
    const made = boxes.create('Projects/2024');
    assert.equal(made.name, 'Projects/2024');
    assert.ok(boxes.folder('Projects'), 'parent created');
    assert.throws(
      () => boxes.create('Projects'),
      (e: unknown) => e instanceof StoreError && e.code === 'ALREADYEXISTS',
    );
    assert.throws(() => boxes.delete('Projects'), /child folders/);
    boxes.rename('Projects', 'Work');
    assert.ok(boxes.folder('Work/2024'));
    assert.equal(boxes.folder('Projects/2024'), undefined);
    const validity = boxes.folder('Work/2024')!.uidValidity;
    boxes.delete('Work/2024');
    const again = boxes.create('Work/2024');
    assert.notEqual(again.uidValidity, validity);
    assert.throws(() => boxes.delete('INBOX'), StoreError);
    assert.throws(() => boxes.create('a//b'), StoreError);
  });

  test('renaming INBOX moves its messages and leaves INBOX empty', () => {
    const store = createMemoryStore({ users });
    const boxes = store.mailboxes(users[0]!);
    store.deliver('alice@example.test', msg('one'));
    boxes.rename('INBOX', 'Old');
    assert.equal(boxes.folder('INBOX')!.messages().length, 0);
    assert.equal(boxes.folder('Old')!.messages().length, 1);
  });

  test('POP3 maildrop lock admits one owner at a time', () => {
    const store = createMemoryStore({ users });
    const boxes = store.mailboxes(users[0]!);
    const a = {};
    const b = {};
    assert.ok(boxes.lockMaildrop(a));
    assert.equal(boxes.lockMaildrop(b), false);
    boxes.unlockMaildrop(a);
    assert.ok(boxes.lockMaildrop(b));
  });

  test('dataDir keeps folders, messages, flags and UID counters across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-store-'));
    try {
      const first = createMemoryStore({ users, dataDir: dir });
      const boxes = first.mailboxes(users[0]!);
      const inbox = boxes.folder('INBOX')!;
      inbox.append(msg('keep'), ['\\Flagged'], new Date('2024-01-02T03:04:05Z'));
      const gone = inbox.append(msg('gone'), []);
      inbox.expunge([gone.uid]);
      boxes.create('Archive');
      boxes.subscribe('Archive', true);
      boxes.subscribe('Junk', false);
      const validity = inbox.uidValidity;

      const second = createMemoryStore({ users, dataDir: dir });
      const boxes2 = second.mailboxes(users[0]!);
      const inbox2 = boxes2.folder('INBOX')!;
      assert.equal(inbox2.uidValidity, validity);
      assert.equal(inbox2.uidNext, 3);
      assert.equal(inbox2.messages().length, 1);
      const kept = inbox2.messages()[0]!;
      assert.equal(kept.raw.toString(), msg('keep').toString());
      assert.deepEqual([...kept.flags], ['\\Flagged']);
      assert.equal(kept.internalDate.toISOString(), '2024-01-02T03:04:05.000Z');
      assert.ok(boxes2.folder('Archive'));
      assert.ok(boxes2.isSubscribed('Archive'));
      assert.equal(boxes2.isSubscribed('Junk'), false);
      assert.equal(readdirSync(join(dir, 'messages')).length, 1, 'expunged .eml removed');
      assert.equal(inbox2.append(msg('next'), []).uid, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
