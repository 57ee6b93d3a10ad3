// The sandbox IMAP server over a raw socket: exact replies, renumbering, literals, bad input.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, message, startServer, type Running } from './helpers.js';
import { LIMITS } from '../../../../src/protocol/limits.js';

describe('sandbox IMAP over a raw socket', () => {
  let srv: Running;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv.stop();
  });

  async function fresh(user = 'alice', pass = 'alice-pw'): Promise<RawClient> {
    const c = await RawClient.connect(srv.port);
    await c.login(user, pass);
    return c;
  }

  test('capabilities before login, and no password in a failed login reply', async () => {
    const c = await RawClient.connect(srv.port);
    const caps = await c.command('CAPABILITY');
    for (const cap of [
      'IMAP4rev1',
      'LITERAL+',
      'SASL-IR',
      'IDLE',
      'UIDPLUS',
      'MOVE',
      'SPECIAL-USE',
      'AUTH=PLAIN',
    ]) {
      assert.ok(caps.split(/[ \r\n]/).includes(cap), cap);
    }
    assert.doesNotMatch(caps, /STARTTLS/, 'no STARTTLS without TLS options');
    const failed = await c.command('LOGIN alice wrong-secret-123');
    assert.match(failed, /^t2 NO \[AUTHENTICATIONFAILED\]/m);
    assert.doesNotMatch(failed, /wrong-secret-123/);
    assert.match(await c.command('SELECT INBOX'), /^t3 BAD .*log in first/m);
    await c.close();
  });

  test('AUTHENTICATE PLAIN with SASL-IR and with a continuation', async () => {
    const ir = Buffer.from('\0alice\0alice-pw').toString('base64');
    const a = await RawClient.connect(srv.port);
    assert.match(await a.command(`AUTHENTICATE PLAIN ${ir}`), /^t1 OK \[CAPABILITY /m);
    await a.close();
    const b = await RawClient.connect(srv.port);
    b.send('x AUTHENTICATE PLAIN\r\n');
    await b.waitFor(/^\+ ?\r\n/m);
    b.take();
    b.send(`${Buffer.from('\0bob\0bob-pw').toString('base64')}\r\n`);
    assert.match(await b.tagged('x'), /^x OK /m);
    await b.close();
  });

  test('garbage gets BAD with a reason and the session keeps working', async () => {
    const c = await fresh();
    c.send('\r\n');
    c.send('nonsense\r\n');
    c.send('a1 FLY\r\n');
    c.send('a2 SELECT\r\n');
    c.send('a3 FETCH 1 FLAGS\r\n');
    c.send('a4 LIST "" "unterminated\r\n');
    const out = await c.tagged('a4');
    assert.match(out, /^\* BAD empty command line/m);
    assert.match(out, /^nonsense BAD missing command name/m);
    assert.match(out, /^a1 BAD unknown command FLY/m);
    assert.match(out, /^a2 BAD usage: SELECT mailbox/m);
    assert.match(out, /^a3 BAD FETCH needs a selected mailbox/m);
    assert.match(out, /^a4 BAD quoted string without closing quote/m);
    assert.match(await c.command('NOOP'), /OK NOOP completed/);
    await c.close();
  });

  test('SELECT reports EXISTS, RECENT, UIDVALIDITY, UIDNEXT; FETCH sections and partials', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('Fetch');
    const folder = boxes.folder('Fetch')!;
    folder.append(message({ subject: 'first', body: 'line one\r\nline two\r\n' }), []);
    const c = await fresh();
    const sel = await c.command('SELECT Fetch');
    assert.match(sel, /^\* 1 EXISTS\r$/m);
    assert.match(sel, /^\* 1 RECENT\r$/m);
    assert.match(sel, new RegExp(`^\\* OK \\[UIDVALIDITY ${folder.uidValidity}\\]`, 'm'));
    assert.match(sel, /^\* OK \[UIDNEXT 2\]/m);
    assert.match(sel, /OK \[READ-WRITE\] SELECT completed/);

    const peek = await c.command(
      'FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT]<5.8> RFC822.SIZE)',
    );
    assert.ok(peek.includes('BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: first\r\n\r\n'), peek);
    assert.ok(peek.includes('BODY[TEXT]<5> {8}\r\none\r\nlin'), peek);
    assert.doesNotMatch(peek, /FLAGS/, 'PEEK does not set \\Seen');
    const full = await c.command('FETCH 1 BODY[TEXT]');
    assert.match(full, /FLAGS \(\\Seen \\Recent\)/, 'non-PEEK fetch sets \\Seen and reports it');
    const uid = await c.command('UID FETCH 1:* (FLAGS)');
    assert.match(uid, /^\* 1 FETCH \(UID 1 FLAGS \(\\Seen \\Recent\)\)/m);
    assert.match(await c.command('FETCH 2 FLAGS'), /^t\d+ BAD message 2 does not exist/m);
    await c.close();
  });

  test('EXPUNGE numbers each message in the numbering left by the previous ones', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('Renumber');
    const folder = boxes.folder('Renumber')!;
    for (let i = 1; i <= 5; i++) folder.append(message({ subject: `m${i}` }), []);
    const c = await fresh();
    await c.command('SELECT Renumber');
    await c.command('STORE 2,4,5 +FLAGS.SILENT (\\Deleted)');
    const out = await c.command('EXPUNGE');
    const numbers = [...out.matchAll(/^\* (\d+) EXPUNGE/gm)].map((m) => Number(m[1]));
    assert.deepEqual(numbers, [2, 3, 3]);
    const left = await c.command('FETCH 1:* (UID)');
    assert.deepEqual(
      [...left.matchAll(/UID (\d+)/g)].map((m) => Number(m[1])),
      [1, 3],
    );
    assert.deepEqual(
      folder.messages().map((m) => m.uid),
      [1, 3],
    );
    await c.close();
  });

  test('expunges by another session are not sent during FETCH, but after NOOP', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('Hold');
    const folder = boxes.folder('Hold')!;
    for (let i = 1; i <= 3; i++) folder.append(message({ subject: `h${i}` }), []);
    const a = await fresh();
    const b = await fresh();
    await a.command('SELECT Hold');
    await b.command('SELECT Hold');
    await b.command('STORE 1 +FLAGS.SILENT (\\Deleted)');
    await b.command('EXPUNGE');
    const during = await a.command('FETCH 1:* (UID)');
    assert.doesNotMatch(during, /EXPUNGE/);
    assert.match(during, /^\* 3 FETCH/m, 'numbering unchanged until announced');
    const after = await a.command('NOOP');
    assert.match(after, /^\* 1 EXPUNGE/m);
    await a.close();
    await b.close();
  });

  test('APPEND with a synchronizing literal and with LITERAL+; COPY and UID EXPUNGE give UIDPLUS codes', async () => {
    const c = await fresh();
    const body = message({ subject: 'appended' });
    c.send(`a1 APPEND Drafts (\\Draft) "05-Mar-2024 10:11:12 +0100" {${body.length}}\r\n`);
    await c.waitFor(/^\+ /m);
    c.take();
    c.send(Buffer.concat([body, Buffer.from('\r\n')]));
    const r1 = await c.tagged('a1');
    const drafts = srv.store.mailboxes(srv.store.userByName('alice')!).folder('Drafts')!;
    assert.match(r1, new RegExp(`a1 OK \\[APPENDUID ${drafts.uidValidity} 1\\]`));
    c.send(Buffer.concat([Buffer.from(`a2 APPEND Drafts {${body.length}+}\r\n`), body, Buffer.from('\r\n')]));
    assert.match(await c.tagged('a2'), /a2 OK \[APPENDUID \d+ 2\]/);
    assert.equal(drafts.messages()[0]!.internalDate.toISOString(), '2024-03-05T09:11:12.000Z');
    assert.equal(drafts.messages()[0]!.raw.toString(), body.toString());
    assert.match(await c.command('APPEND Nowhere {1+}\r\nx'), /NO \[TRYCREATE\]/);

    await c.command('SELECT Drafts');
    const copy = await c.command('UID COPY 1:2 Trash');
    assert.match(copy, /OK \[COPYUID \d+ 1:2 \d+:\d+\]/);
    await c.command('UID STORE 1:2 +FLAGS (\\Deleted)');
    const ex = await c.command('UID EXPUNGE 2');
    assert.match(ex, /^\* 2 EXPUNGE/m);
    assert.doesNotMatch(ex, /^\* 1 EXPUNGE/m, 'UID EXPUNGE leaves other \\Deleted messages');
    await c.close();
  });

  test('SEARCH keys: flags, NOT/OR, groups, sizes, dates, header, UID sets', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('Search');
    const f = boxes.folder('Search')!;
    f.append(message({ subject: 'alpha', body: 'short\r\n' }), ['\\Seen'], new Date('2024-01-10T12:00:00Z'));
    f.append(
      message({ subject: 'beta', from: 'Zed <zed@corp.test>', body: 'x'.repeat(500) + '\r\n' }),
      [],
      new Date('2024-02-10T12:00:00Z'),
    );
    f.append(
      message({ subject: '=?iso-8859-1?Q?gr=FC=DFe?=', extra: 'X-Tag: blue\r\n' }),
      ['\\Flagged'],
      new Date('2024-03-10T12:00:00Z'),
    );
    const c = await fresh();
    await c.command('SELECT Search');
    const s = async (q: string): Promise<string> =>
      ((await c.command(`SEARCH ${q}`)).match(/^\* SEARCH(.*)\r$/m)?.[1] ?? 'none').trim();
    assert.equal(await s('SEEN'), '1');
    assert.equal(await s('UNSEEN'), '2 3');
    assert.equal(await s('NOT SEEN NOT FLAGGED'), '2');
    assert.equal(await s('OR SEEN FLAGGED'), '1 3');
    assert.equal(await s('(OR SEEN FLAGGED) SUBJECT alpha'), '1');
    assert.equal(await s('LARGER 400'), '2');
    assert.equal(await s('SINCE 1-Feb-2024 BEFORE 1-Mar-2024'), '2');
    assert.equal(await s('ON 10-Mar-2024'), '3');
    assert.equal(await s('SENTSINCE 1-Jan-2024'), '1 2 3');
    assert.equal(await s('FROM corp.test'), '2');
    assert.equal(await s('SUBJECT GRÜSSE'.replace('SSE', 'ße')), '3');
    assert.equal(await s('HEADER X-Tag blue'), '3');
    assert.equal(await s('2:*'), '2 3');
    assert.equal(await s('UID 1,3'), '1 3');
    assert.match(await c.command('UID SEARCH SUBJECT beta'), /^\* SEARCH 2\r$/m);
    assert.match(await c.command('SEARCH FROBNICATE'), /BAD unknown search key "FROBNICATE"/);
    assert.match(await c.command('SEARCH SINCE yesterday'), /BAD SINCE needs a date like 1-Feb-1994/);
    await c.close();
  });

  test('LIST patterns, CREATE/RENAME/DELETE, STATUS, LSUB', async () => {
    const c = await fresh('bob', 'bob-pw');
    assert.match(await c.command('CREATE Work/Reports'), /OK CREATE/);
    const all = await c.command('LIST "" *');
    assert.match(all, /^\* LIST \(\\HasChildren\) "\/" "Work"/m);
    assert.match(all, /^\* LIST \(\\HasNoChildren\) "\/" "Work\/Reports"/m);
    const top = await c.command('LIST "" %');
    assert.doesNotMatch(top, /Work\/Reports/);
    assert.match(await c.command('LIST "" inbox'), /"INBOX"/);
    assert.match(await c.command('LIST "" ""'), /^\* LIST \(\\Noselect\) "\/" ""/m);
    assert.match(await c.command('CREATE Work'), /NO \[ALREADYEXISTS\]/);
    assert.match(await c.command('RENAME Work Jobs'), /OK RENAME/);
    assert.match(await c.command('LIST Jobs/ %'), /"Jobs\/Reports"/);
    assert.match(await c.command('DELETE Nope'), /NO \[NONEXISTENT\]/);
    assert.match(
      await c.command('STATUS INBOX (MESSAGES UIDNEXT UNSEEN BOGUS)'),
      /BAD unknown STATUS item BOGUS/,
    );
    assert.match(
      await c.command('STATUS Sent (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)'),
      /^\* STATUS "Sent" \(MESSAGES 0 UIDNEXT 1 UIDVALIDITY \d+ UNSEEN 0 RECENT 0\)/m,
    );
    await c.command('SUBSCRIBE Jobs');
    await c.command('UNSUBSCRIBE Junk');
    const lsub = await c.command('LSUB "" *');
    assert.match(lsub, /"Jobs"/);
    assert.doesNotMatch(lsub, /"Junk"/);
    assert.match(await c.command('CREATE Caf&AOk-'), /OK/);
    assert.ok(srv.store.mailboxes(srv.store.userByName('bob')!).folder('Café'), 'modified UTF-7 decoded');
    assert.match(await c.command('LIST "" Caf*'), /"Caf&AOk-"/);
    await c.close();
  });

  test('EXAMINE is read-only: no \\Seen from FETCH, STORE refused', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('ReadOnly');
    boxes.folder('ReadOnly')!.append(message(), []);
    const c = await fresh();
    assert.match(await c.command('EXAMINE ReadOnly'), /OK \[READ-ONLY\]/);
    await c.command('FETCH 1 BODY[]');
    assert.equal(boxes.folder('ReadOnly')!.messages()[0]!.flags.has('\\Seen'), false);
    assert.match(await c.command('STORE 1 +FLAGS (\\Seen)'), /NO \[READ-ONLY\]/);
    assert.match(await c.command('UNSELECT'), /OK/);
    assert.match(await c.command('FETCH 1 FLAGS'), /BAD FETCH needs a selected mailbox/);
    await c.close();
  });

  test('an oversize line gets BYE and the connection closes; others keep working', async () => {
    const victim = await fresh();
    const bystander = await fresh();
    victim.send(`a1 NOOP ${'x'.repeat(LIMITS.sandboxMaxLineLength + 10)}`);
    await victim.waitFor(/^\* BYE command line exceeds/m);
    await victim.waitFor(/[\s\S]*/); // drain
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(victim.closed || victim.socket.readableEnded);
    assert.match(await bystander.command('NOOP'), /OK/);
    await victim.close();
    await bystander.close();
  });

  test('an oversize synchronizing literal is refused with BAD and no continuation', async () => {
    const c = await fresh();
    c.send(`a1 APPEND INBOX {${LIMITS.sandboxMaxMessageBytes + 1}}\r\n`);
    const out = await c.tagged('a1');
    assert.match(out, /^a1 BAD literal of \d+ bytes exceeds 256 MiB \(limit sandboxMaxMessageBytes\)/m);
    assert.doesNotMatch(out, /^\+/m);
    assert.match(await c.command('NOOP'), /OK/);
    await c.close();
  });

  test('disconnecting mid-literal and mid-IDLE is cleaned up', async () => {
    const a = await fresh();
    a.send('a1 APPEND INBOX {100+}\r\nonly part of it');
    await new Promise((r) => setTimeout(r, 30));
    a.socket.destroy();
    const b = await fresh();
    await b.command('SELECT INBOX');
    b.send('i1 IDLE\r\n');
    await b.waitFor(/^\+ idling/m);
    b.socket.destroy();
    await new Promise((r) => setTimeout(r, 30));
    // The store still works and nobody listens to a dead session.
    srv.store.deliver('alice@example.test', message({ subject: 'after the crash' }));
    const c = await fresh();
    assert.match(await c.command('STATUS INBOX (MESSAGES)'), /OK/);
    await c.close();
  });

  test('IDLE announces a delivery at once; DONE ends it', async () => {
    const c = await fresh('bob', 'bob-pw');
    const sel = await c.command('SELECT INBOX');
    const exists = Number(/\* (\d+) EXISTS/.exec(sel)![1]);
    c.send('i1 IDLE\r\n');
    await c.waitFor(/^\+ idling/m);
    c.take();
    srv.store.deliver('bob@example.test', message({ subject: 'push' }));
    await c.waitFor(new RegExp(`^\\* ${exists + 1} EXISTS`, 'm'));
    c.send('DONE\r\n');
    assert.match(await c.tagged('i1'), /i1 OK IDLE terminated/);
    await c.close();
  });

  test('APPEND and COPY into the selected mailbox announce EXISTS before the tagged OK', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('SelfAppend');
    boxes.folder('SelfAppend')!.append(message({ subject: 'one' }), []);
    const c = await fresh();
    await c.command('SELECT SelfAppend');
    const appended = await c.command('APPEND SelfAppend {3+}\r\nabc');
    assert.match(appended, /^\* 2 EXISTS\r\n\* 2 RECENT\r\nt\d+ OK \[APPENDUID \d+ 2\]/m);
    const copied = await c.command('COPY 1 SelfAppend');
    assert.match(copied, /^\* 3 EXISTS\r$/m);
    assert.match(
      await c.command('FETCH 3 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])'),
      /UID 3 BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{16\}\r\nSubject: one/,
    );
    await c.close();
  });

  test('a session whose selected mailbox is deleted by another gets BYE on its next command', async () => {
    const a = await fresh();
    const b = await fresh();
    await a.command('CREATE Doomed');
    await a.command('SELECT Doomed');
    assert.match(await b.command('DELETE Doomed'), /OK DELETE/);
    a.send('x NOOP\r\n');
    await a.waitFor(/^\* BYE mailbox Doomed was deleted by another session/m);
    await a.close();
    await b.close();
  });

  test('MOVE sends COPYUID untagged, then EXPUNGE', async () => {
    const boxes = srv.store.mailboxes(srv.store.userByName('alice')!);
    boxes.create('MoveSrc');
    boxes.folder('MoveSrc')!.append(message({ subject: 'mv' }), []);
    const c = await fresh();
    await c.command('SELECT MoveSrc');
    const out = await c.command('MOVE 1 Junk');
    assert.match(out, /^\* OK \[COPYUID \d+ 1 \d+\][^\r]*\r\n\* 1 EXPUNGE\r\nt\d+ OK/m);
    assert.match(await c.command('MOVE 1 Junk'), /BAD message 1 does not exist/);
    await c.close();
  });
});
