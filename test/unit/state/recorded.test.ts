// The state model over real Dovecot and Postfix dialogues (test/fixtures/recorded), replayed
// through a real session with an in-memory transport: what the model shows must match what the
// server said in the recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionStateModel } from '../../../src/state/index.js';
import { load, replay } from './replay.js';

test('IMAP dialogue: capabilities, namespaces, mailbox tree, STATUS, selected mailbox and message table', async () => {
  const { model, session } = await replay('dovecot-imap-session.jsonl', 'imap');
  const snap = model.snapshot();
  assert.equal(snap.protocol, 'imap');
  if (snap.protocol !== 'imap') return;
  const imap = snap.imap;
  assert.ok(imap.capabilities.includes('SPECIAL-USE'), 'post-login capabilities replace the pre-login ones');
  assert.ok(!imap.capabilities.includes('AUTH=PLAIN'));
  assert.deepEqual(imap.enabled, ['CONDSTORE']);
  assert.deepEqual(imap.namespaces?.personal, [{ prefix: '', delimiter: '/' }]);
  assert.deepEqual(model.mailboxNames(), ['Drafts', 'Sent', 'Trash', 'INBOX']);
  const sent = imap.mailboxes.find((m) => m.name === 'Sent');
  assert.deepEqual(sent?.specialUse, ['\\Sent']);
  assert.equal(sent?.subscribed, true);
  assert.equal(imap.mailboxes.find((m) => m.name === 'INBOX')?.subscribed, false);
  assert.deepEqual(imap.mailboxes.find((m) => m.name === 'INBOX')?.status, {
    MESSAGES: 4,
    RECENT: 4,
    UIDNEXT: 5,
    UIDVALIDITY: 1795323388,
    UNSEEN: 4,
  });
  // The recording ends with a failed SELECT, which leaves no mailbox selected (RFC 9051 6.3.2).
  assert.equal(imap.selected, undefined);
  assert.equal(model.messageCount(), undefined);
  assert.equal(snap.common.state, 'logout');
  assert.ok(snap.common.commandCount >= 31);
  const fetch = snap.common.commands.find((c) => c.line.startsWith('a017 FETCH'));
  assert.equal(fetch?.outcome, 'ok');
  assert.equal(fetch?.verb, 'FETCH');
  assert.equal(snap.common.commands.find((c) => c.line.startsWith('a003'))?.outcome, 'failed');
  session.close();
});

