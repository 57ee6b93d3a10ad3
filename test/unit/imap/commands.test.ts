import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ImapClientCodec, type ImapEvent } from '../../../src/protocol/imap/index.js';
import type { Outgoing } from '../../../src/protocol/types.js';
import type { SaslMechanism, SaslStep } from '../../../src/protocol/sasl/types.js';
import { ofType } from './dialogue.js';

function codecWith(caps: string): ImapClientCodec {
  const codec = new ImapClientCodec();
  codec.receive(Buffer.from(`* OK [CAPABILITY IMAP4rev1 ${caps}] ready\r\n`));
  return codec;
}

const text = (out: readonly Outgoing[]): string => out.map((o) => Buffer.from(o.bytes).toString()).join('');
const recv = (codec: ImapClientCodec, s: string): ImapEvent[] => codec.receive(Buffer.from(s));

/** The text of `o` with secret spans replaced, as a transcript would store it. */
function redacted(o: Outgoing): string {
  const b = Buffer.from(o.bytes);
  for (const [s, e] of o.secrets ?? []) b.fill('*', s, e);
  return b.toString();
}

describe('tags and correlation', () => {
  test('automatic tags A1, A2, ... and completion per tag, in any order', () => {
    const codec = codecWith('');
    const noop = codec.command('NOOP');
    const list = codec.command('LIST', ['', '*']);
    assert.deepEqual([noop.tag, list.tag], ['A1', 'A2']);
    assert.equal(text(codec.takeOutgoing()), 'A1 NOOP\r\nA2 LIST "" "*"\r\n');
    assert.deepEqual(codec.pending, [noop, list]);
    const events = recv(codec, 'A2 NO [CANNOT] nope\r\nA1 OK done\r\n');
    const completed = ofType(events, 'completed');
    assert.deepEqual(
      completed.map((c) => [c.command.tag, c.ok, c.text]),
      [
        ['A2', false, 'nope'],
        ['A1', true, 'done'],
      ],
    );
    assert.deepEqual(ofType(events, 'tagged')[0]?.code, { kind: 'flag', name: 'CANNOT' });
    assert.equal(codec.pending.length, 0);
  });

  test('a raw `a1 SELECT INBOX` then `a1 OK` moves to selected(INBOX)', () => {
    const codec = codecWith('');
    recv(codec, '');
    codec.sendRaw('a0 LOGIN bob pw');
    recv(codec, 'a0 OK in\r\n');
    const ref = codec.sendRaw('a1 SELECT INBOX');
    assert.deepEqual(ref, { id: 2, verb: 'SELECT', tag: 'a1' });
    const events = recv(codec, '* 3 EXISTS\r\na1 OK [READ-WRITE] done\r\n');
    assert.deepEqual(ofType(events, 'state')[0], { type: 'state', from: 'authenticated', to: 'selected' });
    assert.equal(codec.selected, 'INBOX');
    assert.equal(codec.readOnly, false);
    codec.sendRaw('a2 EXAMINE "Other box"');
    recv(codec, 'a2 NO no such mailbox\r\n');
    assert.equal(codec.state, 'authenticated', 'a failed SELECT leaves no mailbox selected');
    assert.equal(codec.selected, null);
  });

  test('raw lines are sent exactly as given, CRLF added only when missing', () => {
    const codec = codecWith('');
    codec.sendRaw('x1  noop  ');
    codec.sendRaw(Buffer.from('x2 NOOP\r\n'));
    codec.sendRaw('garbage without verb');
    assert.equal(text(codec.takeOutgoing()), 'x1  noop  \r\nx2 NOOP\r\ngarbage without verb\r\n');
  });

  test('a raw LOGIN with a literal password: the continuation line is secret', () => {
    const codec = codecWith('');
    const ref = codec.sendRaw('a1 LOGIN bob {4}');
    codec.command('NOOP');
    assert.equal(text(codec.takeOutgoing()), 'a1 LOGIN bob {4}\r\n');
    const events = recv(codec, '+ go ahead\r\n');
    assert.deepEqual(ofType(events, 'continuation')[0]?.command, ref);
    assert.equal(codec.sendRaw('pass'), ref, 'literal data continues the same command');
    const out = codec.takeOutgoing();
    assert.equal(out.map(redacted).join(''), '****\r\nA2 NOOP\r\n');
    const done = recv(codec, 'a1 OK [CAPABILITY IMAP4rev1] in\r\n');
    assert.deepEqual(ofType(done, 'completed')[0]?.command, ref);
    assert.equal(codec.state, 'authenticated');
  });

  test('a raw LOGIN has its password marked secret', () => {
    const codec = codecWith('');
    codec.sendRaw('a1 LOGIN "bob" "s3cr3t pw"');
    const [out] = codec.takeOutgoing();
    assert.ok(out);
    assert.equal(redacted(out), 'a1 LOGIN "bob" ***********\r\n');
  });

  test('a bad argument sends nothing and reports a client-error and a failed completion', () => {
    const codec = codecWith('');
    const ref = codec.command('SELECT', [{ quoted: 'a\r\nA9 DELETE INBOX' }]);
    assert.equal(codec.takeOutgoing().length, 0);
    const events = codec.takeEvents();
    assert.equal(events[0]?.type, 'client-error');
    assert.deepEqual(events[1]?.type === 'completed' ? [events[1].command, events[1].ok] : [], [ref, false]);
    assert.equal(codec.pending.length, 0);
  });
});

