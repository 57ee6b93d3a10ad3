import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseScript, protocolFromFileName, hasErrors } from '../../../src/script/parser.js';
import type { CommandStep, ScriptDiagnostic } from '../../../src/script/ast.js';

const BRIEF_EXAMPLE = `# send a message, then read it back
@connect smtp://127.0.0.1:2525
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

body text
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

function parse(text: string, fileName = 'x.mailwire') {
  return parseScript(text, { fileName, defaultProtocol: protocolFromFileName(fileName) });
}

/** The single diagnostic a snippet produces (after an @connect line when `connect`). */
function only(text: string, fileName = 'x.mailwire'): ScriptDiagnostic {
  const { diagnostics } = parse(text, fileName);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  return diagnostics[0] as ScriptDiagnostic;
}

function commands(text: string, fileName = 'x.mailwire'): CommandStep[] {
  const { script } = parse(text, fileName);
  return script.connections.flatMap((c) => c.steps.filter((s): s is CommandStep => s.kind === 'command'));
}

describe('parser: good scripts', () => {
  test('the example from the issue parses into two connections with their expectations', () => {
    const { script, diagnostics } = parse(BRIEF_EXAMPLE);
    assert.deepEqual(diagnostics, []);
    assert.equal(script.connections.length, 2);
    const [smtp, imap] = script.connections;
    assert.equal(smtp?.protocol, 'smtp');
    assert.equal(smtp?.greeting.length, 1);
    assert.equal(imap?.protocol, 'imap');
    assert.equal(imap?.greeting.length, 0);
    const data = smtp?.steps[3] as CommandStep;
    assert.equal(data.source, 'DATA');
    assert.equal(data.expectations[0]?.source, '354');
    assert.equal(data.payload?.kind, 'smtp-data');
    assert.equal(data.payload?.expectations[0]?.source, '250');
    assert.equal(data.payload?.body.kind === 'inline' ? data.payload.body.lines.length : -1, 3);
    // MAIL FROM has no S: of its own; the 250 after RCPT belongs to RCPT.
    assert.equal((smtp?.steps[1] as CommandStep).expectations.length, 0);
    assert.equal((smtp?.steps[2] as CommandStep).expectations.length, 1);
    const select = imap?.steps[1] as CommandStep;
    const regex = select.expectations[0];
    assert.equal(regex?.kind, 'regex');
    assert.deepEqual(regex?.kind === 'regex' ? regex.groupNames : [], ['count']);
    const fetch = imap?.steps[2] as CommandStep;
    assert.deepEqual(fetch.text[1], {
      kind: 'var',
      name: 'count',
      span: { line: 24, column: 13, endColumn: 22 },
    });
  });

  test('keeps source positions of commands and expectations', () => {
    const { script } = parse('@connect imap://h:1\n  C: a1 NOOP\nS:   a1 OK\n');
    const cmd = script.connections[0]?.steps[0] as CommandStep;
    assert.deepEqual(cmd.span, { line: 2, column: 3, endColumn: 13 });
    assert.deepEqual(cmd.expectations[0]?.span, { line: 3, column: 6, endColumn: 11 });
    assert.equal(cmd.expectations[0]?.source, 'a1 OK');
  });

  test('C: text is kept exactly, after the one separating space', () => {
    const [c] = commands('@connect smtp://h\nC: MAIL FROM:<a@b>  SIZE=10\n');
    assert.equal(c?.source, 'MAIL FROM:<a@b>  SIZE=10');
  });

  test('a .imap file may omit the scheme; a .mailwire file may not', () => {
    assert.deepEqual(parse('@connect 127.0.0.1:1143\n', 'a.imap').diagnostics, []);
    assert.equal(parse('@connect 127.0.0.1:1143\n', 'a.imap').script.connections[0]?.protocol, 'imap');
    assert.match(only('@connect 127.0.0.1:1143\n').message, /has no scheme/);
  });

  test('implicit TLS schemes, settings and @set are recorded in order', () => {
    const { script, diagnostics } = parse(
      '@timeout 500ms\n@tls accept-unverified\n@set user alice\n@connect imaps://h\n@strict on\nC: a1 LOGIN {{user}} x\n',
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      script.preamble.map((s) => s.kind),
      ['timeout', 'tls', 'set'],
    );
    assert.equal(script.preamble[0]?.kind === 'timeout' ? script.preamble[0].ms : 0, 500);
    assert.equal(script.connections[0]?.implicitTls, true);
    assert.deepEqual(
      script.connections[0]?.steps.map((s) => s.kind),
      ['strict', 'command'],
    );
  });

  test('IMAP: a line ending in {} takes the following block as its literal', () => {
    const [c] = commands('@connect imap://h\nC: a1 APPEND INBOX {}\nS: +\n<<<\nSubject: x\n>>>\nS: a1 OK\n');
    assert.equal(c?.payload?.kind, 'imap-literal');
    assert.equal(c?.expectations[0]?.source, '+');
    assert.equal(c?.payload?.expectations[0]?.source, 'a1 OK');
  });

  test('<<< @file takes the body from a file', () => {
    const [c] = commands('@connect smtp://h\nC: DATA\n<<< @file bodies/hello.eml\nS: 250\n');
    assert.deepEqual(c?.payload?.body, {
      kind: 'file',
      path: 'bodies/hello.eml',
      span: { line: 3, column: 1, endColumn: 27 },
    });
  });

  test('a block keeps lines that look like script syntax', () => {
    const [c] = commands('@connect smtp://h\nC: DATA\n<<<\nC: not a command\n# not a comment\n>>>\n');
    const body = c?.payload?.body;
    assert.deepEqual(
      body?.kind === 'inline'
        ? body.lines.map((l) => l.map((p) => (p.kind === 'text' ? p.text : '?')).join(''))
        : [],
      ['C: not a command', '# not a comment'],
    );
  });

  test('a byte order mark at the start is ignored', () => {
    assert.deepEqual(parse('\uFEFF@connect smtp://h\n').diagnostics, []);
  });

  test('CRLF files parse the same as LF files', () => {
    const lf = parse(BRIEF_EXAMPLE);
    const crlf = parse(BRIEF_EXAMPLE.replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf.diagnostics, []);
    assert.deepEqual(JSON.stringify(crlf.script), JSON.stringify(lf.script));
  });

  test('every example in media/examples parses without diagnostics', () => {
    const dir = join(__dirname, '../../../media/examples');
    const files = readdirSync(dir);
    assert.ok(files.length >= 4);
    for (const f of files) {
      const { diagnostics, script } = parseScript(readFileSync(join(dir, f), 'utf8'), {
        fileName: f,
        defaultProtocol: protocolFromFileName(f),
      });
      assert.deepEqual(diagnostics, [], f);
      assert.ok(script.connections.length >= 1, f);
    }
  });
});

describe('parser: mistakes, with line and column', () => {
  test('unknown directive suggests the closest one', () => {
    assert.deepEqual(only('@conect imap://h\n'), {
      line: 1,
      column: 1,
      endColumn: 8,
      severity: 'error',
      message: 'unknown directive @conect (did you mean @connect?)',
    });
    assert.match(only('@frobnicate\n').message, /unknown directive @frobnicate \(known: @connect, @set/);
  });

  test('S: and C: before any @connect', () => {
    assert.deepEqual(only('# hi\nS: 220\n'), {
      line: 2,
      column: 1,
      endColumn: 7,
      severity: 'error',
      message: 'S: before any @connect',
    });
    assert.equal(only('C: EHLO x\n').message, 'C: before any @connect');
  });

  test('unterminated block names the line it opened on', () => {
    const d = only('@connect smtp://h\nC: DATA\n<<<\nSubject: x\n');
    assert.equal(d.line, 3);
    assert.equal(d.message, 'unterminated <<< block opened at line 3');
  });

  test('invalid regular expression', () => {
    const d = only('@connect smtp://h\nS: /(/\n');
    assert.deepEqual([d.line, d.column, d.endColumn], [2, 4, 7]);
    assert.equal(d.message, 'invalid regular expression /(/: Unterminated group');
  });

  test('regex without a closing slash, and the g flag', () => {
    assert.match(only('@connect smtp://h\nS: /abc\n').message, /has no closing \//);
    const g = only('@connect smtp://h\nS: /abc/g\n');
    assert.equal(g.column, 9);
    assert.match(g.message, /flag g is not allowed/);
  });

  test('C: line has no command', () => {
    const d = only('@connect smtp://h\nC:   \n');
    assert.deepEqual([d.line, d.message], [2, 'C: line has no command']);
  });

  test('undefined variable is known statically; a later @set does not help an earlier line', () => {
    const d = only('@connect imap://h\nC: a1 FETCH {{cnt}} FLAGS\n@set cnt 1\n');
    assert.deepEqual(d, {
      line: 2,
      column: 13,
      endColumn: 20,
      severity: 'error',
      message: 'undefined variable {{cnt}} (set by @set or a named group)',
    });
    assert.deepEqual(
      parse('@connect imap://h\nC: a1 SELECT INBOX\nS: /(?<cnt>\\d+) EXISTS/\nC: a2 FETCH {{cnt}} FLAGS\n')
        .diagnostics,
      [],
    );
  });

  test('bad expansions', () => {
    assert.match(
      only('@connect imap://h\nC: a1 LOGIN {{$vault pw}}\n').message,
      /unknown expansion \{\{\$vault pw\}\}/,
    );
    assert.match(only('@connect imap://h\nC: a1 LOGIN {{$env}}\n').message, /needs a name/);
    const d = only('@connect imap://h\nC: a1 LOGIN {{pw\n');
    assert.deepEqual([d.column, d.message], [13, 'unclosed {{ (expected }} after it)']);
  });

  test('settings with wrong arguments', () => {
    assert.match(only('@timeout 5\n').message, /invalid @timeout "5"/);
    assert.match(only('@timeout 0s\n').message, /invalid @timeout/);
    assert.match(only('@strict maybe\n').message, /@strict takes on or off/);
    assert.match(only('@tls yes\n').message, /@tls takes accept-unverified or verify/);
    assert.match(only('@set\n').message, /@set needs a name/);
  });

  test('@connect problems', () => {
    assert.match(only('@connect\n').message, /needs a URL/);
    assert.match(only('@connect ftp://h\n').message, /unknown scheme ftp:\/\//);
    assert.match(only('@connect imap://h:99999\n').message, /invalid port/);
    assert.match(only('@connect imap://alice:pw@h\n').message, /must not hold user or password/);
    // The lines of a broken block are not reported again as "before any @connect".
    assert.equal(parse('@connect ftp://h\nS: 220\nC: EHLO x\n').diagnostics.length, 1);
  });

  test('blocks in the wrong place', () => {
    assert.match(
      only('@connect pop3://h\nC: RETR 1\n<<<\nx\n>>>\n').message,
      /POP3 has no client message bodies/,
    );
    assert.match(only('@connect smtp://h\nC: EHLO x\n<<<\nx\n>>>\n').message, /follows C: DATA/);
    assert.match(only('@connect smtp://h\n<<<\nx\n>>>\n').message, /without a C: line/);
    assert.match(
      only('@connect smtp://h\nC: DATA\n<<<\nx\n>>>\n<<<\ny\n>>>\n').message,
      /second <<< block for the C: line at line 2/,
    );
    assert.equal(only('>>>\n').message, '>>> without an open <<< block');
  });

  test('IMAP {} without a block', () => {
    const d = only('@connect imap://h\nC: a1 APPEND INBOX {}\nS: a1 OK\n');
    assert.deepEqual([d.line, d.column, d.message], [2, 20, 'C: line ends in {} but no <<< block follows']);
  });

  test('trailing spaces on a C: line are a warning (they are sent)', () => {
    const { diagnostics } = parse('@connect smtp://h\nC: NOOP  \n');
    assert.deepEqual(diagnostics, [
      {
        line: 2,
        column: 8,
        endColumn: 10,
        severity: 'warning',
        message: 'trailing spaces are sent as written',
      },
    ]);
    assert.equal(commands('@connect smtp://h\nC: NOOP  \n')[0]?.source, 'NOOP  ');
  });

  test('lower-case c: and unrecognized lines', () => {
    assert.match(only('@connect smtp://h\nc: EHLO x\n').message, /did you mean C:\?/);
    assert.match(only('@connect smtp://h\nEHLO x\n').message, /unrecognized line/);
  });

  test('warnings do not count as errors', () => {
    const { diagnostics } = parse('@connect smtp://h\nS:\n');
    assert.equal(diagnostics[0]?.severity, 'warning');
    assert.equal(hasErrors(diagnostics), false);
  });

  test('never throws, and every diagnostic points inside the text', () => {
    const alphabet = [
      '@connect imap://h',
      'C: a1 X {{v}}',
      'S: /(?<v>x)/',
      'S: /(/',
      '<<<',
      '>>>',
      '@set v 1',
      'C: {}',
      '@tls',
      '',
      '{{',
      '# c',
      'S: {{$env A}}',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...alphabet), fc.string({ maxLength: 12 })), { maxLength: 30 }),
        (lines) => {
          const text = lines.join('\n');
          const { diagnostics } = parseScript(text, { fileName: 'p.mailwire' });
          const source = text.split(/\r?\n/);
          for (const d of diagnostics) {
            assert.ok(d.line >= 1 && d.line <= Math.max(source.length, 1), JSON.stringify(d));
            assert.ok(d.column >= 1 && d.endColumn > d.column, JSON.stringify(d));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
