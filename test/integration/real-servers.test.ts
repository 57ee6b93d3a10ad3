// Checks the real-server harness itself: every listener greets, TLS verifies against the harness
// CA, and a message sent by swaks (STARTTLS + AUTH PLAIN) arrives and reads back over POP3.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { isListening } from '../helpers/real-servers/processes.js';
import { Wire } from '../helpers/real-servers/wire.js';

describe('real Dovecot and Postfix harness', () => {
  let servers: RealServers;
  const open: Wire[] = [];
  const wire = async (port: number, tlsCa?: string): Promise<Wire> => {
    const w = await Wire.open({ host: '127.0.0.1', port, ...(tlsCa ? { tlsCa } : {}) });
    open.push(w);
    return w;
  };

  before(async () => {
    servers = await startRealServers();
  });
  after(async () => {
    for (const w of open) w.close();
    await servers?.stop();
  });

  test('IMAP greets with * OK and offers STARTTLS', async () => {
    const w = await wire(servers.imap.port);
    const greeting = await w.readLine();
    assert.match(greeting, /^\* OK \[CAPABILITY [^\]]*STARTTLS[^\]]*\] /);
    assert.match(await w.command('a1 LOGOUT', /^a1 OK.*\r\n/m), /\* BYE/);
  });

  test('IMAPS greets over TLS with a certificate that verifies against caCertPem', async () => {
    const w = await wire(servers.imaps.port, servers.caCertPem);
    assert.equal(w.tlsSocket?.authorized, true);
    assert.match(await w.readLine(), /^\* OK /);
  });

  test('POP3 and POP3S greet with +OK', async () => {
    const plain = await wire(servers.pop3.port);
    assert.match(await plain.readLine(), /^\+OK /);
    assert.match(await plain.command('CAPA', /\r\n\.\r\n/), /\r\nSTLS\r\n/);
    const secure = await wire(servers.pop3s.port, servers.caCertPem);
    assert.equal(secure.tlsSocket?.authorized, true);
    assert.match(await secure.readLine(), /^\+OK /);
  });

  test('SMTP greets with 220 and STARTTLS verifies against caCertPem', async () => {
    const w = await wire(servers.smtp.port);
    assert.match(await w.readUntil(/^220 .*\r\n/m), /^220 mx\.example\.test ESMTP/);
    const ehlo = await w.command('EHLO client.example.test', /^250 .*\r\n/m);
    assert.match(ehlo, /^250-STARTTLS\r\n/m);
    assert.match(ehlo, /^250-AUTH PLAIN LOGIN\b/m);
    assert.match(await w.command('STARTTLS', /^\d{3} .*\r\n/m), /^220 /);
    const secure = await w.startTls(servers.caCertPem);
    assert.equal(secure.authorized, true);
    const after = await w.command('EHLO client.example.test', /^250 .*\r\n/m);
    assert.doesNotMatch(after, /STARTTLS/);
    assert.match(await w.command('QUIT', /^221 .*\r\n/m), /^221 /);
  });

  test('a message sent with swaks (STARTTLS + AUTH PLAIN) is delivered and readable over POP3 RETR', async () => {
    const [alice, bob] = servers.users;
    assert.ok(alice && bob);
    const before = servers.inboxCount(bob);
    const caFile = `${servers.root}/ca.pem`;
    writeFileSync(caFile, servers.caCertPem);
    const marker = `harness-check-${process.pid}-${before}`;
    const args = [
      '--server',
      '127.0.0.1',
      '--port',
      String(servers.smtp.port),
      '--tls',
      '--tls-verify',
      '--tls-ca-path',
      caFile,
      '--tls-sni',
      'mx.example.test',
      '--auth',
      'PLAIN',
      '--auth-user',
      alice.username,
      '--auth-password',
      alice.password,
      '--from',
      alice.address,
      '--to',
      bob.address,
      '--header',
      `Subject: ${marker}`,
      '--body',
      `Body line for ${marker}`,
    ];
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('swaks', args, { timeout: 20_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    // swaks echoes the AUTH exchange; keep credentials out of failure messages.
    const shown = result.output.replace(/AUTH PLAIN \S+/g, 'AUTH PLAIN <redacted>');
    assert.equal(result.code, 0, `swaks failed:\n${shown}\n${servers.logs()}`);
    assert.match(shown, /235 2\.7\.0 Authentication successful/);
    await servers.waitForDelivery(bob, before + 1);

    const pop = await wire(servers.pop3.port);
    await pop.readLine();
    assert.match(await pop.command(`USER ${bob.username}`, /\r\n/), /^\+OK/);
    assert.match(await pop.command(`PASS ${bob.password}`, /\r\n/), /^\+OK Logged in/);
    const stat = await pop.command('STAT', /\r\n/);
    const count = Number(/^\+OK (\d+) \d+/.exec(stat)?.[1]);
    assert.equal(count, before + 1, stat);
    const message = await pop.command(`RETR ${count}`, /\r\n\.\r\n/);
    assert.match(message, /^\+OK \d+ octets\r\n/);
    assert.match(message, new RegExp(`^Subject: ${marker}\\r$`, 'm'));
    assert.match(message, new RegExp(`^Body line for ${marker}\\r$`, 'm'));
    assert.match(message, /^Received: from .*\r\n\s+by mx\.example\.test \(Postfix\) with ESMTPS/m);
    assert.match(await pop.command('QUIT', /\r\n/), /^\+OK/);
  });

  // Last on purpose: it stops the shared instance (after() then finds nothing left to stop).
  test('stop() frees every port and the temp folder, and a second start works', async () => {
    for (const w of open.splice(0)) w.close();
    const ports = [servers.imap, servers.imaps, servers.pop3, servers.pop3s, servers.smtp, servers.lmtp].map(
      (e) => e.port,
    );
    await servers.stop();
    for (const port of ports)
      assert.equal(await isListening(port), false, `port ${port} still open after stop()`);
    assert.equal(existsSync(servers.root), false);

    const again = await startRealServers();
    try {
      assert.notEqual(again.root, servers.root);
      const smtp = await wire(again.smtp.port);
      assert.match(await smtp.readUntil(/^220 .*\r\n/m), /^220 /);
      const imap = await wire(again.imap.port);
      assert.match(await imap.readLine(), /^\* OK /);
    } finally {
      for (const w of open.splice(0)) w.close();
      await again.stop();
    }
  });
});

