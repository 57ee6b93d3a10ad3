import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateSandboxCertificate, type SandboxCertificate } from '../../../../src/sandbox/cert.js';
import { DEFAULT_USERS } from '../../../../src/sandbox/config.js';
import { createPop3Server } from '../../../../src/sandbox/pop3/server.js';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';
import type { MailStore } from '../../../../src/sandbox/store/types.js';
import { LIMITS } from '../../../../src/protocol/limits.js';
import { LineClient } from './line-client.js';

const run = promisify(execFile);
let certDir: string;
let certificate: SandboxCertificate;

before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'mailwire-pop3-'));
  certificate = await loadOrCreateSandboxCertificate(certDir);
});
after(() => rmSync(certDir, { recursive: true, force: true }));

interface Running {
  store: MailStore;
  port: number;
  clients: LineClient[];
  connect(options?: { tls?: boolean }): Promise<LineClient>;
  /** Connects, reads the greeting and logs in as alice. */
  login(user?: string, password?: string): Promise<LineClient>;
  close(): Promise<void>;
}

async function startPop3(options: { implicitTls?: boolean } = {}): Promise<Running> {
  const store = createMemoryStore({ users: [...DEFAULT_USERS] });
  const server: net.Server = createPop3Server(store, {
    tls: { key: certificate.key, cert: certificate.cert },
    implicitTls: options.implicitTls ?? false,
    hostname: 'pop.test',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const clients: LineClient[] = [];
  const running: Running = {
    store,
    port,
    clients,
    async connect(o = {}) {
      const client = await LineClient.connect(port, o);
      clients.push(client);
      return client;
    },
    async login(user = 'alice', password = 'alice-password') {
      const c = await running.connect({ tls: options.implicitTls === true });
      assert.match(await c.line(), /^\+OK /);
      assert.match(await c.command(`USER ${user}`), /^\+OK/);
      assert.match(await c.command(`PASS ${password}`), /^\+OK/);
      return c;
    },
    close: async () => {
      for (const c of clients) c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return running;
}

function message(subject: string, body: string): Buffer {
  return Buffer.from(
    `From: bob@example.test\r\nTo: alice@example.test\r\nSubject: ${subject}\r\n\r\n${body}`,
  );
}

function inbox(store: MailStore, user = 'alice') {
  const u = store.userByName(user);
  assert.ok(u);
  const folder = store.mailboxes(u).folder('INBOX');
  assert.ok(folder);
  return folder;
}

describe('sandbox POP3 server', () => {
  test('greets with an APOP timestamp and logs in with APOP (and refuses a wrong digest)', async () => {
    const s = await startPop3();
    try {
      const c = await s.connect();
      const greeting = await c.line();
      const timestamp = /(<\d+\.\d+@pop\.test>)/.exec(greeting)?.[1];
      assert.ok(timestamp, greeting);
      const wrong = createHash('md5')
        .update(timestamp + 'nope')
        .digest('hex');
      assert.equal(await c.command(`APOP alice ${wrong}`), '-ERR [AUTH] authentication failed');
      const digest = createHash('md5')
        .update(timestamp + 'alice-password')
        .digest('hex');
      assert.match(await c.command(`APOP alice ${digest}`), /^\+OK alice has 0 messages/);
      // A second connection gets a different timestamp (no replay of the digest).
      const d = await s.connect();
      assert.notEqual(/<[^>]+>/.exec(await d.line())?.[0], timestamp);
    } finally {
      await s.close();
    }
  });

  test('USER/PASS: wrong password is -ERR [AUTH]; PASS without USER is refused', async () => {
    const s = await startPop3();
    try {
      const c = await s.connect();
      await c.line();
      assert.match(await c.command('PASS alice-password'), /^-ERR send USER first/);
      await c.command('USER alice');
      assert.equal(await c.command('PASS wrong'), '-ERR [AUTH] authentication failed');
      assert.match(await c.command('STAT'), /^-ERR STAT is not allowed in the AUTHORIZATION state/);
    } finally {
      await s.close();
    }
  });

  test('AUTH PLAIN with an initial response and with a + continuation; * cancels', async () => {
    const s = await startPop3();
    try {
      const plain = (u: string, p: string) => Buffer.from(`\0${u}\0${p}`).toString('base64');
      const c = await s.connect();
      await c.line();
      assert.equal(
        await c.command(`AUTH PLAIN ${plain('alice', 'bad')}`),
        '-ERR [AUTH] authentication failed',
      );
      assert.match(await c.command(`AUTH PLAIN ${plain('alice', 'alice-password')}`), /^\+OK alice has/);
      const d = await s.connect();
      await d.line();
      assert.equal(await d.command('AUTH PLAIN'), '+ ');
      assert.equal(await d.command('*'), '-ERR AUTH cancelled');
      assert.equal(await d.command('AUTH PLAIN'), '+ ');
      assert.match(await d.command(plain('bob', 'bob-password')), /^\+OK bob has/);
    } finally {
      await s.close();
    }
  });

  test('CAPA lists the extensions, with STLS only before TLS', async () => {
    const s = await startPop3();
    try {
      const c = await s.connect();
      await c.line();
      assert.equal(await c.command('CAPA'), '+OK capability list follows');
      const caps = (await c.multiline()).split('\r\n');
      for (const cap of [
        'TOP',
        'USER',
        'UIDL',
        'RESP-CODES',
        'PIPELINING',
        'AUTH-RESP-CODE',
        'SASL PLAIN',
        'STLS',
      ]) {
        assert.ok(caps.includes(cap), `${cap} in ${caps.join('|')}`);
      }
      assert.ok(caps.some((l) => l.startsWith('IMPLEMENTATION ')));
      assert.equal(await c.command('STLS'), '+OK begin TLS negotiation');
      await c.startTls();
      assert.equal(await c.command('CAPA'), '+OK capability list follows');
      assert.ok(!(await c.multiline()).includes('STLS'));
      assert.equal(await c.command('STLS'), '-ERR already using TLS');
      await c.command('USER alice');
      assert.match(await c.command('PASS alice-password'), /^\+OK/);
    } finally {
      await s.close();
    }
  });

  test('commands pipelined after STLS in cleartext are not executed', async () => {
    const s = await startPop3();
    try {
      const c = await s.connect();
      await c.line();
      c.send('STLS\r\nUSER alice\r\nPASS alice-password\r\n');
      assert.equal(await c.line(), '+OK begin TLS negotiation');
      await c.startTls();
      // Still in AUTHORIZATION: the injected login was dropped.
      assert.match(await c.command('STAT'), /^-ERR STAT is not allowed in the AUTHORIZATION state/);
    } finally {
      await s.close();
    }
  });

  test('STAT, LIST, UIDL, TOP and RETR with dot-stuffing; RETR marks \\Seen', async () => {
    const s = await startPop3();
    try {
      s.store.deliver(
        'alice@example.test',
        message('one', 'line 1\r\n.starts with a dot\r\n..two dots\r\nlast\r\n'),
      );
      s.store.deliver('alice@example.test', message('two', 'no final newline'));
      const [m1, m2] = inbox(s.store).messages();
      assert.ok(m1 && m2);
      const c = await s.login();
      assert.equal(await c.command('STAT'), `+OK 2 ${m1.size + m2.size}`);
      assert.match(await c.command('LIST'), /^\+OK 2 messages/);
      assert.equal(await c.multiline(), `1 ${m1.size}\r\n2 ${m2.size}\r\n.\r\n`);
      assert.equal(await c.command('LIST 2'), `+OK 2 ${m2.size}`);
      assert.equal(await c.command('LIST 3'), '-ERR no such message, only 2 in maildrop');
      assert.equal(await c.command('UIDL 1'), `+OK 1 ${m1.uidl}`);
      assert.equal(await c.command('TOP 1 1'), '+OK top of message follows');
      assert.equal(
        await c.multiline(),
        'From: bob@example.test\r\nTo: alice@example.test\r\nSubject: one\r\n\r\nline 1\r\n.\r\n',
      );
      assert.equal(await c.command('RETR 1'), `+OK ${m1.size} octets`);
      const body = await c.multiline();
      assert.ok(body.endsWith('line 1\r\n..starts with a dot\r\n...two dots\r\nlast\r\n.\r\n'), body);
      assert.equal(await c.command('RETR 2'), `+OK ${m2.size} octets`);
      assert.ok((await c.multiline()).endsWith('no final newline\r\n.\r\n'));
      assert.deepEqual(
        inbox(s.store)
          .messages()
          .map((m) => m.flags.has('\\Seen')),
        [true, true],
      );
      assert.match(await c.command('TOP 1'), /^-ERR usage: TOP msg lines/);
    } finally {
      await s.close();
    }
  });

  test('DELE then QUIT removes; RSET undoes; a dropped connection deletes nothing', async () => {
    const s = await startPop3();
    try {
      for (const n of ['a', 'b', 'c']) s.store.deliver('alice@example.test', message(n, n));
      const uidls = inbox(s.store)
        .messages()
        .map((m) => m.uidl);

      // Dropped in TRANSACTION: nothing deleted, and the lock is released.
      const dropped = await s.login();
      assert.equal(await dropped.command('DELE 1'), '+OK message 1 deleted');
      dropped.close();
      await dropped.closedByServer();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(inbox(s.store).messages().length, 3);

      const c = await s.login();
      assert.equal(await c.command('DELE 1'), '+OK message 1 deleted');
      assert.equal(await c.command('DELE 1'), '-ERR message 1 already deleted');
      assert.equal(await c.command('RETR 1'), '-ERR message 1 already deleted');
      assert.match(await c.command('RSET'), /^\+OK maildrop has 3 messages/);
      assert.equal(await c.command('DELE 2'), '+OK message 2 deleted');
      assert.match(await c.command('STAT'), /^\+OK 2 /);
      assert.equal(inbox(s.store).messages().length, 3, 'nothing removed before QUIT');
      assert.match(await c.command('QUIT'), /^\+OK .*1 message deleted/);
      await c.closedByServer();
      assert.deepEqual(
        inbox(s.store)
          .messages()
          .map((m) => m.uidl),
        [uidls[0], uidls[2]],
      );

      // UIDLs are stable across sessions: the survivors keep theirs, renumbered 1 and 2.
      const again = await s.login();
      assert.equal(await again.command('UIDL'), '+OK unique-id listing follows');
      assert.equal(await again.multiline(), `1 ${uidls[0]}\r\n2 ${uidls[2]}\r\n.\r\n`);
    } finally {
      await s.close();
    }
  });

  test('the maildrop is locked while a session holds it, and freed by QUIT', async () => {
    const s = await startPop3();
    try {
      const first = await s.login();
      const second = await s.connect();
      await second.line();
      await second.command('USER alice');
      assert.equal(await second.command('PASS alice-password'), '-ERR [IN-USE] maildrop already locked');
      // Another user is not affected.
      await second.command('USER bob');
      assert.match(await second.command('PASS bob-password'), /^\+OK bob has/);
      await first.command('QUIT');
      await first.closedByServer();
      const third = await s.login();
      assert.match(await third.command('STAT'), /^\+OK 0 0/);
    } finally {
      await s.close();
    }
  });

  test('messages delivered after login are not shown to that session', async () => {
    const s = await startPop3();
    try {
      s.store.deliver('alice@example.test', message('before', 'x'));
      const c = await s.login();
      s.store.deliver('alice@example.test', message('after', 'y'));
      assert.match(await c.command('STAT'), /^\+OK 1 /);
      assert.match(await c.command('QUIT'), /^\+OK/);
      const d = await s.login();
      assert.match(await d.command('STAT'), /^\+OK 2 /);
    } finally {
      await s.close();
    }
  });

  test('bad input: unknown verbs, control characters, too many bad commands, oversize lines', async () => {
    const s = await startPop3();
    try {
      const c = await s.connect();
      await c.line();
      assert.equal(await c.command('FROB'), '-ERR unknown command FROB');
      assert.equal(await c.command('LIST\x01'), '-ERR command contains control characters');
      assert.equal(await c.command(''), '-ERR empty command');
      let reply = '';
      for (let i = 3; i < LIMITS.sandboxMaxBadCommands; i++) reply = await c.command('XYZZY');
      assert.match(reply, /too many bad commands \(limit sandboxMaxBadCommands\), closing$/);
      await c.closedByServer();

      const d = await s.connect();
      await d.line();
      d.send(Buffer.alloc(LIMITS.sandboxMaxLineLength + 10, 0x41));
      assert.match(
        await d.line(),
        /^-ERR command line exceeds 64 KiB \(limit sandboxMaxLineLength\), closing/,
      );
      await d.closedByServer();

      // The server still serves others.
      const e = await s.login();
      assert.match(await e.command('NOOP'), /^\+OK/);
    } finally {
      await s.close();
    }
  });

  test('pipelined commands are answered in order', async () => {
    const s = await startPop3();
    try {
      s.store.deliver('alice@example.test', message('p', 'pipelined'));
      const c = await s.connect();
      await c.line();
      c.send('USER alice\r\nPASS alice-password\r\nSTAT\r\nUIDL 1\r\nNOOP\r\n');
      assert.match(await c.line(), /^\+OK send PASS/);
      assert.match(await c.line(), /^\+OK alice has 1 message /);
      assert.match(await c.line(), /^\+OK 1 \d+$/);
      assert.match(await c.line(), /^\+OK 1 \S+$/);
      assert.match(await c.line(), /^\+OK/);
    } finally {
      await s.close();
    }
  });

  test('an idle client is logged out with a reason, and its deletions are not applied', async () => {
    const store = createMemoryStore({ users: [...DEFAULT_USERS] });
    store.deliver('alice@example.test', message('idle', 'x'));
    const server = createPop3Server(store, { idleTimeoutMs: 100 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const c = await LineClient.connect(typeof address === 'object' && address ? address.port : 0);
    try {
      await c.line();
      await c.command('USER alice');
      await c.command('PASS alice-password');
      assert.equal(await c.command('DELE 1'), '+OK message 1 deleted');
      assert.equal(await c.line(), '-ERR autologout: idle for too long');
      await c.closedByServer();
      assert.equal(inbox(store).messages().length, 1);
    } finally {
      c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('implicit TLS port serves the same protocol', async () => {
    const s = await startPop3({ implicitTls: true });
    try {
      const c = await s.login();
      assert.equal(await c.command('STLS'), '-ERR STLS is not allowed in the TRANSACTION state');
      assert.match(await c.command('STAT'), /^\+OK 0 0/);
    } finally {
      await s.close();
    }
  });

  test('curl retrieves and lists messages, over cleartext and STLS', async () => {
    const s = await startPop3();
    try {
      s.store.deliver('alice@example.test', message('curl', 'hello curl\r\n.dot line\r\n'));
      const base = `pop3://127.0.0.1:${s.port}`;
      const retr = await run('curl', ['-sS', '--max-time', '10', `${base}/1`, '-u', 'alice:alice-password']);
      assert.match(retr.stdout, /Subject: curl\r\n\r\nhello curl\r\n\.dot line\r\n$/);
      const list = await run('curl', [
        '-sS',
        '--max-time',
        '10',
        '--ssl-reqd',
        '-k',
        `${base}/`,
        '-u',
        'alice:alice-password',
      ]);
      assert.match(list.stdout, /^1 \d+\r\n$/);
      await assert.rejects(
        run('curl', ['-sS', '--max-time', '10', `${base}/1`, '-u', 'alice:wrong']),
        /Login denied|access denied|67/i,
      );
    } finally {
      await s.close();
    }
  });
});