describe('client literals', () => {
  test('a synchronizing literal waits for `+`; later commands wait behind it', () => {
    const codec = codecWith('');
    const append = codec.command('APPEND', ['INBOX', { literal: 'Subject: hi\r\n\r\nbody' }]);
    const noop = codec.command('NOOP');
    assert.equal(text(codec.takeOutgoing()), 'A1 APPEND INBOX {19}\r\n');
    const events = recv(codec, '+ Ready for literal data\r\n');
    assert.deepEqual(ofType(events, 'continuation')[0]?.command, append);
    const out = codec.takeOutgoing();
    assert.equal(text(out), 'Subject: hi\r\n\r\nbody\r\nA2 NOOP\r\n');
    assert.equal(out[0]?.payload, true);
    assert.equal(out.at(-1)?.command, noop);
  });

  test('a refused literal (tagged NO instead of `+`) never sends its data and frees the queue', () => {
    const codec = codecWith('');
    codec.command('APPEND', ['INBOX', { literal: 'data' }]);
    codec.command('NOOP');
    codec.takeOutgoing();
    const events = recv(codec, 'A1 NO [TOOBIG] too big\r\n');
    assert.equal(ofType(events, 'completed')[0]?.ok, false);
    assert.equal(text(codec.takeOutgoing()), 'A2 NOOP\r\n');
  });

  test('LITERAL+ and LITERAL- use non-synchronizing literals', () => {
    const plus = codecWith('LITERAL+');
    plus.command('APPEND', ['INBOX', { literal: 'x'.repeat(5000) }]);
    assert.match(text(plus.takeOutgoing()), /^A1 APPEND INBOX \{5000\+\}\r\nx{5000}\r\n$/);
    const minus = codecWith('LITERAL-');
    minus.command('APPEND', ['INBOX', { literal: 'small' }, { literal: 'y'.repeat(5000) }]);
    assert.equal(text(minus.takeOutgoing()), 'A1 APPEND INBOX {5+}\r\nsmall {5000}\r\n');
  });

  test('a password that needs a literal is sent as one and marked secret', () => {
    const codec = codecWith('');
    codec.login('bob', 'pässwörd');
    const first = codec.takeOutgoing();
    assert.equal(text(first), 'A1 LOGIN bob {10}\r\n');
    recv(codec, '+ go\r\n');
    const [pw, end] = codec.takeOutgoing();
    assert.ok(pw && end);
    assert.deepEqual(pw.secrets, [[0, 10]]);
    assert.equal(redacted(pw), '**********');
    assert.equal(text([end]), '\r\n');
  });

  test('login() marks a quoted password as secret', () => {
    const codec = codecWith('');
    codec.login('bob', 'two words');
    const [out] = codec.takeOutgoing();
    assert.ok(out);
    assert.equal(redacted(out), 'A1 LOGIN bob ***********\r\n');
  });
});