describe('recorded dialogues (test/fixtures/recorded)', () => {
  const dir = join(__dirname, '../fixtures/recorded');
  const read = (name: string): { dir: string; text: string }[] =>
    readFileSync(join(dir, name), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => {
        const chunk = JSON.parse(line) as { dir: unknown; b64: unknown };
        assert.ok(chunk.dir === 'C' || chunk.dir === 'S', `${name}: bad dir ${String(chunk.dir)}`);
        assert.equal(typeof chunk.b64, 'string');
        return { dir: chunk.dir, text: Buffer.from(chunk.b64 as string, 'base64').toString('latin1') };
      });

  test('every file is one {dir, b64} chunk per line, server first, and documented in the README', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    assert.ok(files.length >= 9, `only ${files.length} recordings`);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const file of files) {
      assert.match(file, /^(dovecot-imap|dovecot-pop3|postfix-smtp)-[a-z0-9-]+\.jsonl$/);
      assert.ok(readme.includes(`\`${file}\``), `${file} is not described in README.md`);
      const chunks = read(file);
      assert.equal(chunks[0]?.dir, 'S', `${file} must start with the greeting`);
      assert.ok(chunks.every((c) => c.text.length > 0));
    }
  });

  test('the recordings hold the exchanges the codec tests rely on', () => {
    const server = (name: string): string =>
      read(name)
        .filter((c) => c.dir === 'S')
        .map((c) => c.text)
        .join('');
    const imap = server('dovecot-imap-session.jsonl');
    for (const landmark of [
      /^a005 NO \[AUTHENTICATIONFAILED\]/m,
      /^a003 BAD /m,
      / BODYSTRUCTURE \(\(/,
      /BODY\[\] \{\d+\}\r\n/,
      /^\* \d+ EXPUNGE\r\n/m,
      /^\* BYE /m,
    ]) {
      assert.match(imap, landmark);
    }
    assert.match(server('dovecot-imap-idle.jsonl'), /^\+ idling\r\n\* \d+ EXISTS\r\n/m);
    const pop3 = server('dovecot-pop3-session.jsonl');
    assert.match(pop3, /^-ERR \[AUTH\] /m);
    assert.match(pop3, /^\.\.A line starting with a dot/m);
    const smtp = server('postfix-smtp-session.jsonl');
    for (const code of ['501', '500', '535', '334', '235', '252', '550', '354', '221']) {
      assert.match(smtp, new RegExp(`^${code}[ -]`, 'm'));
    }
  });
});
