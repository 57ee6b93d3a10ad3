// Hovers and "Explain Line" over transcript and script text: the word under the cursor is found
// in context and explained from the knowledge base with its RFC link.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLine, hoverAt, type LanguageDocument } from '../../../src/language/hover.js';
import { guessProtocol } from '../../../src/language/line.js';

function transcript(lines: string[], protocol?: 'imap' | 'pop3' | 'smtp'): LanguageDocument {
  return { kind: 'transcript', lines, ...(protocol ? { protocol } : {}) };
}

/** Hover at the first occurrence of `needle` (plus `offset`) on `line`. */
function hoverOn(doc: LanguageDocument, line: number, needle: string, offset = 0) {
  const text = doc.lines[line] ?? '';
  const col = text.indexOf(needle);
  assert.ok(col >= 0, `${needle} is on line ${line}`);
  return hoverAt(doc, line, col + offset);
}

const SMTP = transcript([
  '05:35:10.100 -- connecting to smtp://127.0.0.1:2525',
  '05:35:10.120 S: 220 mx.example.test ESMTP Postfix',
  '05:35:10.130 C: EHLO client.example',
  '05:35:10.131 S: 250-mx.example.test',
  '05:35:10.131 S: 250-PIPELINING',
  '05:35:10.131 S: 250-AUTH PLAIN LOGIN',
  '05:35:10.131 S: 250 SIZE 10240000',
  '05:35:10.140 C: RCPT TO:<nobody@example.test>',
  '05:35:10.141 S: 550 5.1.1 <nobody@example.test>: Recipient address rejected',
  '05:35:10.150 S: 554 5.7.1 Relay access denied',
  '05:35:10.160 S: 599 9.9.9 nonsense',
]);