test('IMAP dialogue stopped before the failed SELECT: the table after STORE and EXPUNGE', async () => {
  // Chunks up to and including the EXPUNGE reply (a029).
  const chunks = load('dovecot-imap-session.jsonl');
  const stop = chunks.findIndex((c) => c.dir === 'C' && c.bytes.toString().startsWith('a030'));
  const { model, session } = await replay('dovecot-imap-session.jsonl', 'imap', { stopAfter: stop });
  const snap = model.snapshot();
  if (snap.protocol !== 'imap') return assert.fail('imap');
  const sel = snap.imap.selected;
  assert.ok(sel);
  assert.equal(sel.name, 'INBOX');
  assert.equal(sel.readOnly, false);
  assert.equal(sel.opening, false);
  assert.equal(sel.exists, 3, '4 EXISTS, then one EXPUNGE');
  assert.equal(sel.recent, 3);
  assert.equal(sel.uidValidity, 1795323388);
  assert.equal(sel.uidNext, 5);
  assert.equal(sel.firstUnseen, 1);
  assert.deepEqual(sel.flags, ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft']);
  assert.deepEqual(model.permanentFlags(), ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft']);
  assert.deepEqual(
    sel.messages.map((m) => [m.seq, m.uid]),
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
  );
  const first = sel.messages[0];
  assert.deepEqual(first?.flags, ['\\Flagged', '\\Seen', '\\Recent'], 'the STORE reply updated the flags');
  assert.equal(first?.subject, 'Lunch on Thursday?');
  assert.equal(first?.from, 'Bob Example <bob@example.test>');
  assert.equal(first?.size, 827);
  assert.equal(first?.internalDate, '22-Nov-2026 04:56:28 +0000');
  assert.equal(sel.highestModseq, '9', 'the highest MODSEQ seen in FETCH replies');
  session.close();
});

test('IMAP IDLE dialogue: an EXISTS during IDLE grows the table; a model attached late replays the start', async () => {
  const { model, session } = await replay('dovecot-imap-idle.jsonl', 'imap', { attachAfter: 3 });
  const snap = model.snapshot();
  if (snap.protocol !== 'imap') return assert.fail('imap');
  assert.ok(snap.imap.capabilities.includes('IDLE'), 'capabilities from before the model was attached');
  assert.equal(snap.common.greeting?.includes('Dovecot'), true);
  const sel = snap.imap.selected;
  assert.equal(sel?.exists, 4, 'the EXISTS that arrived during IDLE');
  assert.equal(sel?.recent, 1);
  assert.deepEqual(
    sel?.messages.map((m) => [m.seq, m.uid, m.subject]),
    [[4, 5, 'Note 9']],
  );
  assert.equal(snap.imap.idling, false, 'DONE ended the IDLE');
  session.close();
});

for (const [file, protocol] of [
  ['dovecot-imap-session.jsonl', 'imap'],
  ['dovecot-imap-idle.jsonl', 'imap'],
  ['dovecot-pop3-session.jsonl', 'pop3'],
  ['postfix-smtp-session.jsonl', 'smtp'],
  ['postfix-smtp-pipelining.jsonl', 'smtp'],
] as const) {
  test(`${file}: a model attached halfway (replaying the transcript) ends equal to one attached at the start`, async () => {
    const half = Math.floor(load(file).length / 2);
    const early = await replay(file, protocol);
    const late = await replay(file, protocol, { attachAfter: half });
    const strip = (m: SessionStateModel) => {
      const s = m.snapshot();
      return {
        ...s,
        common: { ...s.common, commands: s.common.commands.map((c) => ({ ...c, sentAt: 0, latencyMs: 0 })) },
      };
    };
    assert.deepEqual(strip(late.model), strip(early.model));
    assert.ok(early.changes() > 0);
    early.session.close();
    late.session.close();
  });
}

test('POP3 dialogue: capabilities, STAT, LIST/UIDL table, DELE then RSET, keep explained', async () => {
  const chunks = load('dovecot-pop3-session.jsonl');
  const rset = chunks.findIndex((c) => c.dir === 'C' && c.bytes.toString().startsWith('RSET'));
  const before = await replay('dovecot-pop3-session.jsonl', 'pop3', { stopAfter: rset });
  const s1 = before.model.snapshot();
  if (s1.protocol !== 'pop3') return assert.fail('pop3');
  assert.deepEqual(before.model.saslMechanisms(), ['PLAIN', 'LOGIN']);
  assert.ok(s1.pop3.capabilities.includes('TOP'));
  assert.deepEqual(s1.pop3.stat, { count: 2, size: 1450 }, 'the last STAT, after DELE 1');
  assert.deepEqual(before.model.pop3MessageNumbers(), [2, 3]);
  assert.equal(before.model.messageCount(), 2);
  assert.deepEqual(
    s1.pop3.messages.map((m) => [m.number, m.size, m.uid, m.deleted]),
    [
      [1, 2304, '000000016b0275fd', true],
      [2, 827, '000000026b0275fd', false],
      [3, 623, '000000036b0275fd', false],
    ],
  );
  assert.equal(s1.pop3.messages[0]?.retrieved, true);
  assert.match(s1.pop3.keepOrDelete, /1 message marked deleted.*only when QUIT succeeds/);
  before.session.close();

  const after = await replay('dovecot-pop3-session.jsonl', 'pop3');
  const s2 = after.model.snapshot();
  if (s2.protocol !== 'pop3') return assert.fail('pop3');
  assert.equal(s2.pop3.deletedCount, 0, 'RSET unmarked the message');
  assert.deepEqual(after.model.pop3MessageNumbers(), [1, 2, 3]);
  assert.equal(s2.pop3.committed, true);
  assert.match(s2.pop3.keepOrDelete, /kept every message/);
  after.session.close();
});

test('SMTP dialogue: EHLO extensions, refused recipients, DATA and the queue id', async () => {
  const { model, session } = await replay('postfix-smtp-session.jsonl', 'smtp');
  const snap = model.snapshot();
  if (snap.protocol !== 'smtp') return assert.fail('smtp');
  const smtp = snap.smtp;
  assert.equal(smtp.domain, 'mx.example.test');
  assert.equal(smtp.sizeLimit, 10240000);
  assert.deepEqual(model.saslMechanisms(), ['PLAIN', 'LOGIN']);
  assert.deepEqual(smtp.extensions.find((x) => x.keyword === 'SIZE')?.params, ['10240000']);
  assert.ok(smtp.extensions.some((x) => x.keyword === 'VRFY'));
  assert.equal(smtp.authenticated, true);
  assert.equal(smtp.transaction, undefined);
  const [refused, sent] = smtp.history.filter((t) => t.from === 'alice@example.test');
  assert.ok(refused && sent);
  assert.deepEqual(refused.fromParams, ['SIZE=2048']);
  assert.deepEqual(
    refused.recipients.map((r) => [r.address, r.reply?.code]),
    [
      ['nobody@example.test', 550],
      ['someone@elsewhere.invalid', 550],
    ],
  );
  assert.match(refused.ended ?? '', /RSET/);
  assert.deepEqual(
    sent.recipients.map((r) => [r.address, r.reply?.code, r.reply?.enhanced]),
    [['bob@example.test', 250, '2.1.5']],
  );
  assert.equal(sent.data, 'done');
  assert.equal(sent.queueId, '3751320C6B5');
  assert.ok(sent.dataBytes > 200, `body bytes counted: ${sent.dataBytes}`);
  assert.ok(!JSON.stringify(snap).includes('alice-test-pw'), 'no password in the snapshot');
  assert.ok(!JSON.stringify(snap).includes(Buffer.from('alice-test-pw').toString('base64')));
  session.close();
});
