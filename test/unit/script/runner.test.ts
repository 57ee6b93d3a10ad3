import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript, protocolFromFileName } from '../../../src/script/parser.js';
import { runScript, type RunOptions } from '../../../src/script/runner.js';
import { toJUnitXml } from '../../../src/script/junit.js';
import type { ScriptResult } from '../../../src/script/result.js';
import type { ScriptTarget } from '../../../src/script/target.js';
import { FakeTarget, ok, no, cont, type FakeSession } from './fake-target.js';

async function run(
  text: string,
  sessions: FakeSession[],
  options: RunOptions = {},
  fileName = 'test.mailwire',
) {
  const { script, diagnostics } = parseScript(text, {
    fileName,
    defaultProtocol: protocolFromFileName(fileName),
  });
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const target = new FakeTarget(sessions);
  const result = await runScript(script, target, { env: {}, ...options });
  return { result, target };
}

function statuses(result: ScriptResult): string[][] {
  return result.connections.map((c) => c.steps.map((s) => `${s.kind}:${s.status}`));
}

const STORY = `@connect smtp://127.0.0.1:2525
S: 220
C: EHLO client.example
S: 250
C: MAIL FROM:<bob@example.test>
C: RCPT TO:<alice@example.test>
S: 250
C: DATA
S: 354
<<<
Subject: hello

.dot line
>>>
S: 250
C: QUIT

@connect imap://127.0.0.1:1143
C: a1 LOGIN alice {{$env MAILWIRE_PASSWORD}}
S: a1 OK
C: a2 SELECT INBOX
S: /\\* (?<count>\\d+) EXISTS/
C: a3 FETCH {{count}} (FLAGS ENVELOPE)
S: a3 OK
`;

const SMTP_OK: FakeSession = {
  greeting: ok('220 sandbox ESMTP'),
  exchanges: [
    { expect: 'EHLO client.example', reply: ok('250-sandbox', '250 SIZE 1000') },
    { expect: 'MAIL FROM:<bob@example.test>', reply: ok('250 ok') },
    { expect: 'RCPT TO:<alice@example.test>', reply: ok('250 ok') },
    { expect: 'DATA', reply: cont('354 go ahead') },
    { expect: 'Subject: hello\r\n\r\n..dot line\r\n.\r\n', reply: ok('250 queued as 1') },
    { expect: 'QUIT', reply: ok('221 bye') },
  ],
};

const imapSession = (loginReply = ok('a1 OK logged in')): FakeSession => ({
  greeting: ok('* OK IMAP ready'),
  exchanges: [
    { expect: 'a1 LOGIN alice hunter2', reply: loginReply },
    { expect: 'a2 SELECT INBOX', reply: ok('* FLAGS ()', '* 7 EXISTS', 'a2 OK [READ-WRITE] done') },
    { expect: 'a3 FETCH 7 (FLAGS ENVELOPE)', reply: ok('* 7 FETCH (FLAGS ())', 'a3 OK done') },
  ],
});

