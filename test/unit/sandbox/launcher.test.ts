import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { runSandboxCommand, parseSandboxArgs } from '../../../src/cli/sandbox-command.js';
import { KEY_FILE } from '../../../src/sandbox/cert.js';
import { parseUsers, SandboxConfigError } from '../../../src/sandbox/config.js';
import { startSandbox, type SandboxPorts } from '../../../src/sandbox/launcher.js';
import { LineClient } from './pop3/line-client.js';

const ZERO: SandboxPorts = { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 };
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailwire-launcher-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('startSandbox', () => {
  test('starts every service on free ports, shares one store, describes itself, and stop() closes everything', async () => {
    const sandbox = await startSandbox({ ports: ZERO, certDir: join(dir, 'cert') });
    const clients: LineClient[] = [];
    try {
      const ports = Object.values(sandbox.ports);
      assert.equal(new Set(ports).size, 6);
      assert.ok(ports.every((p) => p > 0));
      const text = sandbox.describe();
      assert.ok(text.includes(`smtp://127.0.0.1:${sandbox.ports.smtp}`), text);
      assert.ok(text.includes(`imaps://127.0.0.1:${sandbox.ports.imaps}`), text);
      assert.ok(text.includes('alice / alice-password'), text);
      assert.ok(text.includes(sandbox.certificate.fingerprint256), text);
      assert.ok(text.includes(`curl pop3://127.0.0.1:${sandbox.ports.pop3}/1 -u alice:alice-password`), text);
      assert.ok(statSync(join(dir, 'cert', KEY_FILE)).mode % 0o1000 === 0o600, 'the key is private');

      // SMTP delivers into the store POP3 reads.
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: sandbox.ports.smtp,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: 'bob@example.test',
        to: 'alice@example.test',
        subject: 'wired',
        text: 'hi',
      });
      transport.close();
      const pop = await LineClient.connect(sandbox.ports.pop3s, { tls: true });
      clients.push(pop);
      assert.match(await pop.line(), /^\+OK/);
      await pop.command('USER alice');
      assert.match(await pop.command('PASS alice-password'), /^\+OK alice has 1 message /);

      // Idle sessions on every port: stop() must not wait for them.
      for (const [service, port] of Object.entries(sandbox.ports)) {
        const c = await LineClient.connect(port, { tls: service.endsWith('s') });
        clients.push(c);
        await c.line();
      }
      const started = Date.now();
      await sandbox.stop();
      assert.ok(Date.now() - started < 2000);
      await Promise.all(clients.map((c) => c.closedByServer()));
      await sandbox.stop(); // twice is harmless
      await assert.rejects(LineClient.connect(sandbox.ports.pop3), /ECONNREFUSED/);
    } finally {
      for (const c of clients) c.close();
      await sandbox.stop();
    }
  });

  test('a port in use names the service and the flag to change it; the certificate is reused', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const busy = typeof address === 'object' && address ? address.port : 0;
    try {
      await assert.rejects(startSandbox({ ports: { ...ZERO, imap: busy }, certDir: join(dir, 'cert') }), {
        name: 'SandboxStartError',
        message: `port ${busy} is already in use (IMAP); pass --imap-port to choose another`,
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    const a = await startSandbox({ ports: ZERO, certDir: join(dir, 'cert') });
    await a.stop();
    const b = await startSandbox({ ports: ZERO, certDir: join(dir, 'cert') });
    await b.stop();
    assert.equal(a.certificate.fingerprint256, b.certificate.fingerprint256);
  });

  test('dataDir passes through to the store: mail survives a restart', async () => {
    const options = { ports: ZERO, certDir: join(dir, 'cert'), dataDir: join(dir, 'data') };
    const first = await startSandbox(options);
    try {
      first.store.deliver('bob@example.test', Buffer.from('Subject: kept\r\n\r\nbody\r\n'));
    } finally {
      await first.stop();
    }
    const second = await startSandbox(options);
    try {
      const bob = second.store.userByName('bob');
      assert.ok(bob);
      const messages = second.store.mailboxes(bob).folder('INBOX')?.messages() ?? [];
      assert.deepEqual(
        messages.map((m) => m.raw.toString()),
        ['Subject: kept\r\n\r\nbody\r\n'],
      );
    } finally {
      await second.stop();
    }
  });

  test('users come from a validated JSON file; passwords from a file are not printed', async () => {
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ users: [{ username: 'dora', password: 'secret-dora' }] }));
    const sandbox = await startSandbox({ ports: ZERO, certDir: join(dir, 'cert'), usersFile: file });
    try {
      assert.deepEqual(
        sandbox.users.map((u) => [u.username, u.addresses]),
        [['dora', ['dora@example.test']]],
      );
      assert.ok(sandbox.store.authenticate('dora', 'secret-dora'));
      assert.ok(!sandbox.describe().includes('secret-dora'));
    } finally {
      await sandbox.stop();
    }
    writeFileSync(file, '{"users": [');
    await assert.rejects(
      startSandbox({ ports: ZERO, certDir: join(dir, 'cert'), usersFile: file }),
      /is not valid JSON/,
    );
  });
});

