// Completion for "Send Line..." and script files: verbs valid in the state (and advertised),
// arguments from what the session learned, `@` settings and `{{variables}}`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  completeLine,
  completeScript,
  NO_COMPLETION_HINTS,
  type Completion,
  type CompletionHints,
} from '../../../src/language/completion.js';
import { scriptStateAt } from '../../../src/language/script-state.js';

const labels = (items: Completion[]) => items.map((i) => i.label);
/** What the line becomes after accepting `item` at the end of `text`. */
const accept = (text: string, item: Completion | undefined) => {
  assert.ok(item, 'an item to accept');
  return text.slice(0, item.replaceStart) + item.insertText;
};

const HINTS: CompletionHints = {
  mailboxes: ['INBOX', 'Sent', 'Spam "folder"'],
  flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '$Forwarded', '\\*'],
  saslMechanisms: ['PLAIN', 'SCRAM-SHA-256'],
  capabilities: ['IMAP4rev1', 'IDLE', 'AUTH=PLAIN', 'NAMESPACE'],
};

describe('completeLine', () => {
  test('IMAP verbs follow the state and the advertised capabilities', () => {
    const notAuth = labels(completeLine('imap', 'not-authenticated', '', HINTS));
    assert.ok(notAuth.includes('LOGIN') && notAuth.includes('CAPABILITY'));
    assert.ok(!notAuth.includes('SELECT') && !notAuth.includes('FETCH'));
    // STARTTLS is not advertised in HINTS: hidden.
    assert.ok(!notAuth.includes('STARTTLS'));
    assert.ok(
      labels(completeLine('imap', 'not-authenticated', '')).includes('STARTTLS'),
      'shown when capabilities are unknown',
    );

    const selected = labels(completeLine('imap', 'selected', 'a5 ', HINTS));
    assert.ok(selected.includes('FETCH') && selected.includes('STORE') && selected.includes('IDLE'));
    assert.ok(!selected.includes('LOGIN'));
    assert.ok(!selected.includes('MOVE'), 'MOVE is not advertised');
    assert.equal(accept('a5 SEL', completeLine('imap', 'selected', 'a5 SEL', HINTS)[0]), 'a5 SELECT ');
    // A verb typed without a tag gets one.
    assert.equal(
      accept('noo', completeLine('imap', 'selected', 'noo', { ...HINTS, tag: 'a7' })[0]),
      'a7 NOOP',
    );
  });

  test('IMAP UID variants, mailboxes (quoted when needed), flags and SASL mechanisms', () => {
    assert.deepEqual(labels(completeLine('imap', 'selected', 'a1 UID F', HINTS)), ['UID FETCH']);
    assert.equal(accept('a1 UID F', completeLine('imap', 'selected', 'a1 UID F', HINTS)[0]), 'a1 UID FETCH ');
    const boxes = completeLine('imap', 'authenticated', 'a2 SELECT ', HINTS);
    assert.deepEqual(labels(boxes), ['INBOX', 'Sent', 'Spam "folder"']);
    assert.equal(accept('a2 SELECT ', boxes[2]), 'a2 SELECT "Spam \\"folder\\""');
    assert.deepEqual(labels(completeLine('imap', 'selected', 'a3 COPY 1:3 S', HINTS)), [
      'Sent',
      'Spam "folder"',
    ]);
    const flags = completeLine('imap', 'selected', 'a4 STORE 1 +FLAGS (\\F', HINTS);
    assert.deepEqual(labels(flags), ['\\Flagged']);
    assert.equal(accept('a4 STORE 1 +FLAGS (\\F', flags[0]), 'a4 STORE 1 +FLAGS (\\Flagged');
    assert.ok(!labels(completeLine('imap', 'selected', 'a4 STORE 1 FLAGS (', HINTS)).includes('\\*'));
    assert.deepEqual(labels(completeLine('imap', 'not-authenticated', 'a1 AUTHENTICATE ', HINTS)), [
      'PLAIN',
      'SCRAM-SHA-256',
    ]);
    assert.ok(labels(completeLine('imap', 'selected', 'a1 FETCH 1 (FL', HINTS)).includes('FLAGS'));
  });

  test('SMTP verbs by transaction state, with parameters the server advertised', () => {
    const ready = labels(completeLine('smtp', 'ready', '', NO_COMPLETION_HINTS));
    assert.ok(
      ready.includes('MAIL') && ready.includes('AUTH') && !ready.includes('RCPT') && !ready.includes('DATA'),
    );
    const rcpt = labels(completeLine('smtp', 'rcpt', '', NO_COMPLETION_HINTS));
    assert.ok(rcpt.includes('RCPT') && rcpt.includes('DATA') && !rcpt.includes('MAIL'));
    assert.equal(
      accept('MAIL ', completeLine('smtp', 'ready', 'MAIL ', NO_COMPLETION_HINTS)[0]),
      'MAIL FROM:<>',
    );
    const ehlo = {
      ...NO_COMPLETION_HINTS,
      capabilities: ['PIPELINING', 'SIZE 10240000', 'AUTH PLAIN LOGIN'],
      saslMechanisms: ['PLAIN', 'LOGIN'],
    };
    assert.deepEqual(labels(completeLine('smtp', 'ready', 'MAIL FROM:<a@b> ', ehlo)), ['SIZE=']);
    assert.ok(
      !labels(completeLine('smtp', 'ready', '', ehlo)).includes('STARTTLS'),
      'STARTTLS not advertised',
    );
    assert.deepEqual(labels(completeLine('smtp', 'ready', 'AUTH ', ehlo)), ['PLAIN', 'LOGIN']);
  });

  test('POP3 verbs by state and message numbers as arguments', () => {
    const authz = labels(completeLine('pop3', 'authorization', '', NO_COMPLETION_HINTS));
    assert.ok(authz.includes('USER') && authz.includes('STLS') && !authz.includes('RETR'));
    const trans = labels(completeLine('pop3', 'transaction', 'R', NO_COMPLETION_HINTS));
    assert.deepEqual(trans, ['RETR', 'RSET']);
    assert.deepEqual(
      labels(
        completeLine('pop3', 'transaction', 'DELE ', { ...NO_COMPLETION_HINTS, messageNumbers: [1, 2, 3] }),
      ),
      ['1', '2', '3'],
    );
  });
});

