import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Pop3ClientCodec,
  isValidIn,
  parseStatusLine,
  type Pop3Event,
} from '../../../src/protocol/pop3/index.js';
import { LIMITS } from '../../../src/protocol/limits.js';
import { ScriptedMechanism, loadDialogue, reassemble, wire } from '../smtp/dialogue.js';
import { dotStuff } from '../../../src/protocol/smtp/data.js';

const b = (s: string): Buffer => Buffer.from(s);

function responses(events: readonly Pop3Event[]): Extract<Pop3Event, { type: 'response' }>[] {
  return events.flatMap((e) => (e.type === 'response' ? [e] : []));
}

function loggedIn(): Pop3ClientCodec {
  const c = new Pop3ClientCodec();
  c.receive(b('+OK ready\r\n'));
  c.user('alice');
  c.receive(b('+OK\r\n'));
  c.pass('hunter2');
  c.receive(b('+OK in\r\n'));
  c.takeOutgoing();
  assert.equal(c.state, 'transaction');
  return c;
}

describe('Pop3ClientCodec', () => {
  test('replays a Dovecot-like session with typed results', () => {
    const steps = loadDialogue('pop3/dovecot-session.txt');
    const c = new Pop3ClientCodec();
    const events: Pop3Event[] = [];
    const sent: string[] = [];
    let i = 0;
    // Feed the server lines that answer each client line, issuing commands through the verb API.
    const server = (): void => {
      let chunk = '';
      while (i < steps.length && steps[i]!.from === 'S') chunk += steps[i++]!.line + '\r\n';
      events.push(...c.receive(b(chunk)));
    };
    server();
    const calls: Array<() => unknown> = [
      () => c.capa(),
      () => c.user('alice'),
      () => c.pass('hunter2'),
      () => c.stat(),
      () => c.list(),
      () => c.uidl(),
      () => c.retr(2),
      () => c.dele(9),
      () => c.quit(),
    ];
    for (const call of calls) {
      i++; // the C: line
      call();
      sent.push(wire(c.takeOutgoing()));
      server();
    }
    assert.deepEqual(
      sent,
      steps.filter((s) => s.from === 'C').map((s) => s.line + '\r\n'),
    );
    const greeting = events[0];
    assert.ok(greeting?.type === 'greeting');
    assert.equal(greeting.timestamp, '<4711.1763784000@pop.example.net>');
    const r = responses(events);
    assert.equal(r[0]?.data?.kind === 'capa' && r[0].data.capabilities.stls, true);
    assert.deepEqual(r[0]?.data?.kind === 'capa' && r[0].data.capabilities.sasl, ['PLAIN', 'LOGIN']);
    assert.deepEqual(r[3]?.data, { kind: 'stat', count: 2, size: 1790 });
    assert.deepEqual(r[4]?.data, {
      kind: 'list',
      entries: [
        { message: 1, size: 1200 },
        { message: 2, size: 590 },
      ],
      malformed: [],
    });
    assert.deepEqual(r[5]?.data?.kind === 'uidl' && r[5].data.entries[1], {
      message: 2,
      uid: '000000025b1c3f1a',
    });
    const msg = r[6]?.data;
    assert.ok(msg?.kind === 'message' && msg.bytes);
    assert.equal(
      Buffer.from(msg.bytes).toString(),
      'From: bob@example.net\r\nSubject: dots\r\n\r\n.a line that starts with a dot\r\n..\r\nlast line\r\n',
    );
    assert.equal(r[7]?.ok, false);
    assert.deepEqual(r[7]?.respCode, { code: 'SYS/PERM', parts: ['SYS', 'PERM'] });
    assert.equal(r[7]?.text, "There's no message 9.");
    assert.equal(c.state, 'update');
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'state' ? [e.to] : [])),
      ['authorization', 'transaction', 'update'],
    );
    assert.equal(c.capabilities?.top, true);
  });

  test('a -ERR to a multi-line command is a single line', () => {
    const c = loggedIn();
    c.retr(5);
    c.list();
    const ev = c.receive(b('-ERR [IN-USE] no such message\r\n+OK\r\n1 10\r\n.\r\n'));
    const r = responses(ev);
    assert.equal(r.length, 2);
    assert.equal(r[0]?.ok, false);
    assert.equal(r[0]?.respCode?.code, 'IN-USE');
    assert.equal(r[1]?.data?.kind === 'list' && r[1].data.entries.length, 1);
  });

  test('LIST n and UIDL n parse their single line; TOP is multi-line; malformed lines are kept', () => {
    const c = loggedIn();
    c.list(1);
    c.uidl(1);
    c.top(1, 0);
    c.uidl();
    const ev = c.receive(
      b('+OK 1 120\r\n+OK 1 abc\r\n+OK\r\nSubject: x\r\n\r\n.\r\n+OK\r\n1 a\r\nnonsense\r\n.\r\n'),
    );
    const r = responses(ev);
    assert.deepEqual(r[0]?.data, { kind: 'list', entries: [{ message: 1, size: 120 }], malformed: [] });
    assert.deepEqual(r[1]?.data, { kind: 'uidl', entries: [{ message: 1, uid: 'abc' }], malformed: [] });
    assert.equal(
      r[2]?.data?.kind === 'message' && Buffer.from(r[2].data.bytes!).toString(),
      'Subject: x\r\n\r\n',
    );
    assert.deepEqual(r[3]?.data?.kind === 'uidl' && r[3].data.malformed, ['nonsense']);
  });

  test('resp-codes and continuation lines parse', () => {
    assert.deepEqual(parseStatusLine('-ERR [LOGIN-DELAY] wait'), {
      kind: 'status',
      ok: false,
      text: 'wait',
      respCode: { code: 'LOGIN-DELAY', parts: ['LOGIN-DELAY'] },
    });
    assert.deepEqual(parseStatusLine('-ERR [AUTH] bad'), {
      kind: 'status',
      ok: false,
      text: 'bad',
      respCode: { code: 'AUTH', parts: ['AUTH'] },
    });
    assert.deepEqual(parseStatusLine('+OK [bracket text'), {
      kind: 'status',
      ok: true,
      text: '[bracket text',
    });
    assert.deepEqual(parseStatusLine('+ '), { kind: 'continuation', text: '' });
    assert.equal(parseStatusLine('OK'), null);
  });

  test('APOP sends md5(timestamp + password) and marks the digest secret', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'));
    c.apop('mrose', 'tanstaaf');
    const [out] = c.takeOutgoing();
    // The example from RFC 1939 section 7.
    assert.equal(Buffer.from(out!.bytes).toString(), 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n');
    assert.deepEqual(out!.secrets, [[11, 43]]);
  });

  test('APOP without a greeting timestamp is a client error', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK ready\r\n'));
    const r = c.apop('u', 'p');
    assert.ok('type' in r && r.type === 'client-error');
  });

  test('PASS marks the password secret (spaces allowed)', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK ready\r\n'));
    c.pass('two words');
    const [out] = c.takeOutgoing();
    assert.equal(Buffer.from(out!.bytes).toString(), 'PASS two words\r\n');
    assert.deepEqual(out!.secrets, [[5, 14]]);
  });

  test('AUTH with initial response and + challenges; * on abort', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK ready\r\n'));
    const mech = new ScriptedMechanism('X-TEST', 'hello', { ping: 'pong' });
    c.authenticate(mech);
    const [first] = c.takeOutgoing();
    assert.equal(Buffer.from(first!.bytes).toString(), 'AUTH X-TEST aGVsbG8=\r\n');
    assert.deepEqual(first!.secrets, [[12, 20]]);
    const ev = c.receive(b(`+ ${Buffer.from('ping').toString('base64')}\r\n`));
    assert.equal(ev[0]?.type, 'continuation');
    assert.equal(wire(c.takeOutgoing()), `${Buffer.from('pong').toString('base64')}\r\n`);
    c.receive(b(`+ ${Buffer.from('other').toString('base64')}\r\n`));
    assert.equal(wire(c.takeOutgoing()), '*\r\n');
    c.receive(b('-ERR [AUTH] cancelled\r\n'));
    assert.equal(c.state, 'authorization');
  });

  test('STLS: injected bytes after +OK are not parsed; CAPA is forgotten after TLS', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK ready\r\n'));
    c.capa();
    c.receive(b('+OK\r\nSTLS\r\nUSER\r\n.\r\n'));
    assert.equal(c.capabilities?.stls, true);
    c.stls();
    c.noop();
    assert.equal(wire(c.takeOutgoing()), 'CAPA\r\nSTLS\r\n');
    const ev = c.receive(b('+OK Begin TLS\r\n+OK injected\r\n'));
    const ready = ev.find((e) => e.type === 'starttls-ready');
    assert.ok(ready?.type === 'starttls-ready');
    assert.equal(Buffer.from(ready.raw).toString(), '+OK injected\r\n');
    assert.equal(wire(c.takeOutgoing()), '');
    c.tlsEstablished();
    assert.equal(c.capabilities, undefined);
    assert.equal(wire(c.takeOutgoing()), 'NOOP\r\n');
  });

  test('a RETR body over the streaming threshold streams the wire bytes (still stuffed) with a PayloadRef', () => {
    const c = loggedIn();
    c.retr(1);
    const line = '.dot line padding padding padding padding padding padding\r\n';
    const body = b(line.repeat(Math.ceil((LIMITS.streamPayloadOver * 2) / line.length)));
    const wireBytes = Buffer.concat([b('+OK\r\n'), dotStuff(body), b('.\r\n')]);
    const events: Pop3Event[] = [];
    for (let at = 0; at < wireBytes.length; at += 65536)
      events.push(...c.receive(wireBytes.subarray(at, at + 65536)));
    const start = events.find((e) => e.type === 'payload-start');
    assert.ok(start?.type === 'payload-start');
    const streamed = Buffer.concat(
      events.flatMap((e) => (e.type === 'payload-chunk' ? [Buffer.from(e.chunk)] : [])),
    );
    assert.deepEqual(streamed, dotStuff(body));
    const [r] = responses(events);
    assert.ok(r?.data?.kind === 'message');
    assert.equal(r.data.bytes, undefined);
    assert.deepEqual(r.data.payload, { payload: start.payload, size: dotStuff(body).length });
    assert.equal(Buffer.from(r.raw).toString(), '+OK\r\n.\r\n');
    assert.deepEqual(reassemble(events), wireBytes);
    assert.ok(events.indexOf(r) > events.findIndex((e) => e.type === 'payload-end'));
  });

  test('closing mid-body keeps the bytes and fails the command', () => {
    const c = loggedIn();
    c.retr(1);
    const events = [...c.receive(b('+OK\r\nabc\r\nde')), ...c.closed()];
    assert.equal(Buffer.from(reassemble(events)).toString(), '+OK\r\nabc\r\nde');
    assert.ok(events.some((e) => e.type === 'completed' && !e.ok));
    assert.equal(c.state, 'closed');
  });

  test('isValidIn knows which verbs each state allows', () => {
    assert.equal(isValidIn('user', 'authorization'), true);
    assert.equal(isValidIn('RETR', 'authorization'), false);
    assert.equal(isValidIn('RETR', 'transaction'), true);
    assert.equal(isValidIn('STLS', 'transaction'), false);
    assert.equal(isValidIn('QUIT', 'update'), false);
  });

  test('raw lines are let through and correlated; QUIT in authorization closes', () => {
    const c = new Pop3ClientCodec();
    c.receive(b('+OK ready\r\n'));
    c.sendRaw('RETR 1');
    c.sendRaw('QUIT');
    assert.equal(wire(c.takeOutgoing()), 'RETR 1\r\nQUIT\r\n');
    const ev = c.receive(b('-ERR not in this state\r\n+OK bye\r\n'));
    assert.deepEqual(
      responses(ev).map((r) => [r.command?.verb, r.ok]),
      [
        ['RETR', false],
        ['QUIT', true],
      ],
    );
    assert.equal(c.state, 'closed');
  });
});

