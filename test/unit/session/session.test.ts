// The session's own duties, with a minimal line codec: recording, redaction, latency,
// STARTTLS discards, close and timeout handling. The real codecs are tested on their own and
// through real servers in test/integration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MailSession, type AnyCodec, type AnyEvent } from '../../../src/session/session.js';
import type { CommandRef, Outgoing } from '../../../src/protocol/types.js';
import { TransportError } from '../../../src/transport/types.js';
import { MemoryTransport } from '../../helpers/memory-transport.js';
import { ImapClientCodec } from '../../../src/protocol/imap/codec.js';

/** Each server line completes the oldest pending command; `+OK` means ok. `STARTTLS` upgrades. */
class LineCodec implements AnyCodec {
  readonly protocol = 'pop3' as const;
  state = 'ready';
  pending: CommandRef[] = [];
  private out: Outgoing[] = [];
  private buf = '';
  private nextId = 1;
  private awaitingTls = false;

  awaitsReply(id: number): boolean {
    return this.pending.some((c) => c.id === id);
  }

  receive(chunk: Uint8Array): AnyEvent[] {
    const events: AnyEvent[] = [];
    if (this.awaitingTls)
      return [{ type: 'protocol-error', message: 'x', fatal: false, raw: chunk } as AnyEvent];
    this.buf += Buffer.from(chunk).toString('latin1');
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl + 1);
      this.buf = this.buf.slice(nl + 1);
      events.push({ type: 'line', raw: Buffer.from(line, 'latin1') });
      const cmd = this.pending.shift();
      if (cmd) {
        if (cmd.verb === 'STLS' && line.startsWith('+OK')) {
          this.awaitingTls = true;
          events.push({
            type: 'starttls-ready',
            command: cmd,
            raw: Buffer.from(this.buf, 'latin1'),
          } as AnyEvent);
          this.buf = '';
        }
        events.push({
          type: 'completed',
          command: cmd,
          ok: line.startsWith('+OK'),
          text: line.trim(),
        } as AnyEvent);
      }
    }
    return events;
  }
  takeOutgoing(): Outgoing[] {
    return this.out.splice(0);
  }
  sendRaw(line: string | Uint8Array): CommandRef {
    const text = typeof line === 'string' ? line : Buffer.from(line).toString('latin1');
    const ref = { id: this.nextId++, verb: text.split(' ')[0]!.trim().toUpperCase() };
    this.pending.push(ref);
    const bytes = Buffer.from(text.endsWith('\r\n') ? text : text + '\r\n', 'latin1');
    const secrets: Array<[number, number]> = ref.verb === 'PASS' ? [[5, bytes.length - 2]] : [];
    this.out.push({ bytes, command: ref, secrets });
    return ref;
  }
  tlsEstablished(): AnyEvent[] {
    this.awaitingTls = false;
    return [{ type: 'state', from: 'tls', to: 'ready' } as AnyEvent];
  }
  closed(): AnyEvent[] {
    this.pending = [];
    return [];
  }
}

// The session's timers do not hold the process open (the socket does); in these tests nothing
// else would, so keep the loop alive while a test waits for a timeout.
async function withLoopAlive<T>(work: () => Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1000);
  try {
    return await work();
  } finally {
    clearInterval(keep);
  }
}

async function openWith(transport: MemoryTransport, timeouts = {}): Promise<MailSession> {
  let t = 1000;
  return MailSession.open({
    protocol: 'pop3',
    transport: { host: '127.0.0.1', port: 110, tls: 'none' },
    codec: new LineCodec(),
    connect: () => Promise.resolve(transport),
    timeouts,
    now: () => (t += 5),
  });
}

