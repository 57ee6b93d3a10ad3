import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scriptFromTranscript } from '../../../src/script/from-transcript.js';
import { parseScript } from '../../../src/script/parser.js';
import { runScript } from '../../../src/script/runner.js';
import type { CommandStep } from '../../../src/script/ast.js';
import { FakeTarget, ok, cont } from './fake-target.js';

const IMAP = `12:00:00.001 L: connected to imap://127.0.0.1:1143
12:00:00.010 S: * OK [CAPABILITY IMAP4rev1] Mailwire sandbox ready
12:00:01.123 C: a1 LOGIN alice <redacted>
12:00:01.130 S: a1 OK [CAPABILITY IMAP4rev1 MOVE] Logged in
12:00:02.000 C: a2 SELECT INBOX
12:00:02.010 S: * FLAGS (\\Seen \\Deleted)
12:00:02.010 S: * 3 EXISTS
12:00:02.010 S: a2 OK [READ-WRITE] SELECT completed
12:00:03.000 C: a3 APPEND INBOX {18}
12:00:03.001 S: + Ready for literal data
12:00:03.002 C: Subject: hi
12:00:03.002 C: 
12:00:03.002 C: x
12:00:03.002 C: 
12:00:03.010 S: a3 NO [OVERQUOTA] quota exceeded
`;

describe('scripts from transcripts', () => {
  test('IMAP: timestamps removed, status-only expectations with tags, redactions become secrets, literals become blocks', () => {
    const { text, warnings } = scriptFromTranscript(IMAP);
    assert.deepEqual(warnings, []);
    const body = text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .join('\n');
    assert.equal(
      body,
      [
        '@connect imap://127.0.0.1:1143',
        'S: * OK',
        'C: a1 LOGIN alice {{$secret secret1}}',
        'S: a1 OK',
        'C: a2 SELECT INBOX',
        'S: a2 OK',
        'C: a3 APPEND INBOX {}',
        '<<<',
        'Subject: hi',
        '>>>',
        'S: a3 NO',
      ]
        .join('\n')
        // The literal's empty line survives inside the block.
        .replace('Subject: hi\n>>>', 'Subject: hi\nx\n>>>'),
    );
    assert.match(text, /MAILWIRE_SECRET_SECRET1/);
  });

  test('the generated script parses cleanly and replays against the same dialogue', async () => {
    const { text } = scriptFromTranscript(IMAP);
    const { script, diagnostics } = parseScript(text, { fileName: 'replay.mailwire' });
    assert.deepEqual(diagnostics, []);
    const literal = script.connections[0]?.steps[2] as CommandStep;
    assert.equal(literal.payload?.body.kind === 'inline' ? literal.payload.body.lines.length : 0, 3);
    const target = new FakeTarget([
      {
        greeting: ok('* OK other day, other banner'),
        exchanges: [
          { expect: 'a1 LOGIN alice pw', reply: ok('a1 OK welcome') },
          { expect: 'a2 SELECT INBOX', reply: ok('* 9 EXISTS', 'a2 OK done') },
          { expect: 'a3 APPEND INBOX {18}', reply: cont('+ go') },
          { expect: 'Subject: hi\r\n\r\nx\r\n\r\n', reply: ok('a3 NO [OVERQUOTA] still full') },
        ],
      },
    ]);
    const result = await runScript(script, target, {
      env: {},
      secrets: { get: () => Promise.resolve('pw') },
    });
    assert.equal(result.status, 'passed', JSON.stringify(result, null, 1));
  });

  test('SMTP: reply codes only, the DATA body becomes a block with dot-stuffing undone', () => {
    const transcript = [
      'S: 220-mx.example ESMTP',
      'S: 220 more banner',
      'C: EHLO me',
      'S: 250-mx.example',
      'S: 250 SIZE 100',
      'C: AUTH PLAIN ***',
      'S: 235 2.7.0 ok',
      'C: DATA',
      'S: 354 go',
      'C: Subject: x',
      'C: ..leading dot',
      'C: .',
      'S: 250 2.0.0 queued',
      'not a transcript line',
    ].join('\n');
    const { text, warnings } = scriptFromTranscript(transcript, { url: 'smtp://mx.example:587' });
    assert.deepEqual(warnings, ['1 line without C:, S: or L: ignored']);
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(lines, [
      '@connect smtp://mx.example:587',
      'S: 220',
      'C: EHLO me',
      'S: 250',
      'C: AUTH PLAIN {{$secret secret1}}',
      'S: 235',
      'C: DATA',
      'S: 354',
      '<<<',
      'Subject: x',
      '.leading dot',
      '>>>',
      'S: 250',
    ]);
    assert.deepEqual(parseScript(text, { fileName: 'r.smtp' }).diagnostics, []);
  });

  test('POP3 without a URL: recognised by its greeting, sandbox address with a comment, bodies dropped', () => {
    const transcript = [
      '[a] S: +OK POP3 ready',
      '[b] C: RETR 1',
      '[c] S: +OK 12 octets',
      '[d] S: Subject: x',
      '[e] S: .',
      'C: BOGUS',
      'S: -ERR what',
    ].join('\n');
    const { text } = scriptFromTranscript(transcript);
    assert.match(text, /# No server address in the transcript/);
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(lines, [
      '@connect pop3://127.0.0.1:1110',
      'S: +OK',
      'C: RETR 1',
      'S: +OK',
      'C: BOGUS',
      'S: -ERR',
    ]);
  });

  test('a note with a new URL starts a new @connect block; unknown protocol is a warning', () => {
    const transcript =
      'L: connect smtp://a:25\nS: 220 hi\nC: QUIT\nS: 221 bye\nL: connect pop3://b:110\nS: +OK\nC: QUIT\nS: +OK\n';
    const lines = scriptFromTranscript(transcript)
      .text.split('\n')
      .filter((l) => l.startsWith('@connect'));
    assert.deepEqual(lines, ['@connect smtp://a:25', '@connect pop3://b:110']);
    assert.match(scriptFromTranscript('S: hello\nC: x\n').warnings.join(), /could not tell the protocol/);
  });

  test('a literal whose lines do not add up stays as C: lines with a warning', () => {
    const transcript = 'S: * OK\nC: a1 APPEND INBOX {100}\nS: + go\nC: short\nS: a1 BAD\n';
    const { warnings, text } = scriptFromTranscript(transcript);
    assert.match(warnings.join(), /literal \{100\} kept as plain C: lines/);
    assert.match(text, /C: a1 APPEND INBOX \{100\}\nS: \+\nC: short\nS: a1 BAD/);
  });
});