describe('completeScript', () => {
  const script = [
    '@set user alice', // 0
    '@connect imap://127.0.0.1:1143', // 1
    'S: * OK', // 2
    'C: a1 LOGIN {{user}} {{$secret alice}}', // 3
    'S: a1 OK', // 4
    'C: a2 SELECT INBOX', // 5
    'S: /^\\* (?<count>\\d+) EXISTS/', // 6
    'C: a3 FETCH {{', // 7
    'C: a4 ', // 8
    'S: ', // 9
    '@tls a', // 10
    '@t', // 11
  ];
  const doc = { lines: script, fileName: 'check.mailwire' };

  test('the state after LOGIN and SELECT lines is selected', () => {
    assert.equal(scriptStateAt(script, 3, 'imap'), 'not-authenticated');
    assert.equal(scriptStateAt(script, 5, 'imap'), 'authenticated');
    assert.equal(scriptStateAt(script, 8, 'imap'), 'selected');
  });

  test('C: lines complete verbs for the estimated state, at the right column', () => {
    const items = completeScript(doc, 8, script[8]?.length ?? 0);
    assert.ok(labels(items).includes('FETCH') && !labels(items).includes('LOGIN'));
    assert.equal(
      accept(
        script[8] ?? '',
        items.find((i) => i.label === 'EXPUNGE'),
      ),
      'C: a4 EXPUNGE',
    );
  });

  test('{{ offers variables defined above (from @set and regex groups), $secret and $env', () => {
    const items = completeScript(doc, 7, script[7]?.length ?? 0);
    assert.deepEqual(labels(items), ['user', 'count', '$secret', '$env']);
    assert.equal(accept(script[7] ?? '', items[1]), 'C: a3 FETCH {{count}}');
    // Variables defined later are not offered.
    assert.deepEqual(labels(completeScript(doc, 3, 'C: a1 LOGIN {{'.length)), ['user', '$secret', '$env']);
  });

  test('S: lines offer the tagged status of the command above; @ lines offer directives and their values', () => {
    assert.deepEqual(labels(completeScript(doc, 9, 3)).slice(0, 3), ['a4 OK', 'a4 NO', 'a4 BAD']);
    assert.deepEqual(labels(completeScript(doc, 10, 6)), ['accept-unverified']);
    assert.deepEqual(labels(completeScript(doc, 11, 2)), ['@timeout', '@tls']);
    const start = labels(completeScript({ lines: [''], fileName: 'x.smtp' }, 0, 0));
    assert.ok(start.includes('C:') && start.includes('S:') && start.includes('@connect'));
    assert.deepEqual(labels(completeScript({ lines: ['@connect '], fileName: 'x.smtp' }, 0, 9)), [
      'smtp://127.0.0.1:2525',
      'smtps://127.0.0.1:2465',
    ]);
  });

  test('a .pop3 file without @connect uses the file protocol', () => {
    const lines = ['C: USER alice', 'C: PASS x', 'C: '];
    const items = labels(completeScript({ lines, fileName: 'keep.pop3' }, 2, 3));
    assert.ok(items.includes('RETR') && items.includes('DELE') && !items.includes('USER'));
  });
});