class ScriptedMech implements SaslMechanism {
  readonly seen: string[] = [];
  constructor(
    readonly name: string,
    private readonly initial: Uint8Array | null,
    private readonly steps: SaslStep[],
    private readonly verdict: string | null = null,
  ) {}
  initialResponse(): Uint8Array | null {
    return this.initial;
  }
  respond(challenge: Uint8Array): SaslStep {
    this.seen.push(Buffer.from(challenge).toString());
    return this.steps.shift() ?? { kind: 'abort', reason: 'unexpected challenge' };
  }
  verifySuccess(): string | null {
    return this.verdict;
  }
}

describe('AUTHENTICATE', () => {
  const plain = Buffer.from('\0bob\0pw');

  test('SASL-IR: the initial response goes on the command line, base64, secret', () => {
    const codec = codecWith('SASL-IR AUTH=PLAIN');
    codec.authenticate(new ScriptedMech('PLAIN', plain, []));
    const [out] = codec.takeOutgoing();
    assert.ok(out);
    assert.equal(Buffer.from(out.bytes).toString(), `A1 AUTHENTICATE PLAIN ${plain.toString('base64')}\r\n`);
    assert.equal(redacted(out), 'A1 AUTHENTICATE PLAIN ************\r\n');
    const events = recv(codec, 'A1 OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n');
    assert.equal(codec.state, 'authenticated');
    assert.equal(ofType(events, 'client-error').length, 0);
    assert.deepEqual([...codec.capabilities], ['IMAP4REV1', 'IDLE']);
  });

  test('a long initial response (XOAUTH2 token) stays an atom on the command line', () => {
    const codec = codecWith('SASL-IR');
    const token = Buffer.alloc(1500, 0x7a);
    codec.authenticate(new ScriptedMech('XOAUTH2', token, []));
    const [out] = codec.takeOutgoing();
    assert.ok(out);
    assert.equal(
      Buffer.from(out.bytes).toString(),
      `A1 AUTHENTICATE XOAUTH2 ${token.toString('base64')}\r\n`,
    );
    assert.deepEqual(out.secrets, [[24, 24 + 2000]]);
  });

  test('without SASL-IR the initial response answers the first `+`; challenges are decoded', () => {
    const codec = codecWith('AUTH=X');
    const mech = new ScriptedMech('X-TEST', Buffer.from('first'), [
      { kind: 'respond', response: Buffer.from('second') },
    ]);
    codec.authenticate(mech);
    codec.command('NOOP');
    assert.equal(
      text(codec.takeOutgoing()),
      'A1 AUTHENTICATE X-TEST\r\n',
      'NOOP waits until AUTHENTICATE ends',
    );
    recv(codec, '+ \r\n');
    const [ir] = codec.takeOutgoing();
    assert.ok(ir);
    assert.equal(Buffer.from(ir.bytes).toString(), `${Buffer.from('first').toString('base64')}\r\n`);
    assert.equal(redacted(ir), '********\r\n');
    recv(codec, `+ ${Buffer.from('challenge').toString('base64')}\r\n`);
    assert.deepEqual(mech.seen, ['challenge']);
    assert.equal(text(codec.takeOutgoing()), `${Buffer.from('second').toString('base64')}\r\n`);
    recv(codec, 'A1 OK done\r\n');
    assert.equal(text(codec.takeOutgoing()), 'A2 NOOP\r\n');
  });

  test('an abort sends `*`; a bad base64 challenge too; both say why', () => {
    const codec = codecWith('');
    codec.authenticate(
      new ScriptedMech('SCRAM-SHA-256', null, [{ kind: 'abort', reason: 'server signature mismatch' }]),
    );
    codec.takeOutgoing();
    const events = recv(codec, `+ ${Buffer.from('v=bad').toString('base64')}\r\n`);
    assert.equal(text(codec.takeOutgoing()), '*\r\n');
    assert.match(ofType(events, 'client-error')[0]?.message ?? '', /server signature mismatch/);
    recv(codec, 'A1 BAD cancelled\r\n');

    codec.authenticate(new ScriptedMech('LOGIN', null, []));
    codec.takeOutgoing();
    const bad = recv(codec, '+ not base64!!\r\n');
    assert.equal(text(codec.takeOutgoing()), '*\r\n');
    assert.match(ofType(bad, 'client-error')[0]?.message ?? '', /not valid base64/);
  });

  test('a success the mechanism cannot verify is reported as a client-error', () => {
    const codec = codecWith('SASL-IR');
    codec.authenticate(
      new ScriptedMech('SCRAM-SHA-1', Buffer.from('n,,n=bob,r=abc'), [], 'no valid server signature'),
    );
    codec.takeOutgoing();
    const events = recv(codec, 'A1 OK welcome\r\n');
    assert.match(ofType(events, 'client-error')[0]?.message ?? '', /no valid server signature/);
  });
});