test('a command resolves with its reply, latency and the exact bytes recorded both ways', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  assert.equal(await session.greeting(), true);
  const pending = session.sendRaw('NOOP');
  transport.serverSends('+OK\r\n');
  const result = await pending;
  assert.equal(result.outcome, 'ok');
  assert.ok((result.latencyMs ?? 0) > 0);
  assert.equal(transport.writtenText(), 'NOOP\r\n');
  assert.equal(session.transcript.bytesOf('S').toString(), '+OK ready\r\n+OK\r\n');
  assert.match(session.transcript.render({ timestamps: false }), /C: NOOP\nS: \+OK\n/);
  session.close();
});

test('transcript events reach session listeners while they listen; the transcript keeps them all', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  await session.greeting();
  const heard: string[] = [];
  const off = session.events.on('transcript', (e) => {
    heard.push(e.dir === 'L' ? `L ${e.text}` : `${e.dir} ${Buffer.from(e.bytes).toString('latin1').trim()}`);
  });
  const first = session.sendRaw('NOOP');
  transport.serverSends('+OK one\r\n');
  await first;
  off();
  const second = session.sendRaw('STAT');
  transport.serverSends('+OK two\r\n');
  await second;
  assert.deepEqual(heard, ['C NOOP', 'S +OK one']);
  const wire = session.transcript.events.flatMap((e) =>
    e.dir === 'L' ? [] : [`${e.dir} ${Buffer.from(e.bytes).toString('latin1').trim()}`],
  );
  assert.deepEqual(wire, ['S +OK ready', 'C NOOP', 'S +OK one', 'C STAT', 'S +OK two']);
  // Every event is numbered, heard or not.
  assert.deepEqual(
    session.transcript.events.map((e) => e.seq),
    session.transcript.events.map((_, i) => i + 1),
  );
  session.close();
});

test('a password is sent to the server but never recorded', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  const pending = session.sendRaw('PASS hunter22');
  transport.serverSends('+OK logged in\r\n');
  await pending;
  assert.equal(transport.writtenText(), 'PASS hunter22\r\n');
  const rendered = session.transcript.render();
  assert.ok(!rendered.includes('hunter22'));
  assert.match(rendered, /C: PASS <redacted>/);
  assert.ok(!session.transcript.bytesOf('C').toString().includes('hunter22'));
  session.close();
});

test('a secret the session was given is redacted wherever a later line carries it', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  session.addSecrets(['pässw0rd', 'tok']);
  // A short line, and one past the length searched in JS, each with a secret twice.
  const long = `${'x'.repeat(300)} pässw0rd`;
  for (const line of ['XTEST pässw0rd+pässw0rd', `XLONG tok ${long} tok`, 'NOOP']) {
    // As UTF-8 bytes: this test codec sends strings as Latin-1.
    const pending = session.sendRaw(Buffer.from(line, 'utf8'));
    transport.serverSends('+OK\r\n');
    await pending;
  }
  const sent = Buffer.from(transport.writtenText(), 'latin1').toString('utf8');
  assert.ok(sent.includes('pässw0rd+pässw0rd'), 'the server gets the secret as typed');
  const recorded = session.transcript.bytesOf('C').toString('utf8');
  assert.ok(!recorded.includes('pässw0rd') && !recorded.includes('tok'), recorded);
  assert.match(recorded, /^XTEST <redacted>\+<redacted>\r\n/);
  assert.match(recorded, /XLONG <redacted> x{300} <redacted> <redacted>\r\nNOOP\r\n$/);
  session.close();
});

test('bytes after the STARTTLS reply and during the handshake are reported, never parsed', async () => {
  const transport = new MemoryTransport();
  transport.duringHandshake = Buffer.from('+OK evil2\r\n');
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  const tls = session.nextTls();
  const pending = session.sendRaw('STLS');
  transport.serverSends('+OK begin TLS\r\n+OK injected\r\n');
  assert.equal((await pending).outcome, 'ok');
  assert.equal((await tls)?.protocol, 'TLSv1.3');
  const notes = session.transcript.events.filter((e) => e.dir === 'L' && e.kind === 'starttls-injection');
  assert.equal(notes.length, 2);
  const text = session.transcript.render({ timestamps: false });
  assert.match(text, /S: \+OK injected\n-- warning: sent after the STARTTLS reply/);
  assert.equal(session.status, 'open');
  session.close();
});