describe('runner with a fake target', () => {
  test('the issue example passes: dot-stuffed DATA, env password, named group used later', async () => {
    const { result, target } = await run(STORY, [SMTP_OK, imapSession()], {
      env: { MAILWIRE_PASSWORD: 'hunter2' },
    });
    assert.equal(result.status, 'passed', JSON.stringify(result, null, 1));
    assert.deepEqual(statuses(result), [
      ['connect:passed', 'greeting:passed', ...Array<string>(5).fill('command:passed')],
      ['connect:passed', 'greeting:passed', 'command:passed', 'command:passed', 'command:passed'],
    ]);
    assert.deepEqual(
      target.connects.map((c) => [c.protocol, c.host, c.port, c.implicitTls]),
      [
        ['smtp', '127.0.0.1', 2525, false],
        ['imap', '127.0.0.1', 1143, false],
      ],
    );
    // The password went out as a secret for the transcript, and never into the results.
    assert.deepEqual(target.sent[1]?.[0]?.secrets, ['hunter2']);
    assert.equal(result.connections[1]?.steps[2]?.title, 'a1 LOGIN alice <redacted>');
    assert.equal(result.connections[1]?.steps[4]?.title, 'a3 FETCH 7 (FLAGS ENVELOPE)');
    assert.equal(target.closed.every(Boolean), true);
  });

  test('a failed expectation ends its connection (rest skipped, closed) and the next @connect still runs', async () => {
    const twoImap = `${STORY.slice(STORY.indexOf('@connect imap'))}\n@connect imap://127.0.0.1:1143\nC: a1 LOGIN alice x\nS: a1 OK\n`;
    const { result, target } = await run(
      twoImap,
      [
        imapSession(no('a1 NO [AUTHENTICATIONFAILED] Authentication failed.')),
        { greeting: ok('* OK'), exchanges: [{ expect: 'a1 LOGIN alice x', reply: ok('a1 OK') }] },
      ],
      { env: { MAILWIRE_PASSWORD: 'hunter2' } },
    );
    assert.equal(result.status, 'failed');
    assert.deepEqual(statuses(result), [
      ['connect:passed', 'greeting:passed', 'command:failed', 'command:skipped', 'command:skipped'],
      ['connect:passed', 'greeting:passed', 'command:passed'],
    ]);
    const login = result.connections[0]?.steps[2];
    assert.equal(
      login?.message,
      'expected a line starting with "a1 OK", got: "a1 NO [AUTHENTICATIONFAILED] Authentication failed."',
    );
    assert.deepEqual(
      login?.expectations.map((e) => [e.line, e.status]),
      [[3, 'failed']],
    );
    assert.equal(target.sent[0]?.length, 1, 'nothing sent after the failure');
    assert.equal(target.closed[0], true);
  });

  test('a command without S: lines waits for its reply but does not judge it', async () => {
    const { result, target } = await run(
      '@connect smtp://h\nC: MAIL FROM:<x@y>\nC: DATA\n<<<\nx\n>>>\nC: QUIT\n',
      [
        {
          greeting: ok('220 hi'),
          exchanges: [
            { expect: 'MAIL FROM:<x@y>', reply: no('550 no') },
            { expect: 'DATA', reply: cont('354 go') },
            { expect: 'x\r\n.\r\n', reply: no('554 rejected') },
            { expect: 'QUIT', reply: ok('221') },
          ],
        },
      ],
    );
    assert.equal(result.status, 'passed');
    assert.equal(target.sent[0]?.length, 4);
    assert.deepEqual(result.connections[0]?.steps[3]?.reply, ['354 go', '554 rejected']);
  });

  test('DATA refused: the body is not sent', async () => {
    const { result, target } = await run('@connect smtp://h\nC: DATA\n<<<\nx\n>>>\nS: 250\n', [
      { greeting: ok('220 hi'), exchanges: [{ expect: 'DATA', reply: no('503 need RCPT') }] },
    ]);
    const step = result.connections[0]?.steps[2];
    assert.equal(step?.status, 'failed');
    assert.equal(
      step?.message,
      'the server did not ask for the message body (expected 354), got: "503 need RCPT"',
    );
    assert.deepEqual(
      step?.expectations.map((e) => e.status),
      ['skipped'],
    );
    assert.equal(target.sent[0]?.length, 1);
  });

  test('IMAP literal: the runner writes the octet count, waits for +, sends the literal and CRLF', async () => {
    const text =
      '@connect imap://h\nC: a1 APPEND INBOX {}\nS: +\n<<<\nSubject: é\n>>>\nS: a1 OK\nC: a2 LOGIN bob\n<<<\npw\n>>>\n';
    const { result, target } = await run(text, [
      {
        greeting: ok('* OK'),
        exchanges: [
          { expect: 'a1 APPEND INBOX {13}', reply: cont('+ Ready') },
          { expect: 'Subject: é\r\n\r\n', reply: ok('a1 OK [APPENDUID 1 1] done') },
          { expect: 'a2 LOGIN bob {4}', reply: cont('+ go') },
          { expect: 'pw\r\n\r\n', reply: ok('a2 OK') },
        ],
      },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result, null, 1));
    assert.deepEqual(
      target.sent[0]?.map((s) => s.kind),
      ['line', 'imap-literal', 'line', 'imap-literal'],
    );
    assert.deepEqual(result.connections[0]?.steps[2]?.reply, ['+ Ready', 'a1 OK [APPENDUID 1 1] done']);
  });

  test('<<< @file reads the body relative to the script', async () => {
    const read: string[] = [];
    const { result } = await run(
      '@connect smtp://h\nC: DATA\n<<< @file mail/hello.eml\nS: 250\n',
      [
        {
          greeting: ok('220'),
          exchanges: [
            { expect: 'DATA', reply: cont('354') },
            { expect: 'A: b\r\n\r\nhi\r\n.\r\n', reply: ok('250 ok') },
          ],
        },
      ],
      {
        readFile: (p) => {
          read.push(p);
          return Promise.resolve(Buffer.from('A: b\n\nhi'));
        },
      },
      '/scripts/send.smtp',
    );
    assert.equal(result.status, 'passed', JSON.stringify(result, null, 1));
    assert.deepEqual(read, ['/scripts/mail/hello.eml']);
  });

  test('STARTTLS upgrades after a positive reply only', async () => {
    const text = '@connect smtp://h\nC: STARTTLS\nC: EHLO x\n\n@connect pop3://h\nC: STLS\nS: -ERR\n';
    const { result, target } = await run(text, [
      {
        greeting: ok('220'),
        exchanges: [
          { expect: 'STARTTLS', reply: ok('220 go') },
          { expect: 'EHLO x', reply: ok('250 hi') },
        ],
      },
      { greeting: ok('+OK'), exchanges: [{ expect: 'STLS', reply: no('-ERR no') }] },
    ]);
    assert.equal(result.status, 'passed');
    assert.deepEqual(
      target.sent[0]?.map((s) => s.kind),
      ['line', 'starttls', 'line'],
    );
    assert.deepEqual(
      target.sent[1]?.map((s) => s.kind),
      ['line'],
    );
  });

  test('a TLS failure is an error with its reason', async () => {
    const { result } = await run('@connect imap://h\nC: a1 STARTTLS\nC: a2 NOOP\n', [
      {
        greeting: ok('* OK'),
        exchanges: [{ expect: 'a1 STARTTLS', reply: ok('a1 OK begin') }],
        tlsError: 'certificate has expired',
      },
    ]);
    assert.deepEqual(statuses(result), [
      ['connect:passed', 'greeting:passed', 'command:error', 'command:skipped'],
    ]);
    assert.equal(result.connections[0]?.steps[2]?.message, 'certificate has expired');
  });

  test('@timeout: a reply that never comes is an error, and the connection is closed', async () => {
    const start = Date.now();
    const { result, target } = await run(
      '@timeout 50ms\n@connect imap://h\nC: a1 NOOP\nS: a1 OK\nC: a2 NOOP\n',
      [{ greeting: ok('* OK'), exchanges: [{ expect: 'a1 NOOP', reply: 'hang' }] }],
    );
    assert.ok(Date.now() - start < 2000);
    const step = result.connections[0]?.steps[2];
    assert.equal(step?.status, 'error');
    assert.equal(
      step?.message,
      'no answer: timed out after 50ms waiting for the reply to "a1 NOOP" (@timeout)',
    );
    assert.equal(target.closed[0], true);
    assert.equal(result.connections[0]?.steps[3]?.status, 'skipped');
  });

  test('a connect that times out is an error, and a connection that opens late is closed', async () => {
    let closed = false;
    const slow: ScriptTarget = {
      connect: () =>
        new Promise((resolve) =>
          setTimeout(
            () =>
              resolve({
                greeting: () => Promise.resolve(ok('* OK')),
                send: () => Promise.reject(new Error('unused')),
                sendPayload: () => Promise.reject(new Error('unused')),
                startTls: () => Promise.resolve(),
                close: () => {
                  closed = true;
                },
              }),
            60,
          ),
        ),
    };
    const { script } = parseScript('@timeout 20ms\n@connect imap://h\nC: a1 NOOP\n', { fileName: 't.imap' });
    const result = await runScript(script, slow, { env: {} });
    assert.equal(
      result.connections[0]?.steps[0]?.message,
      'no answer: timed out after 20ms waiting for the connection to imap://h (@timeout)',
    );
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(closed, true);
  });

  test('greeting timeout and mismatch', async () => {
    const { result } = await run(
      '@timeout 30ms\n@connect imap://h\nC: a1 NOOP\n\n@connect smtp://h\nS: 220\nC: QUIT\n',
      [
        { greeting: 'hang', exchanges: [] },
        { greeting: ok('554 go away'), exchanges: [] },
      ],
    );
    assert.deepEqual(statuses(result), [
      ['connect:passed', 'greeting:error', 'command:skipped'],
      ['connect:passed', 'greeting:failed', 'command:skipped'],
    ]);
    assert.match(
      result.connections[1]?.steps[1]?.message ?? '',
      /expected a line starting with "220", got: "554 go away"/,
    );
  });

  test('a refused connection is an error; its steps are skipped', async () => {
    const { result } = await run('@connect imap://h:1143\nS: * OK\nC: a1 NOOP\n', [
      { refuse: 'Connection refused by h:1143', greeting: ok(''), exchanges: [] },
    ]);
    assert.equal(result.status, 'error');
    assert.deepEqual(statuses(result), [['connect:error', 'greeting:skipped', 'command:skipped']]);
    assert.equal(result.connections[0]?.steps[0]?.message, 'Connection refused by h:1143');
  });

  test('a variable whose capture failed in an earlier connection is an error at run time with its line', async () => {
    const text =
      '@connect imap://h\nC: a1 SELECT INBOX\nS: /(?<n>\\d+) EXISTS/\n\n@connect imap://h\nC: a2 FETCH {{n}} FLAGS\n';
    const { result } = await run(text, [
      {
        greeting: ok('* OK'),
        exchanges: [{ expect: 'a1 SELECT INBOX', reply: no('a1 NO no such mailbox') }],
      },
      { greeting: ok('* OK'), exchanges: [] },
    ]);
    assert.equal(result.connections[1]?.steps[2]?.status, 'error');
    assert.equal(
      result.connections[1]?.steps[2]?.message,
      'undefined variable {{n}} at line 6 (set by @set or a named group)',
    );
  });

  test('@strict on: extra reply lines fail', async () => {
    const { result } = await run('@connect imap://h\n@strict on\nC: a1 NOOP\nS: a1 OK\n', [
      { greeting: ok('* OK'), exchanges: [{ expect: 'a1 NOOP', reply: ok('* 3 EXISTS', 'a1 OK') }] },
    ]);
    assert.equal(result.status, 'failed');
  });

  test('SASL-style continuation: the next C: line answers the challenge', async () => {
    const text =
      '@connect smtp://h\nC: AUTH LOGIN\nS: 334\nC: {{$secret user}}\nS: 334\nC: {{$secret pw}}\nS: 235\n';
    const secrets: Record<string, string> = { user: 'YWxpY2U=', pw: 'c2VjcmV0' };
    const { result, target } = await run(
      text,
      [
        {
          greeting: ok('220'),
          exchanges: [
            { expect: 'AUTH LOGIN', reply: cont('334 VXNlcm5hbWU6') },
            { expect: 'YWxpY2U=', reply: cont('334 UGFzc3dvcmQ6') },
            // A hostile server echoing the secret back must not leak it into the results.
            { expect: 'c2VjcmV0', reply: ok('235 welcome c2VjcmV0') },
          ],
        },
      ],
      { secrets: { get: (n) => Promise.resolve(secrets[n]) } },
    );
    assert.equal(result.status, 'passed');
    assert.deepEqual(target.sent[0]?.[2]?.secrets, ['c2VjcmV0']);
    const everything = JSON.stringify(result) + toJUnitXml(result);
    assert.ok(!everything.includes('c2VjcmV0'));
    assert.ok(!everything.includes('YWxpY2U='));
    assert.ok(everything.includes('235 welcome <redacted>'));
  });

  test('failure messages that quote a reply echoing a secret are redacted too', async () => {
    const { result } = await run(
      '@connect imap://h\nC: a1 LOGIN alice {{$env PW}}\nS: a1 OK\n',
      [
        {
          greeting: ok('* OK'),
          exchanges: [{ expect: 'a1 LOGIN alice pw-123', reply: no('a1 NO wrong password pw-123') }],
        },
      ],
      { env: { PW: 'pw-123' } },
    );
    const everything = JSON.stringify(result) + toJUnitXml(result);
    assert.ok(!everything.includes('pw-123'));
    assert.match(result.connections[0]?.steps[2]?.message ?? '', /got: "a1 NO wrong password <redacted>"/);
  });

  test('a failing @set before the first @connect stops the script', async () => {
    const { result, target } = await run('@set pw {{$env NOPE}}\n@connect imap://h\nC: a1 NOOP\n', []);
    assert.equal(result.status, 'error');
    assert.match(result.message ?? '', /environment variable NOPE is not set \(line 1\)/);
    assert.deepEqual(statuses(result), [['connect:skipped', 'greeting:skipped', 'command:skipped']]);
    assert.equal(target.connects.length, 0);
  });

  test('onStep reports each step as it finishes', async () => {
    const seen: string[] = [];
    await run(
      '@connect smtp://h\nC: QUIT\n',
      [{ greeting: ok('220'), exchanges: [{ expect: 'QUIT', reply: ok('221') }] }],
      {
        onStep: (i, s) => seen.push(`${i}:${s.kind}`),
      },
    );
    assert.deepEqual(seen, ['0:connect', '0:greeting', '0:command']);
  });
});
