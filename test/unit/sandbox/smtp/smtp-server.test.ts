import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { loadOrCreateSandboxCertificate, type SandboxCertificate } from '../../../../src/sandbox/cert.js';
import { DEFAULT_USERS } from '../../../../src/sandbox/config.js';
import { createSmtpServer, type SandboxSmtpServer } from '../../../../src/sandbox/smtp/smtp-server.js';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';
import type { MailStore, StoredMessage } from '../../../../src/sandbox/store/types.js';
import { LineClient } from '../pop3/line-client.js';

const run = promisify(execFile);
let certDir: string;
let certificate: SandboxCertificate;

before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'mailwire-smtp-'));
  certificate = await loadOrCreateSandboxCertificate(certDir);
});
after(() => rmSync(certDir, { recursive: true, force: true }));

interface Running {
  store: MailStore;
  port: number;
  server: SandboxSmtpServer;
}

async function withSmtp(
  options: { implicitTls?: boolean; maxMessageBytes?: number },
  body: (s: Running) => Promise<void>,
): Promise<void> {
  const store = createMemoryStore({
    users: [
      ...DEFAULT_USERS,
      { username: 'carol', password: 'carol pw', addresses: ['carol@example.test', 'c@example.test'] },
    ],
  });
  const server = createSmtpServer(store, {
    tls: { key: certificate.key, cert: certificate.cert },
    implicitTls: options.implicitTls ?? false,
    hostname: 'mx.sandbox.test',
    ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    await body({ store, port, server });
  } finally {
    await server.close();
  }
}

function inbox(store: MailStore, user: string): readonly StoredMessage[] {
  const u = store.userByName(user);
  assert.ok(u);
  return store.mailboxes(u).folder('INBOX')?.messages() ?? [];
}

async function ehlo(c: LineClient): Promise<string[]> {
  c.send('EHLO client.test\r\n');
  const lines: string[] = [];
  for (;;) {
    const line = await c.line();
    lines.push(line.slice(4));
    if (line[3] === ' ') return lines;
  }
}

describe('sandbox SMTP server', () => {
  test('EHLO advertises the extensions a learner should see', async () => {
    await withSmtp({}, async ({ port }) => {
      const c = await LineClient.connect(port);
      try {
        assert.match(await c.line(), /^220 mx\.sandbox\.test .*ESMTP/);
        const caps = await ehlo(c);
        for (const cap of [
          'STARTTLS',
          'AUTH PLAIN LOGIN CRAM-MD5',
          '8BITMIME',
          'SMTPUTF8',
          'PIPELINING',
          'ENHANCEDSTATUSCODES',
        ]) {
          assert.ok(caps.includes(cap), `${cap} in ${caps.join('|')}`);
        }
        assert.ok(caps.includes('SIZE 268435456'), caps.join('|'));
      } finally {
        c.close();
      }
    });
  });

  test('unknown recipients get 550 5.1.1 User unknown; known ones are accepted', async () => {
    await withSmtp({}, async ({ port }) => {
      const c = await LineClient.connect(port);
      try {
        await c.line();
        await ehlo(c);
        assert.match(await c.command('MAIL FROM:<bob@example.test>'), /^250 2\.1\.0/);
        assert.equal(
          await c.command('RCPT TO:<Nobody@Example.test>'),
          '550 5.1.1 <Nobody@Example.test>: Recipient address rejected: User unknown',
        );
        assert.match(await c.command('RCPT TO:<ALICE@example.test>'), /^250 2\.1\.5/);
      } finally {
        c.close();
      }
    });
  });

  test('nodemailer without AUTH delivers into every recipient INBOX with Return-Path and Received on top', async () => {
    await withSmtp({}, async ({ store, port }) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
      });
      const info = await transport.sendMail({
        from: 'bob@example.test',
        to: ['alice@example.test', 'carol@example.test', 'c@example.test'],
        subject: 'Hi there',
        text: 'Hello Alice\n.leading dot\n',
      });
      transport.close();
      assert.deepEqual(info.rejected, []);
      const [alice] = inbox(store, 'alice');
      assert.ok(alice);
      const text = alice.raw.toString('utf8');
      assert.match(
        text,
        /^Return-Path: <bob@example\.test>\r\nReceived: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mx\.sandbox\.test \(Mailwire sandbox\) with ESMTP id \w+\r\n\tfor <alice@example\.test>; \w{3}, \d+ \w{3} \d{4} [\d:]{8} \+0000\r\n/,
      );
      assert.match(text, /\r\nSubject: Hi there\r\n/);
      assert.match(text, /\r\n\r\nHello Alice\r\n\.leading dot\r\n/);
      assert.equal(alice.size, alice.raw.length);
      // carol was addressed twice (two of her addresses) and gets one copy.
      assert.equal(inbox(store, 'carol').length, 1);
      assert.equal(inbox(store, 'bob').length, 0);
    });
  });

  test('nodemailer with STARTTLS and AUTH: right password sends, wrong password is 535 5.7.8', async () => {
    await withSmtp({}, async ({ store, port }) => {
      const base = {
        host: '127.0.0.1',
        port,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
      };
      const good = nodemailer.createTransport({ ...base, auth: { user: 'carol', pass: 'carol pw' } });
      await good.sendMail({ from: 'carol@example.test', to: 'bob@example.test', subject: 'auth', text: 'x' });
      good.close();
      const [bob] = inbox(store, 'bob');
      assert.ok(bob);
      assert.match(bob.raw.toString(), /with ESMTPSA id/);

      const bad = nodemailer.createTransport({ ...base, auth: { user: 'carol', pass: 'nope' } });
      await assert.rejects(
        bad.sendMail({ from: 'carol@example.test', to: 'bob@example.test', text: 'x' }),
        (err: Error & { responseCode?: number; response?: string }) => {
          assert.equal(err.responseCode, 535);
          assert.match(err.response ?? '', /^535 5\.7\.8 /);
          assert.ok(!(err.response ?? '').includes('nope'), 'the password is not echoed');
          return true;
        },
      );
      bad.close();
      assert.equal(inbox(store, 'bob').length, 1);
    });
  });

  test('messages over the size limit are refused with 552 5.3.4 and not delivered', async () => {
    await withSmtp({ maxMessageBytes: 1000 }, async ({ store, port }) => {
      const c = await LineClient.connect(port);
      try {
        await c.line();
        const caps = await ehlo(c);
        assert.ok(caps.includes('SIZE 1000'));
        assert.match(await c.command('MAIL FROM:<bob@example.test> SIZE=5000'), /^552 5\.3\.4 /);
        assert.match(await c.command('MAIL FROM:<bob@example.test>'), /^250/);
        assert.match(await c.command('RCPT TO:<alice@example.test>'), /^250/);
        assert.match(await c.command('DATA'), /^354/);
        c.send(`Subject: big\r\n\r\n${'x'.repeat(2000)}\r\n.\r\n`);
        assert.match(await c.line(), /^552 5\.3\.4 /);
        assert.equal(inbox(store, 'alice').length, 0);
        // The session goes on.
        assert.match(await c.command('NOOP'), /^250/);
      } finally {
        c.close();
      }
    });
  });

  test('swaks: plain, STARTTLS with AUTH CRAM-MD5 and LOGIN, implicit TLS with AUTH PLAIN', async () => {
    const swaks = (port: number, extra: string[]) =>
      run(
        'swaks',
        [
          '--server',
          '127.0.0.1',
          '--port',
          String(port),
          '--from',
          'bob@example.test',
          '--to',
          'alice@example.test',
          '--helo',
          'swaks.test',
          '--header',
          'Subject: from swaks',
          '--body',
          'swaks body',
          '--timeout',
          '10',
          ...extra,
        ],
        { timeout: 20_000 },
      );
    await withSmtp({}, async ({ store, port }) => {
      await swaks(port, []);
      const out = await swaks(port, [
        '--tls',
        '--auth',
        'CRAM-MD5',
        '--auth-user',
        'alice',
        '--auth-password',
        'alice-password',
      ]);
      assert.match(out.stdout, /235 2\.7\.0/);
      await swaks(port, [
        '--tls',
        '--auth',
        'LOGIN',
        '--auth-user',
        'bob',
        '--auth-password',
        'bob-password',
      ]);
      await assert.rejects(
        swaks(port, ['--tls', '--auth', 'CRAM-MD5', '--auth-user', 'alice', '--auth-password', 'bad']),
      );
      const messages = inbox(store, 'alice');
      assert.equal(messages.length, 3);
      assert.match(
        messages[1]?.raw.toString() ?? '',
        /Received: from swaks\.test .*\r\n\tby mx\.sandbox\.test \(Mailwire sandbox\) with ESMTPSA/,
      );
      assert.match(messages[0]?.raw.toString() ?? '', /Subject: from swaks\r\n[\s\S]*\r\n\r\nswaks body\r\n/);
    });
    await withSmtp({ implicitTls: true }, async ({ store, port }) => {
      await swaks(port, [
        '--tlsc',
        '--auth',
        'PLAIN',
        '--auth-user',
        'alice',
        '--auth-password',
        'alice-password',
      ]);
      assert.equal(inbox(store, 'alice').length, 1);
    });
  });

  test('close() ends open sessions with 421 and resolves promptly', async () => {
    const store = createMemoryStore({ users: [...DEFAULT_USERS] });
    const server = createSmtpServer(store, {});
    const { port } = await server.listen(0, '127.0.0.1');
    const c = await LineClient.connect(port);
    await c.line();
    const started = Date.now();
    await server.close();
    assert.match(await c.line(), /^421 /);
    await c.closedByServer();
    assert.ok(Date.now() - started < 900, 'no 30 s grace period');
  });
});