test('a failed TLS upgrade closes the session instead of continuing in plaintext', async () => {
  const transport = new MemoryTransport();
  transport.failHandshake = 'certificate for mail.example is not valid for 127.0.0.1';
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  const pending = session.sendRaw('STLS');
  transport.serverSends('+OK begin TLS\r\n');
  await pending;
  await new Promise((r) => setImmediate(r));
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /TLS upgrade failed: certificate for mail.example is not valid/);
  assert.equal((await session.sendRaw('NOOP')).outcome, 'closed');
});

test('a connection cut mid-command resolves the command as closed and keeps the transcript', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport);
  transport.serverSends('+OK ready\r\n');
  const pending = session.sendRaw('RETR 1');
  transport.serverSends('+OK 100 oct');
  transport.serverCloses(new TransportError('Connection reset by 127.0.0.1:110', 'reset'));
  const result = await pending;
  assert.equal(result.outcome, 'closed');
  assert.equal(result.text, 'Connection reset by 127.0.0.1:110');
  assert.match(
    session.transcript.render({ timestamps: false }),
    /-- error: Connection reset by 127.0.0.1:110/,
  );
});

test('a greeting that never comes closes the session with a specific message', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport, { greetingMs: 30 });
  assert.equal(await withLoopAlive(() => session.greeting()), false);
  assert.equal(session.closedBecause, 'no greeting from 127.0.0.1:110 after 30 ms');
});

test('a command with no reply times out without closing the session', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport, { replyMs: 30 });
  transport.serverSends('+OK ready\r\n');
  const result = await withLoopAlive(() => session.sendRaw('NOOP'));
  assert.equal(result.outcome, 'timeout');
  assert.equal(session.status, 'open');
  session.close();
});

test('a refused connection gives a closed session that says why', async () => {
  const session = await MailSession.open({
    protocol: 'imap',
    transport: { host: '127.0.0.1', port: 1, tls: 'none' },
    codec: new LineCodec(),
    connect: () => Promise.reject(new TransportError('Connection refused by 127.0.0.1:1', 'refused')),
  });
  assert.equal(session.status, 'closed');
  assert.equal(session.closedBecause, 'Connection refused by 127.0.0.1:1');
  assert.match(
    session.transcript.render({ timestamps: false }),
    /-- error: Connection refused by 127.0.0.1:1/,
  );
});

test('an idle timeout closes a quiet session with a specific message', async () => {
  const transport = new MemoryTransport();
  const session = await openWith(transport, { idleMs: 40 });
  transport.serverSends('+OK ready\r\n');
  await withLoopAlive(() => new Promise((r) => setTimeout(r, 120)));
  assert.equal(session.status, 'closed');
  assert.equal(session.closedBecause, 'closed after 40 ms without traffic (idle timeout)');
});

test('waitingForClient: true after a continuation request, false again once the client sends', async () => {
  const transport = new MemoryTransport();
  const session = await MailSession.open({
    protocol: 'imap',
    transport: { host: '127.0.0.1', port: 1, tls: 'none' },
    codec: new ImapClientCodec(),
    connect: () => Promise.resolve(transport),
  });
  const tick = () => new Promise((r) => setImmediate(r));
  transport.serverSends('* OK ready\r\n');
  await tick();
  const auth = session.sendRaw('a1 AUTHENTICATE PLAIN');
  await tick();
  assert.equal(session.waitingForClient, false, 'nothing asked yet');
  transport.serverSends('+ \r\n');
  await tick();
  assert.equal(session.waitingForClient, true, 'the server asked for the SASL answer');
  void session.sendRaw('AGFsaWNlAHNlY3JldA==');
  await tick();
  assert.equal(session.waitingForClient, false, 'answered');
  transport.serverSends('a1 OK done\r\n');
  await auth;
  session.close();
});
