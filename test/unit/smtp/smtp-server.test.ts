// The codec against a real SMTP implementation (the smtp-server package) on 127.0.0.1:
// pipelined MAIL/RCPT/DATA, a dot-stuffed body arriving intact, AUTH PLAIN, and QUIT.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { SmtpClientCodec, type SmtpEvent } from '../../../src/protocol/smtp/index.js';
import { ScriptedMechanism } from './dialogue.js';

interface Received {
  from: string;
  to: string[];
  body: Buffer;
}

async function startServer(received: Received[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alice' && auth.password === 'hunter2') cb(null, { user: 'alice' });
      else cb(new Error('bad credentials'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('nobody')) cb(new Error('no such user'));
      else cb();
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(parts),
        });
        cb(null);
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const addr = server.server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  return { server, port: addr.port };
}

/** Wires a codec to a socket; `until` resolves when an event matches. */
function drive(socket: net.Socket, codec: SmtpClientCodec) {
  const events: SmtpEvent[] = [];
  let waiter: { match: (e: SmtpEvent) => boolean; resolve: (e: SmtpEvent) => void } | undefined;
  const flush = (): void => {
    for (const o of codec.takeOutgoing()) socket.write(o.bytes);
  };
  socket.on('data', (chunk: Buffer) => {
    for (const e of codec.receive(chunk)) {
      events.push(e);
      if (waiter?.match(e)) {
        const w = waiter;
        waiter = undefined;
        w.resolve(e);
      }
    }
    flush();
  });
  return {
    events,
    flush,
    until(match: (e: SmtpEvent) => boolean): Promise<SmtpEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), 5000);
        waiter = {
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
      });
    },
  };
}

describe('SmtpClientCodec against smtp-server', () => {
  test('pipelined transaction with AUTH PLAIN delivers the exact body', async () => {
    const received: Received[] = [];
    const { server, port } = await startServer(received);
    const socket = net.connect(port, '127.0.0.1');
    try {
      const codec = new SmtpClientCodec();
      const d = drive(socket, codec);
      await d.until((e) => e.type === 'greeting');
      codec.ehlo('client.example.org');
      d.flush();
      const caps = await d.until((e) => e.type === 'capabilities');
      assert.ok(caps.type === 'capabilities' && caps.capabilities.pipelining);
      assert.deepEqual(caps.type === 'capabilities' && caps.capabilities.auth, ['PLAIN']);

      codec.authenticate(new ScriptedMechanism('PLAIN', '\0alice\0hunter2', {}));
      d.flush();
      const auth = await d.until((e) => e.type === 'completed' && e.command.verb === 'AUTH');
      assert.ok(auth.type === 'completed' && auth.ok, auth.type === 'completed' ? auth.text : '');

      const body = Buffer.from('Subject: dots\r\n\r\n.one\r\n..two\r\n.\r\nend without newline');
      codec.mailFrom('alice@example.org');
      codec.rcptTo('bob@example.net');
      codec.rcptTo('nobody@example.net');
      const data = codec.data(body);
      assert.ok('id' in data);
      d.flush();
      const done = await d.until((e) => e.type === 'completed' && e.command.id === data.id);
      assert.ok(done.type === 'completed' && done.ok, done.type === 'completed' ? done.text : '');
      assert.equal(codec.state, 'ready');
      const rcpts = d.events.flatMap((e) =>
        e.type === 'completed' && e.command.verb === 'RCPT' ? [e.ok] : [],
      );
      assert.deepEqual(rcpts, [true, false]);
      assert.equal(received.length, 1);
      assert.deepEqual(received[0]?.to, ['bob@example.net']);
      assert.equal(received[0]?.body.toString(), body.toString() + '\r\n');

      codec.quit();
      d.flush();
      await d.until((e) => e.type === 'state' && e.to === 'quit');
    } finally {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
