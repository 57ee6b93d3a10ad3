import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEFAULT_USERS } from '../../../../src/sandbox/config.js';
import { Pop3Session, type Pop3Io } from '../../../../src/sandbox/pop3/session.js';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';

function session(io: Partial<Pop3Io>) {
  const written: string[] = [];
  let closed = false;
  const s = new Pop3Session(
    createMemoryStore({ users: [...DEFAULT_USERS] }),
    {
      write: (d) => void written.push(d.toString()),
      close: () => void (closed = true),
      startTls: () => undefined,
      secure: false,
      tlsAvailable: true,
      loopback: true,
      ...io,
    },
    'h.test',
    '<1.2@h.test>',
  );
  const send = (line: string) => {
    written.length = 0;
    s.handleLine(Buffer.from(line));
    return written.join('');
  };
  return { s, send, isClosed: () => closed };
}

test('a remote client in cleartext may not send a password, but may use APOP', () => {
  const { send } = session({ loopback: false });
  send('USER alice');
  assert.equal(
    send('PASS alice-password'),
    '-ERR [AUTH] plaintext authentication from another machine needs TLS first (use STLS)\r\n',
  );
  assert.match(
    send(`AUTH PLAIN ${Buffer.from('\0alice\0alice-password').toString('base64')}`),
    /^-ERR \[AUTH\] plaintext/,
  );
  const digest = createHash('md5').update('<1.2@h.test>alice-password').digest('hex');
  assert.match(send(`APOP alice ${digest}`), /^\+OK alice has 0 messages/);
});

test('a remote client over TLS may send a password', () => {
  const { send } = session({ loopback: false, secure: true });
  send('USER alice');
  assert.match(send('PASS alice-password'), /^\+OK/);
});

test('QUIT in AUTHORIZATION ends the session without touching any maildrop', () => {
  const { s, send, isClosed } = session({});
  assert.equal(send('QUIT'), '+OK Mailwire sandbox signing off\r\n');
  assert.ok(isClosed());
  assert.equal(send('NOOP'), '', 'nothing is answered after QUIT');
  assert.equal(s.state, 'AUTHORIZATION');
});

test('AUTH with a malformed base64 response fails as [AUTH], other mechanisms are refused', () => {
  const { send } = session({});
  assert.equal(send('AUTH PLAIN !!!!'), '-ERR [AUTH] authentication failed\r\n');
  assert.equal(send('AUTH CRAM-MD5'), '-ERR unsupported SASL mechanism CRAM-MD5\r\n');
  assert.equal(send('AUTH'), '+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n');
});
