// The IMAP message table under the updates a server may send at any time: EXPUNGE renumbering,
// VANISHED, unsolicited FETCH, EXISTS growth, UIDVALIDITY change, and hostile numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionStateModel, type SelectedMailboxSnapshot } from '../../../src/state/index.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

async function selectedSession(messages: number) {
  const { transport, session } = await openMemorySession('imap');
  const model = new SessionStateModel(session);
  const tick = () => new Promise((r) => setImmediate(r));
  const server = async (text: string) => {
    transport.serverSends(text.replace(/\n/g, '\r\n'));
    await tick();
  };
  await server('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=SCRAM-SHA-256] ready\n');
  const login = session.sendRaw('a1 LOGIN u <pw>');
  await server('a1 OK done\n');
  await login;
  const select = session.sendRaw('a2 SELECT "Caf&AOk-"');
  await server(
    `* FLAGS (\\Seen \\Deleted)\n* ${messages} EXISTS\n* OK [UIDVALIDITY 7] x\n* OK [UIDNEXT ${messages + 10}] x\na2 OK [READ-WRITE] ok\n`,
  );
  await select;
  const fetch = session.sendRaw(`a3 FETCH 1:${messages} (UID FLAGS)`);
  let lines = '';
  for (let i = 1; i <= messages; i++) lines += `* ${i} FETCH (UID ${i * 10} FLAGS ())\n`;
  await server(lines + 'a3 OK done\n');
  await fetch;
  const selected = (): SelectedMailboxSnapshot => {
    const s = model.snapshot();
    if (s.protocol !== 'imap' || !s.imap.selected) throw new Error('no mailbox selected');
    return s.imap.selected;
  };
  const table = () => selected().messages.map((m) => [m.seq, m.uid]);
  return { session, model, server, selected, table };
}

test('SELECT decodes the modified UTF-7 name; the table holds one row per FETCH', async () => {
  const t = await selectedSession(3);
  assert.equal(t.selected().name, 'Café');
  assert.equal(t.selected().wireName, 'Caf&AOk-');
  assert.deepEqual(t.model.saslMechanisms(), ['PLAIN', 'SCRAM-SHA-256']);
  assert.deepEqual(
    t.model.permanentFlags(),
    ['\\Seen', '\\Deleted'],
    'FLAGS when there is no PERMANENTFLAGS',
  );
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  t.session.close();
});

test('EXPUNGE removes the row and renumbers every later message', async () => {
  const t = await selectedSession(5);
  await t.server('* 2 EXPUNGE\n');
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 30],
    [3, 40],
    [4, 50],
  ]);
  // Two expunges of "3" in a row remove what were messages 4 and 5 (RFC 9051 7.5.1 example).
  await t.server('* 3 EXPUNGE\n* 3 EXPUNGE\n');
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 30],
  ]);
  assert.equal(t.selected().exists, 2);
  assert.equal(t.model.messageCount(), 2);
  t.session.close();
});

test('VANISHED removes rows by UID; unknown UIDs mark the table stale', async () => {
  const t = await selectedSession(5);
  await t.server('* VANISHED 20,40:50\n');
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 30],
  ]);
  assert.equal(t.selected().exists, 2);
  assert.equal(t.selected().stale, undefined);
  await t.server('* VANISHED 999\n');
  assert.equal(t.selected().stale, undefined, 'every UID is known, so 999 named no message');
  assert.equal(t.selected().exists, 2);
  await t.server('* 3 EXISTS\n* VANISHED 998\n');
  assert.match(t.selected().stale ?? '', /not in the table/, 'message 3 has no known UID: it may be 998');
  t.session.close();
});

test('VANISHED (EARLIER) removes known rows without changing EXISTS', async () => {
  const t = await selectedSession(3);
  await t.server('* VANISHED (EARLIER) 30,500\n');
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 20],
  ]);
  assert.equal(t.selected().exists, 3);
  t.session.close();
});

test('an unsolicited FETCH (another client changed flags) updates the row; EXISTS adds room', async () => {
  const t = await selectedSession(2);
  await t.server('* 2 FETCH (FLAGS (\\Seen \\Flagged) MODSEQ (44))\n');
  assert.deepEqual(t.selected().messages[1]?.flags, ['\\Seen', '\\Flagged']);
  assert.equal(t.selected().messages[1]?.uid, 20, 'the UID stays');
  assert.equal(t.selected().highestModseq, '44');
  await t.server('* 3 EXISTS\n* 3 FETCH (UID 77 FLAGS (\\Recent))\n');
  assert.equal(t.selected().exists, 3);
  assert.deepEqual(t.table(), [
    [1, 10],
    [2, 20],
    [3, 77],
  ]);
  t.session.close();
});

test('hostile numbers: EXPUNGE outside the mailbox, FETCH past EXISTS, shrinking EXISTS are reported', async () => {
  const t = await selectedSession(2);
  await t.server('* 9 EXPUNGE\n');
  assert.equal(t.selected().exists, 2, 'an impossible EXPUNGE changes nothing');
  await t.server('* 5 FETCH (UID 500)\n');
  assert.equal(t.selected().exists, 5);
  await t.server('* 1 EXISTS\n');
  assert.deepEqual(t.table(), [[1, 10]]);
  const warnings = t.model.snapshot().common.warnings.map((w) => w.text);
  assert.ok(warnings.some((w) => w.includes('9 EXPUNGE')));
  assert.ok(warnings.some((w) => w.includes('past EXISTS')));
  assert.ok(warnings.some((w) => w.includes('went down')));
  t.session.close();
});

test('a new UIDVALIDITY clears the table; CLOSE leaves no mailbox selected', async () => {
  const t = await selectedSession(2);
  await t.server('* OK [UIDVALIDITY 8] changed\n');
  assert.deepEqual(t.table(), []);
  const close = t.session.sendRaw('a9 CLOSE');
  await t.server('a9 OK closed\n');
  await close;
  const s = t.model.snapshot();
  assert.ok(s.protocol === 'imap' && s.imap.selected === undefined);
  t.session.close();
});

test('EXAMINE is read-only; the change listener is told, and a throwing listener does not stop it', async () => {
  const t = await selectedSession(1);
  let told = 0;
  t.model.onChange(() => {
    throw new Error('listener bug');
  });
  const off = t.model.onChange(() => told++);
  const ex = t.session.sendRaw('a5 EXAMINE Archive');
  await t.server('* 0 EXISTS\na5 OK [READ-ONLY] done\n');
  await ex;
  assert.ok(told > 0);
  assert.equal(t.selected().readOnly, true);
  assert.equal(t.selected().name, 'Archive');
  assert.deepEqual(t.table(), []);
  off();
  const before = told;
  await t.server('* 1 EXISTS\n');
  assert.equal(told, before, 'unsubscribed');
  t.model.dispose();
  t.session.close();
});

test('the summary in words follows SELECT, EXPUNGE and EXISTS (Sessions view, status bar)', async () => {
  const t = await selectedSession(3);
  assert.equal(t.model.summary(), 'Selected Café, 3 messages');
  await t.server('* 2 EXPUNGE\n');
  assert.equal(t.model.summary(), 'Selected Café, 2 messages');
  await t.server('* 1 EXISTS\n');
  assert.equal(t.model.summary(), 'Selected Café, 1 message');
});