describe('IDLE, STARTTLS, close', () => {
  test('idle() / done(): DONE waits for the `+`, then the completion arrives', () => {
    const codec = codecWith('IDLE');
    const ref = codec.idle();
    codec.done();
    assert.equal(text(codec.takeOutgoing()), 'A1 IDLE\r\n');
    const events = recv(codec, '+ idling\r\n* 4 EXISTS\r\n');
    assert.equal(text(codec.takeOutgoing()), 'DONE\r\n');
    assert.equal(ofType(events, 'untagged')[0]?.response.kind, 'exists');
    const end = recv(codec, 'A1 OK IDLE terminated\r\n');
    assert.deepEqual(ofType(end, 'completed')[0]?.command, ref);
    codec.done();
    assert.match((codec.takeEvents()[0] as { message: string }).message, /no IDLE/);
  });

  test('commands issued during IDLE wait until DONE has been sent', () => {
    const codec = codecWith('IDLE');
    codec.idle();
    recv(codec, '+ idling\r\n');
    codec.command('NOOP');
    assert.equal(text(codec.takeOutgoing()), 'A1 IDLE\r\n');
    codec.done();
    assert.equal(text(codec.takeOutgoing()), 'DONE\r\nA2 NOOP\r\n');
  });

  test('startTls(): starttls-ready on OK (empty raw when nothing followed)', () => {
    const codec = codecWith('STARTTLS');
    const ref = codec.startTls();
    assert.equal(text(codec.takeOutgoing()), 'A1 STARTTLS\r\n');
    const events = recv(codec, 'A1 OK go\r\n');
    const ready = ofType(events, 'starttls-ready')[0];
    assert.deepEqual(ready?.command, ref);
    assert.equal(ready?.raw.length, 0);
    codec.tlsEstablished();
    assert.equal(codec.capabilities.size, 0);
  });

  test('STARTTLS refused: no starttls-ready, parsing goes on', () => {
    const codec = codecWith('STARTTLS');
    codec.startTls();
    const events = recv(codec, 'A1 NO not now\r\n* 2 EXISTS\r\n');
    assert.equal(ofType(events, 'starttls-ready').length, 0);
    assert.equal(ofType(events, 'untagged').length, 1);
  });

  test('closed(): pending commands fail and the state goes to logout', () => {
    const codec = codecWith('');
    const a = codec.command('NOOP');
    const events = codec.closed();
    assert.deepEqual(ofType(events, 'completed')[0], {
      type: 'completed',
      command: a,
      ok: false,
      text: 'connection closed before the reply',
    });
    assert.equal(codec.state, 'logout');
    assert.equal(codec.pending.length, 0);
  });
});

describe('state table', () => {
  test('LOGIN, SELECT, CLOSE, UNSELECT, LOGOUT through the codec API', () => {
    const codec = new ImapClientCodec();
    assert.equal(codec.state, 'connecting');
    recv(codec, '* OK hi\r\n');
    codec.login('bob', 'pw');
    recv(codec, 'A1 NO [AUTHENTICATIONFAILED] wrong\r\n');
    assert.equal(codec.state, 'not-authenticated');
    codec.login('bob', 'pw');
    recv(codec, 'A2 OK in\r\n');
    codec.select('Archive', true);
    recv(codec, 'A3 OK done\r\n');
    assert.deepEqual([codec.state, codec.selected, codec.readOnly], ['selected', 'Archive', true]);
    codec.select('INBOX');
    recv(codec, 'A4 OK [READ-WRITE] done\r\n');
    assert.deepEqual([codec.selected, codec.readOnly], ['INBOX', false]);
    codec.command('UNSELECT');
    recv(codec, 'A5 OK\r\n');
    assert.equal(codec.state, 'authenticated');
    codec.command('LOGOUT');
    const events = recv(codec, '* BYE bye\r\nA6 OK bye\r\n');
    assert.deepEqual(ofType(events, 'state'), [{ type: 'state', from: 'authenticated', to: 'logout' }]);
  });
});
