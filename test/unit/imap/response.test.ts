import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponse, ImapString, type ParsedResponse } from '../../../src/protocol/imap/index.js';

const parse = (line: string): ParsedResponse => parseResponse(Buffer.from(line + '\r\n', 'utf8'));
const untagged = (line: string) => {
  const r = parse(line);
  assert.equal(r.type, 'untagged');
  return r.type === 'untagged' ? r.response : undefined;
};

describe('parseResponse: the less common shapes', () => {
  test('continuations: text, empty, base64 and with a code', () => {
    assert.deepEqual(parse('+ Ready'), { type: 'continuation', text: 'Ready' });
    assert.deepEqual(parse('+'), { type: 'continuation', text: '' });
    assert.deepEqual(parse('+ dj1hYmM='), { type: 'continuation', text: 'dj1hYmM=' });
    assert.deepEqual(parse('+ [ALERT] go on'), {
      type: 'continuation',
      text: 'go on',
      code: { kind: 'flag', name: 'ALERT' },
    });
  });

  test('tagged replies: lower-case status, no text, BADCHARSET and unknown codes', () => {
    assert.deepEqual(parse('t1 ok'), { type: 'tagged', tag: 't1', status: 'OK', text: '' });
    assert.deepEqual(parse('A3 NO [BADCHARSET (UTF-8 KOI8-R)] charset?'), {
      type: 'tagged',
      tag: 'A3',
      status: 'NO',
      code: { kind: 'BADCHARSET', charsets: ['UTF-8', 'KOI8-R'] },
      text: 'charset?',
    });
    assert.deepEqual(parse('A4 NO [REFERRAL imap://x/y] go away'), {
      type: 'tagged',
      tag: 'A4',
      status: 'NO',
      code: { kind: 'other', name: 'REFERRAL', text: 'imap://x/y' },
      text: 'go away',
    });
    assert.throws(() => parse('A5 MAYBE fine'), /status MAYBE/);
  });

  test('a response code with odd arguments is kept as text instead of failing the line', () => {
    const r = parse('* OK [UIDNEXT soon] text');
    assert.deepEqual(r.type === 'untagged' ? r.response : null, {
      kind: 'status',
      status: 'OK',
      code: { kind: 'other', name: 'UIDNEXT', text: 'soon' },
      text: 'text',
    });
  });

  test('SEARCH with no hits and with MODSEQ; ESEARCH without correlator', () => {
    assert.deepEqual(untagged('* SEARCH'), { kind: 'search', numbers: [] });
    assert.deepEqual(untagged('* SEARCH 2 5 (MODSEQ 917162500)'), {
      kind: 'search',
      numbers: [2, 5],
      modseq: 917162500n,
    });
    assert.deepEqual(untagged('* ESEARCH COUNT 0'), { kind: 'esearch', uid: false, count: 0 });
    assert.deepEqual(untagged('* ESEARCH (TAG "x") PARTIAL (1:10 1,3)'), {
      kind: 'esearch',
      tag: 'x',
      uid: false,
      other: { PARTIAL: ['1:10', '1,3'] },
    });
  });

  test('LSUB, LIST with an empty name, ID NIL, unknown untagged data', () => {
    assert.deepEqual(untagged('* LSUB () "." #news.comp.mail.misc'), {
      kind: 'lsub',
      attributes: [],
      delimiter: '.',
      mailbox: '#news.comp.mail.misc',
    });
    assert.deepEqual(untagged('* LIST (\\Noselect) "/" ""'), {
      kind: 'list',
      attributes: ['\\Noselect'],
      delimiter: '/',
      mailbox: '',
    });
    assert.deepEqual(untagged('* ID NIL'), { kind: 'id', params: null });
    const quota = untagged('* QUOTA "" (STORAGE 10 512)');
    assert.equal(quota?.kind, 'unknown');
    if (quota?.kind === 'unknown') {
      assert.equal(quota.name, 'QUOTA');
      assert.ok(quota.tokens[0] instanceof ImapString);
      assert.deepEqual(quota.tokens[1], ['STORAGE', '10', '512']);
    }
  });

  test('FETCH: lower-case items, RFC822.*, BINARY with ~{n}, NIL section, unknown items kept', () => {
    const raw = Buffer.from(
      '* 3 FETCH (uid 7 RFC822.HEADER {4}\r\nab\r\n BINARY[2] ~{3}\r\n\0\x01\x02 BODY[TEXT] NIL X-GM-LABELS (\\Inbox "Imp") ' +
        'BINARY.SIZE[2] 3 EMAILID (M123))\r\n',
      'latin1',
    );
    const r = parseResponse(raw);
    assert.ok(r.type === 'untagged' && r.response.kind === 'fetch');
    const d = r.response.data;
    assert.equal(d.uid, 7);
    assert.deepEqual(
      d.sections?.map((s) => [
        s.kind,
        s.section,
        s.value === null ? null : Buffer.from(s.value as Uint8Array).toString('hex'),
      ]),
      [
        ['RFC822.HEADER', '', '61620d0a'],
        ['BINARY', '2', '000102'],
        ['BODY', 'TEXT', null],
      ],
    );
    assert.deepEqual(Object.keys(d.other ?? {}), ['X-GM-LABELS', 'BINARY.SIZE[2]', 'EMAILID']);
  });

  test('ENVELOPE: group syntax, NIL fields, literal subject and escaped quotes', () => {
    const raw = Buffer.from(
      '* 1 FETCH (ENVELOPE (NIL {5}\r\nhé\r\n ((NIL NIL "team" NIL)("A \\"Q\\"" NIL "a" "x.org")(NIL NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))\r\n',
      'utf8',
    );
    const r = parseResponse(raw);
    assert.ok(r.type === 'untagged' && r.response.kind === 'fetch');
    const env = r.response.data.envelope;
    assert.equal(env?.date, null);
    assert.equal(env?.subject, 'hé\r\n');
    assert.deepEqual(
      env?.from.map((a) => [a.name, a.mailbox, a.host, a.address]),
      [
        [null, 'team', null, null],
        ['A "Q"', 'a', 'x.org', 'a@x.org'],
        [null, null, null, null],
      ],
    );
  });

  test('specific messages for malformed data', () => {
    assert.throws(() => parse('* 1 FETCH (ENVELOPE ("d" "s"))'), /ENVELOPE|expected/);
    assert.throws(() => parse('* 1 FETCH (BODYSTRUCTURE ("text"))'), /body part/);
    assert.throws(() => parse('* VANISHED 1:x'), /malformed VANISHED/);
    assert.throws(() => parse('* 1 FETCH (UID 1'), /unterminated|expected/);
    assert.throws(() => parse(''), /empty line/);
  });
});
