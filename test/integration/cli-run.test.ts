// `mailwire run` as a user runs it: a real process (dist/cli.js, built by `npm test` first),
// against the sandbox and against real Dovecot and Postfix. Exit codes, output, JUnit reports
// and transcript files are checked, and no secret may appear in any of them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/launcher.js';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { secretForms } from '../../src/transcript/redact.js';

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
let sandbox: RunningSandbox;
let real: RealServers;
let dir: string;

before(async () => {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'mailwire-cli-'));
  sandbox = await startSandbox({
    ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
    certDir: join(dir, 'cert'),
  });
  real = await startRealServers();
});
after(async () => {
  await sandbox?.stop();
  await real?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('mailwire run against the sandbox', () => {
  test('a passing script exits 0, marks each expectation and writes a JUnit report', async () => {
    const file = script(
      'pass.pop3',
      `@connect pop3://127.0.0.1:${sandbox.ports.pop3}\nS: +OK\nC: USER alice\nS: +OK\nC: PASS {{$secret alice}}\nS: +OK\nC: STAT\nS: /^\\+OK (?<n>\\d+)/\nC: QUIT\nS: +OK\n`,
    );
    const junit = join(dir, 'pass.xml');
    const transcripts = join(dir, 'transcripts');
    const r = await runCli(['run', file, '--junit', junit, '--transcript', transcripts, '--no-color'], {
      MAILWIRE_SECRET_ALICE: 'alice-password',
    });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^5 passed, 0 failed$/m);
    assert.match(r.out, /PASS line 6: S: \+OK/);
    assert.match(r.out, /C: PASS <redacted>/);
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite [^>]*failures="0"/);
    const files = readdirSync(transcripts);
    assert.ok(files.some((f) => f.endsWith('.jsonl')) && files.some((f) => f.endsWith('.txt')));
    const everything = [
      r.out,
      r.err,
      xml,
      ...files.map((f) => readFileSync(join(transcripts, f), 'latin1')),
    ].join('\n');
    for (const form of secretForms('alice-password'))
      assert.ok(!everything.includes(form), 'a secret leaked');
  });

  test('a failed expectation exits 1 and says what the server answered', async () => {
    const file = script(
      'fail.imap',
      `@connect imap://127.0.0.1:${sandbox.ports.imap}\nS: * OK\nC: a1 LOGIN alice wrong-password\nS: a1 OK\n`,
    );
    const junit = join(dir, 'fail.xml');
    const r = await runCli(['run', file, '--junit', junit, '--no-color']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /FAIL line 4: S: a1 OK: expected a line starting with "a1 OK", got: "a1 NO/);
    assert.match(r.out, /^1 passed, 1 failed$/m);
    assert.match(readFileSync(junit, 'utf8'), /<failure /);
  });

  test('a syntax error exits 2 with file, line and column, before anything is sent', async () => {
    const file = script('bad.smtp', `@connect smtp://127.0.0.1:${sandbox.ports.smtp}\n@conect x\nC: NOOP\n`);
    const r = await runCli(['run', file]);
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.smtp:2:1: error: unknown directive @conect/);
    assert.ok(!r.out.includes('connecting'), 'nothing was sent');
  });

  test('a refused connection exits 2 with the reason', async () => {
    const file = script('refused.smtp', `@connect smtp://127.0.0.1:1\nS: 220\n`);
    const r = await runCli(['run', file, '--no-color']);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /Connection refused by 127\.0\.0\.1:1/);
  });

  test('a saved transcript converts to a script that replays against the same server', async () => {
    const file = script(
      'capture.imap',
      `@connect imap://127.0.0.1:${sandbox.ports.imap}\nS: * OK\nC: a1 LOGIN alice {{$secret pw}}\nS: a1 OK\nC: a2 SELECT INBOX\nS: a2 OK\nC: a3 LOGOUT\n`,
    );
    const out = join(dir, 'capture');
    const first = await runCli(['run', file, '--transcript', out, '--no-color'], {
      MAILWIRE_SECRET_PW: 'alice-password',
    });
    assert.equal(first.code, 0, first.out + first.err);
    const replay = join(dir, 'replay.mailwire');
    const converted = await runCli(['convert', join(out, 'capture.imap.1.txt'), '-o', replay]);
    assert.equal(converted.code, 0, converted.err);
    const text = readFileSync(replay, 'utf8');
    assert.match(text, /^@connect imap:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(text, /^C: a1 LOGIN alice \{\{\$secret secret1\}\}$/m);
    assert.match(text, /^S: a2 OK$/m);
    const again = await runCli(['run', replay, '--no-color'], { MAILWIRE_SECRET_SECRET1: 'alice-password' });
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /PASS line \d+: S: a2 OK/);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await runCli(['run'])).code, 2);
    assert.equal((await runCli(['run', '--bogus', 'x'])).code, 2);
    assert.equal((await runCli(['nonsense'])).code, 2);
  });
});

describe('mailwire run against Dovecot and Postfix', () => {
  test('STARTTLS then AUTH PLAIN over SMTP, and STARTTLS then LOGIN over IMAP', async () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, real.caCertPem);
    const user = real.users[0]!;
    const plain = Buffer.from(`\0${user.username}\0${user.password}`).toString('base64');
    const file = script(
      'real.mailwire',
      [
        `@connect smtp://127.0.0.1:${real.smtp.port}`,
        'S: 220',
        'C: EHLO ci.example',
        'S: /STARTTLS/',
        'C: STARTTLS',
        'S: 220',
        'C: EHLO ci.example',
        'S: /^250-AUTH .*PLAIN/',
        'C: AUTH PLAIN {{$secret plain}}',
        'S: 235',
        'C: QUIT',
        'S: 221',
        '',
        `@connect imap://127.0.0.1:${real.imap.port}`,
        'S: * OK',
        'C: a1 STARTTLS',
        'S: a1 OK',
        'C: a2 LOGIN {{$env MW_USER}} {{$secret password}}',
        'S: a2 OK',
        'C: a3 LOGOUT',
        'S: a3 OK',
        '',
      ].join('\n'),
    );
    const junit = join(dir, 'real.xml');
    const r = await runCli(['run', file, '--ca', ca, '--junit', junit, '--no-color'], {
      MW_USER: user.username,
      MAILWIRE_SECRET_PLAIN: plain,
      MAILWIRE_SECRET_PASSWORD: user.password,
    });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /TLS established: TLSv1\.[23]/);
    const everything = r.out + r.err + readFileSync(junit, 'utf8');
    for (const form of [...secretForms(user.password), plain])
      assert.ok(!everything.includes(form), 'a secret leaked');
  });
});