test('splitCommand reads any line as the split-on-spaces reading does', async () => {
  const fc = (await import('fast-check')).default;
  const { splitCommand } = await import('../../../src/protocol/pop3/commands.js');
  const reference = (text: string): { verb: string; args: string[] } => {
    const words = text
      .replace(/\r?\n$/, '')
      .split(' ')
      .filter((w) => w !== '');
    const first = words.shift() ?? '';
    return /^[A-Za-z][A-Za-z0-9-]*$/.test(first)
      ? { verb: first.toUpperCase(), args: words }
      : { verb: '(raw)', args: [] };
  };
  const piece = fc.constantFrom('USER', 'pass', ' ', '  ', '\r', '\n', '\r\n', 'a b', '\t', 'x-1', '9', '');
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 10 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(splitCommand(text), reference(text));
    }),
    { numRuns: 2000 },
  );
});

test('parseStatusLine reads any line as the STATUS and CONTINUATION expressions do', async () => {
  const fc = (await import('fast-check')).default;
  const { parseStatusLine } = await import('../../../src/protocol/pop3/status.js');
  const STATUS = /^(\+OK|-ERR)(?:[ \t](.*))?$/is;
  const CONTINUATION = /^\+(?: (.*))?$/s;
  const RESP_CODE = /^\[([\x21-\x2e\x30-\x5c\x5e-\x7f]+(?:\/[\x21-\x2e\x30-\x5c\x5e-\x7f]+)*)\] ?/;
  const reference = (line: string): unknown => {
    const m = STATUS.exec(line);
    if (m !== null) {
      const ok = m[1]!.toUpperCase() === '+OK';
      const text = m[2] ?? '';
      const rc = RESP_CODE.exec(text);
      if (rc === null) return { kind: 'status', ok, text };
      const code = rc[1]!.toUpperCase();
      return {
        kind: 'status',
        ok,
        text: text.slice(rc[0].length),
        respCode: { code, parts: code.split('/') },
      };
    }
    const c = CONTINUATION.exec(line);
    return c === null ? null : { kind: 'continuation', text: c[1] ?? '' };
  };
  const piece = fc.constantFrom(
    '+',
    '-',
    'OK',
    'ok',
    'oK',
    'ERR',
    'eRr',
    'ER',
    ' ',
    '\t',
    '[',
    ']',
    'SYS/TEMP',
    '/',
    '\n',
    'K',
    'x',
    'ſ',
    'K',
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 8 }), (parts) => {
      const line = parts.join('');
      assert.deepEqual(parseStatusLine(line), reference(line), JSON.stringify(line));
    }),
    { numRuns: 3000 },
  );
});
