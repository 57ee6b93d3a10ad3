// STARTTLS and implicit TLS on the sandbox IMAP server, with a throwaway self-signed certificate.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import { generate } from 'selfsigned';
import { ImapFlow } from 'imapflow';
import { RawClient, startServer } from './helpers.js';

let tls: { key: string; cert: string };
before(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
  tls = { key: pems.private, cert: pems.cert };
});

test('STARTTLS: advertised, plaintext sent after it is dropped, session continues encrypted', async () => {
  const srv = await startServer({ tls });
  const c = await RawClient.connect(srv.port);
  try {
    assert.match(await c.command('CAPABILITY'), / STARTTLS /);
    // A command injected behind STARTTLS in the same packet must never run (RFC 3501 6.2.1).
    c.send('s1 STARTTLS\r\ns2 LOGIN alice alice-pw\r\n');
    await c.waitFor(/^s1 OK /m);
    assert.doesNotMatch(c.take(), /s2/);
    c.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: c.socket, rejectUnauthorized: false });
    await once(secure, 'secureConnect');
    let text = '';
    secure.setEncoding('latin1');
    secure.on('data', (d: string) => (text += d));
    const until = async (re: RegExp): Promise<void> => {
      const deadline = Date.now() + 3000;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`timeout waiting for ${re}: ${text}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    secure.write('s3 CAPABILITY\r\n');
    await until(/^s3 OK/m);
    assert.doesNotMatch(text, /STARTTLS/, 'not offered again once encrypted');
    assert.doesNotMatch(text, /^s2 /m, 'the injected command never ran');
    secure.write('s4 LOGIN alice alice-pw\r\ns5 LOGOUT\r\n');
    await until(/^s5 OK/m);
    assert.match(text, /^s4 OK/m);
    secure.destroy();
  } finally {
    await c.close();
    await srv.stop();
  }
});

test('implicit TLS works with imapflow', async () => {
  const srv = await startServer({ tls, implicitTls: true });
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: srv.port,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user: 'alice', pass: 'alice-pw' },
    logger: false,
  });
  try {
    await client.connect();
    const list = await client.list();
    assert.ok(list.some((f) => f.path === 'INBOX'));
    await client.logout();
  } finally {
    await srv.stop();
  }
});