describe('users config validation', () => {
  const reject = (json: unknown, message: RegExp) =>
    assert.throws(
      () => parseUsers(json, 'users.json'),
      (err: Error) => {
        assert.ok(err instanceof SandboxConfigError);
        assert.match(err.message, message);
        return true;
      },
    );

  test('names the entry and the field that is wrong, never the password', () => {
    reject('x', /expected an array of users/);
    reject([], /the user list is empty/);
    reject([{ username: 'a b', password: 'p' }], /user #1: "username" must be/);
    reject([{ username: 'ann', password: '' }], /user "ann": "password" must be a non-empty string/);
    reject([{ username: 'ann', password: 'p', extra: 1 }], /unknown field "extra"/);
    reject(
      [{ username: 'ann', password: 'p', addresses: ['not an address'] }],
      /address #1 is not a plain address/,
    );
    reject(
      [
        { username: 'ann', password: 'p1' },
        { username: 'ANN', password: 'p2' },
      ],
      /user "ANN": duplicate user name/,
    );
    reject(
      [
        { username: 'ann', password: 'hunter2', addresses: ['x@example.test'] },
        { username: 'bo', password: 'hunter3', addresses: ['X@example.test'] },
      ],
      /address x@example\.test already belongs to "ann"/,
    );
    assert.throws(
      () => parseUsers([{ username: 'ann', password: 'bad\npw' }]),
      (err: Error) => !err.message.includes('bad\npw'),
    );
  });
});

describe('mailwire sandbox command', () => {
  test('parses every option, rejects unknown ones and bad ports', () => {
    assert.deepEqual(
      parseSandboxArgs([
        '--host',
        '::1',
        '--smtp-port',
        '0',
        '--imaps-port=1994',
        '--users',
        'u.json',
        '--data',
        'd',
        '--cert-dir',
        'c',
      ]),
      {
        kind: 'run',
        options: {
          ports: { smtp: 0, imaps: 1994 },
          host: '::1',
          usersFile: 'u.json',
          dataDir: 'd',
          certDir: 'c',
        },
      },
    );
    assert.deepEqual(parseSandboxArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseSandboxArgs(['--frob']), {
      kind: 'error',
      message: 'unknown option --frob (see mailwire sandbox --help)',
    });
    assert.deepEqual(parseSandboxArgs(['--pop3-port', '70000']), {
      kind: 'error',
      message: '--pop3-port must be a port number from 0 to 65535, not 70000',
    });
    assert.deepEqual(parseSandboxArgs(['--data']), { kind: 'error', message: '--data needs a value' });
  });

  test('starts, prints how to connect, and exits 0 when stopped', async () => {
    let out = '';
    let err = '';
    const args = [
      '--smtp-port',
      '0',
      '--smtps-port',
      '0',
      '--pop3-port',
      '0',
      '--pop3s-port',
      '0',
      '--imap-port',
      '0',
      '--imaps-port',
      '0',
      '--cert-dir',
      join(dir, 'cert'),
    ];
    const code = await runSandboxCommand(args, {
      out: (t) => (out += t),
      err: (t) => (err += t),
      untilStopped: () => Promise.resolve(),
    });
    assert.equal(code, 0, err);
    assert.match(out, /Mailwire sandbox listening on 127\.0\.0\.1/);
    assert.match(out, /stopped/);
    const bad = await runSandboxCommand(['--nope'], { out: () => undefined, err: (t) => (err = t) });
    assert.equal(bad, 2);
    assert.match(err, /unknown option --nope/);
  });
});