describe('hovers in an SMTP transcript', () => {
  test('a reply code and an enhanced status code explain themselves with RFC links', () => {
    const code = hoverOn(SMTP, 8, '550');
    assert.ok(code);
    assert.match(code.markdown, /\*\*550\*\* \(SMTP reply code\): Mailbox unavailable/);
    assert.match(code.markdown, /https:\/\/www\.rfc-editor\.org\/rfc\/rfc5321#section-4\.2\.2/);
    assert.equal(SMTP.lines[8]?.slice(code.startColumn, code.endColumn), '550');

    const enhanced = hoverOn(SMTP, 8, '5.1.1', 2);
    assert.ok(enhanced);
    assert.equal(enhanced.element.kind, 'enhanced-status');
    assert.match(enhanced.markdown, /Bad destination mailbox address/);
    assert.match(enhanced.markdown, /Class 5: Permanent failure/);
    assert.match(enhanced.markdown, /rfc3463#section-3\.2/);

    const policy = hoverOn(SMTP, 9, '5.7.1');
    assert.match(policy?.markdown ?? '', /Delivery not authorized/);
  });

  test('EHLO keywords are explained only in the EHLO reply, AUTH lists SASL mechanisms', () => {
    assert.match(hoverOn(SMTP, 4, 'PIPELINING')?.markdown ?? '', /EHLO keyword.*MAIL, RCPT and DATA/s);
    assert.match(hoverOn(SMTP, 6, 'SIZE')?.markdown ?? '', /largest message/);
    assert.match(hoverOn(SMTP, 5, 'PLAIN')?.markdown ?? '', /SASL mechanism.*base64/s);
    // The greeting's host name is not a keyword.
    assert.equal(hoverOn(SMTP, 3, 'mx.example'), undefined);
  });

  test('client verbs show syntax, states and an example; unknown codes fall back to their class', () => {
    const rcpt = hoverOn(SMTP, 7, 'RCPT');
    assert.match(rcpt?.markdown ?? '', /`RCPT TO:<forward-path> \[parameters\]`/);
    assert.match(rcpt?.markdown ?? '', /Valid in: mail, rcpt/);
    assert.match(rcpt?.markdown ?? '', /rfc5321#section-4\.1\.1\.3/);
    const odd = hoverOn(SMTP, 10, '599');
    assert.match(odd?.markdown ?? '', /Permanent negative/);
    // Not a real enhanced code: no hover on it.
    assert.equal(hoverOn(SMTP, 10, '9.9.9'), undefined);
    // Timestamps and notes have no hover.
    assert.equal(hoverAt(SMTP, 1, 2), undefined);
    assert.equal(hoverAt(SMTP, 0, 20), undefined);
  });
});

describe('hovers in IMAP and POP3 transcripts', () => {
  const IMAP = transcript([
    'S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN IDLE] Dovecot ready.',
    'C: a1 LOGIN alice <redacted>',
    'S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
    'C: a4 UID FETCH 1:* (FLAGS)',
    'S: * 2 FETCH (UID 7 FLAGS (\\Seen \\Flagged))',
    'S: * LIST (\\HasNoChildren \\Sent) "/" Sent',
    'S: * 18 EXISTS',
    'S: + idling',
  ]);

  test('response codes, capabilities, status words and tags', () => {
    assert.equal(guessProtocol(IMAP.lines), 'imap');
    assert.match(hoverOn(IMAP, 2, 'AUTHENTICATIONFAILED')?.markdown ?? '', /rfc5530#section-3/);
    assert.match(hoverOn(IMAP, 2, 'NO')?.markdown ?? '', /command failed/);
    assert.match(hoverOn(IMAP, 2, 'a1')?.markdown ?? '', /IMAP tag/);
    assert.match(hoverOn(IMAP, 0, 'AUTH=PLAIN')?.markdown ?? '', /SASL mechanism AUTHENTICATE accepts/);
    assert.match(hoverOn(IMAP, 0, 'IDLE')?.markdown ?? '', /push changes/);
    assert.match(hoverOn(IMAP, 0, '[CAPABILITY', 1)?.markdown ?? '', /response code/);
    // The text after the code is not explained.
    assert.equal(hoverOn(IMAP, 0, 'Dovecot'), undefined);
  });

  test('UID commands, flags, mailbox attributes, untagged data and continuations', () => {
    const uid = hoverOn(IMAP, 3, 'FETCH');
    assert.match(uid?.markdown ?? '', /\*\*UID FETCH\*\*/);
    assert.match(hoverOn(IMAP, 4, '\\Flagged')?.markdown ?? '', /message flag.*attention/s);
    assert.match(hoverOn(IMAP, 5, '\\Sent')?.markdown ?? '', /mailbox attribute.*Special use: sent/s);
    assert.match(hoverOn(IMAP, 6, 'EXISTS')?.markdown ?? '', /number of messages/);
    assert.match(hoverOn(IMAP, 7, '+')?.markdown ?? '', /continuation request/);
  });

  test('POP3 status, response codes, and CAPA lines in the reply to CAPA', () => {
    const POP3 = transcript([
      'S: +OK Dovecot (Debian) ready.',
      'C: CAPA',
      'S: +OK',
      'S: TOP',
      'S: SASL PLAIN LOGIN',
      'S: .',
      'C: PASS <redacted>',
      'S: -ERR [AUTH] Authentication failed.',
      'C: RETR 1',
      'S: TOP secret plans',
    ]);
    assert.equal(guessProtocol(POP3.lines), 'pop3');
    assert.match(hoverOn(POP3, 3, 'TOP')?.markdown ?? '', /POP3 capability/);
    assert.match(hoverOn(POP3, 4, 'LOGIN')?.markdown ?? '', /SASL mechanism/);
    assert.match(hoverOn(POP3, 7, 'AUTH')?.markdown ?? '', /rfc3206#section-5/);
    assert.match(hoverOn(POP3, 7, '-ERR')?.markdown ?? '', /Negative reply/);
    assert.match(hoverOn(POP3, 8, 'RETR')?.markdown ?? '', /keep versus delete/);
    // A message body line after RETR is data, not a capability.
    assert.equal(hoverOn(POP3, 9, 'TOP'), undefined);
  });
});

describe('hovers in scripts and Explain Line', () => {
  test('a .mailwire script uses the protocol of the enclosing @connect block', () => {
    const doc: LanguageDocument = {
      kind: 'script',
      fileName: 'story.mailwire',
      lines: ['@connect smtp://127.0.0.1:2525', 'C: QUIT', '', '@connect pop3://127.0.0.1:1110', 'C: QUIT'],
    };
    assert.match(hoverOn(doc, 1, 'QUIT')?.markdown ?? '', /SMTP command/);
    assert.match(hoverOn(doc, 4, 'QUIT')?.markdown ?? '', /POP3 command.*deletes the messages marked/s);
    const imapFile: LanguageDocument = {
      kind: 'script',
      fileName: 'x.imap',
      lines: ['  C: t1 SELECT INBOX'],
    };
    assert.match(hoverOn(imapFile, 0, 'SELECT')?.markdown ?? '', /rfc9051#section-6\.3\.2/);
  });

  test('Explain Line lists every element of a line, and says when nothing is known', () => {
    const e = explainLine(SMTP, 8);
    assert.ok(e);
    assert.equal(e.direction, 'server');
    assert.deepEqual(
      e.elements.map((x) => x.text),
      ['550', '5.1.1'],
    );
    assert.match(e.markdown, /In reply to RCPT/);
    const data = explainLine(
      transcript(['C: a1 LOGIN x y', 'S: * 1 FETCH (BODY[] {3}', 'S: abc'], 'imap'),
      2,
    );
    assert.match(data?.markdown ?? '', /Nothing on this line/);
    assert.equal(explainLine(SMTP, 0), undefined, 'notes are not protocol lines');
  });

  test('server text cannot inject links or close the code block in hovers and Explain Line', () => {
    const hostile = transcript(
      ['C: a1 NOOP', 'S: [x](https://evil.example)* OK ``` [ALERT] <b>hi</b>'],
      'imap',
    );
    const tag = hoverAt(hostile, 1, 4);
    assert.ok(tag);
    assert.ok(!tag.markdown.includes('](https://evil.example)'), tag.markdown);
    assert.ok(tag.markdown.includes('x\\]\\(https://evil.example\\)'), tag.markdown);
    const e = explainLine(hostile, 1);
    assert.ok(e);
    // The line sits in a fence longer than the three backticks it holds.
    assert.ok(
      e.markdown.includes('````\n[x](https://evil.example)* OK ``` [ALERT] <b>hi</b>\n````'),
      e.markdown,
    );
  });
});
