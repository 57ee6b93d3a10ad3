// The secrets sweep: a known password and a known OAuth token go through every authentication
// path Mailwire has (typed and raw, with and without an initial response, continuation forms),
// against Dovecot and Postfix where they support the path and against the sandbox or a scripted
// fake server otherwise. Then every output is searched for the password, its base64 forms (alone
// and inside PLAIN's `\0user\0pass` at each of the three base64 alignments) and the token:
// transcript JSON Lines files, rendered text, the editor's transcript text, command results and
// close reasons (what the extension logs), the state view's snapshot, and for `mailwire run` its
// stdout, stderr, JUnit report and transcript files. Each fake server checks it really received
// the secret, so a path that silently sent nothing cannot pass.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { startHostileServer, type HostileConnection, type HostileServer } from '../helpers/hostile-server.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/launcher.js';
import { openSession, imapCodec, pop3Codec, smtpCodec, runTyped } from '../../src/session/open.js';
import type { CommandResult, MailSession } from '../../src/session/session.js';
import { createMechanism } from '../../src/protocol/sasl/index.js';
import type { SaslMechanism } from '../../src/protocol/sasl/types.js';
import { renderEvents } from '../../src/transcript/render.js';
import { TranscriptText } from '../../src/vscode/transcript-text.js';
import { SessionStateModel } from '../../src/state/index.js';
import { autoLogin } from '../../src/verbs/login.js';

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const TOKEN = 'ya29.sweep-Token_7Qv9-not-real';

let real: RealServers;
let sandbox: RunningSandbox;
let dir: string;
let user: string;
let password: string;
let fileCount = 0;
const fakes: HostileServer[] = [];

/** Everything a user could see or keep from one run, gathered after it ends. */
const outputs: Array<{ readonly where: string; readonly text: string }> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailwire-sweep-'));
  real = await startRealServers();
  user = real.users[0]!.username;
  password = real.users[0]!.password;
  sandbox = await startSandbox({
    ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
    certDir: join(dir, 'cert'),
    users: [{ username: user, password, addresses: [user] }],
  });
});
after(async () => {
  await sandbox?.stop();
  await real?.stop();
  for (const f of fakes) await f.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The forms a password or token can take on the wire. */
function forms(secret: string, authUser: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const b64 = bytes.toString('base64');
  const out = [secret, b64, b64.replace(/=+$/, '')];
  // Inside a longer base64 text the secret's bytes start at offset 0, 1 or 2 of a 3-byte group:
  // only the groups made of secret bytes alone are the same whatever surrounds them.
  for (let align = 0; align < 3; align++) {
    const encoded = Buffer.concat([Buffer.alloc(align, 0), bytes, Buffer.alloc(3, 0)]).toString('base64');
    const firstGroup = Math.ceil(align / 3);
    const lastGroup = Math.floor((align + bytes.length) / 3); // exclusive
    if (lastGroup > firstGroup) out.push(encoded.slice(firstGroup * 4, lastGroup * 4));
  }
  for (const plain of [`\0${authUser}\0${secret}`, `${authUser}\0${authUser}\0${secret}`])
    out.push(Buffer.from(plain).toString('base64').replace(/=+$/, ''));
  out.push(
    Buffer.from(`user=${authUser}\x01auth=Bearer ${secret}\x01\x01`).toString('base64').replace(/=+$/, ''),
  );
  return [...new Set(out)].filter((f) => f.length >= 6);
}

function assertClean(where: string, text: string): void {
  for (const secret of [password, TOKEN])
    for (const form of forms(secret, user))
      assert.ok(!text.includes(form), `${where} holds a form of a secret (${JSON.stringify(form)})`);
}

/** Opens a session that writes its transcript file, for `url`. */
async function open(url: string): Promise<MailSession> {
  const file = join(dir, `session-${++fileCount}.jsonl`);
  const session = await openSession({
    url,
    transcriptFile: file,
    ca: [real.caCertPem],
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  assert.equal(session.status, 'open', session.closedBecause);
  return session;
}

/** Closes the session and collects every output it produced. */
function sweep(
  name: string,
  session: MailSession,
  results: readonly CommandResult[],
  logs: string[] = [],
): void {
  const model = new SessionStateModel(session);
  const snapshot = JSON.stringify(model.snapshot());
  session.close('end of the sweep');
  session.transcript.close();
  const file = join(dir, `session-${fileCount}.jsonl`);
  const events = session.transcript.events;
  const text = new TranscriptText(events, { onChange: () => undefined });
  const collected: Array<[string, string]> = [
    ['transcript file', readFileSync(file, 'latin1')],
    ['payload file', existsSync(file + '.payloads') ? readFileSync(file + '.payloads', 'latin1') : ''],
    ['rendered transcript', renderEvents(events) + renderEvents(events, { timestamps: false })],
    ['editor transcript text', text.text()],
    ['client bytes as recorded', session.transcript.bytesOf('C').toString('latin1')],
    ['server bytes as recorded', session.transcript.bytesOf('S').toString('latin1')],
    ['command results', results.map((r) => `${r.outcome}: ${r.text}`).join('\n')],
    ['log lines', [...logs, session.closedBecause ?? ''].join('\n')],
    ['state snapshot', snapshot],
  ];
  for (const [where, content] of collected) outputs.push({ where: `${name}: ${where}`, text: content });
  session.transcript.dispose();
  text.dispose();
}

function mech(name: string, secretKind: 'password' | 'token' = 'password'): SaslMechanism {
  const m = createMechanism(
    name,
    secretKind === 'token'
      ? { username: user, token: TOKEN, host: '127.0.0.1', port: 1 }
      : { username: user, password },
  );
  assert.ok(m, name);
  return m;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('IMAP', () => {
  const imapUrl = () => `imap://127.0.0.1:${real.imap.port}`;
  const typed: Array<[string, (s: MailSession) => Promise<CommandResult>]> = [
    ['LOGIN', (s) => runTyped(s, imapCodec(s), (c) => c.login(user, password))],
    ...['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'].map(
      (m): [string, (s: MailSession) => Promise<CommandResult>] => [
        `AUTHENTICATE ${m}`,
        (s) => runTyped(s, imapCodec(s), (c) => c.authenticate(mech(m))),
      ],
    ),
  ];
  for (const [name, login] of typed) {
    test(`Dovecot, typed ${name} (SASL-IR where the mechanism has an initial response)`, async () => {
      const session = await open(imapUrl());
      const result = await login(session);
      assert.equal(result.outcome, 'ok', result.text);
      sweep(`IMAP ${name}`, session, [result]);
    });
  }

  test('Dovecot, raw lines: LOGIN, LOGIN with a literal password, AUTHENTICATE PLAIN with and without SASL-IR', async () => {
    const raws: Array<[string, string[]]> = [
      ['raw LOGIN', [`r1 LOGIN ${user} ${password}`]],
      ['raw LOGIN literal', [`r1 LOGIN "${user}" {${Buffer.byteLength(password)}}`, password]],
      ['raw AUTHENTICATE SASL-IR', [`r1 AUTHENTICATE PLAIN ${b64(`\0${user}\0${password}`)}`]],
      ['raw AUTHENTICATE continuation', ['r1 AUTHENTICATE PLAIN', b64(`\0${user}\0${password}`)]],
      ['raw AUTHENTICATE LOGIN continuation', ['r1 AUTHENTICATE LOGIN', b64(user), b64(password)]],
    ];
    for (const [name, lines] of raws) {
      const session = await open(imapUrl());
      const pending = lines.map((l) => session.sendRaw(l));
      const results = await Promise.all(pending);
      assert.equal(results[0]!.outcome, 'ok', `${name}: ${results[0]!.text}`);
      sweep(`IMAP ${name}`, session, results);
    }
  });

  test('Dovecot, login after Connect (what the extension does), with its log line', async () => {
    const session = await open(imapUrl());
    const login = await autoLogin(session, user, password, 'sweep.localhost');
    assert.ok(login.ok, login.text);
    sweep('IMAP autoLogin', session, [], [`127.0.0.1: ${login.text}`]);
  });

  test('fake server without SASL-IR: PLAIN, XOAUTH2 and OAUTHBEARER in continuation form; with SASL-IR: the bearer tokens', async () => {
    for (const saslIr of [false, true]) {
      const fake = await startHostileServer((c) => fakeImap(c, saslIr));
      fakes.push(fake);
      const cases: Array<[string, 'password' | 'token']> = [
        ['PLAIN', 'password'],
        ['XOAUTH2', 'token'],
        ['OAUTHBEARER', 'token'],
      ];
      for (const [name, kind] of cases) {
        const session = await open(fake.url('imap'));
        const result = await runTyped(session, imapCodec(session), (c) => c.authenticate(mech(name, kind)));
        assert.equal(result.outcome, 'ok', `${name}: ${result.text}`);
        sweep(`IMAP fake ${saslIr ? 'SASL-IR' : 'no SASL-IR'} ${name}`, session, [result]);
      }
      const secretsSeen = fake.connections.map((c) => c.lines.join('\n')).join('\n');
      assert.ok(secretsSeen.includes(b64(`\0${user}\0${password}`)), 'the fake server received the password');
      const tokens = secretsSeen
        .split('\n')
        .filter((l) => Buffer.from(l.split(' ').pop() ?? '', 'base64').includes(TOKEN));
      assert.equal(tokens.length, 2, 'the fake server received the token for XOAUTH2 and OAUTHBEARER');
    }
  });
});

/** An IMAP server that accepts PLAIN with the password and the bearer mechanisms with the token. */
async function fakeImap(c: HostileConnection, saslIr: boolean): Promise<void> {
  const caps = `IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER${saslIr ? ' SASL-IR' : ''}`;
  await c.send(`* OK [CAPABILITY ${caps}] fake ready\r\n`);
  for (;;) {
    const line = await c.readLine(10_000);
    if (line === undefined) return;
    const m = /^(\S+) AUTHENTICATE (\S+)(?: (\S+))?$/i.exec(line);
    if (!m) {
      await c.send(`${line.split(' ')[0] ?? '*'} BAD fake server\r\n`);
      continue;
    }
    let response = m[3];
    if (response === undefined) {
      await c.send('+ \r\n');
      response = await c.readLine(10_000);
    }
    await c.send(`${m[1]} ${acceptable(m[2]!, response ?? '') ? 'OK authenticated' : 'NO wrong secret'}\r\n`);
  }
}

function acceptable(mechanism: string, response: string): boolean {
  const decoded = Buffer.from(response, 'base64').toString('utf8');
  return mechanism.toUpperCase() === 'PLAIN'
    ? decoded.endsWith(`\0${password}`)
    : decoded.includes(`Bearer ${TOKEN}`);
}

describe('POP3', () => {
  const popUrl = () => `pop3://127.0.0.1:${real.pop3.port}`;
  test('Dovecot: USER/PASS typed and raw, AUTH typed (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1/256) and raw with and without initial response', async () => {
    const paths: Array<[string, (s: MailSession) => Promise<CommandResult[]>]> = [
      [
        'USER/PASS',
        async (s) => [
          await runTyped(s, pop3Codec(s), (c) => c.user(user)),
          await runTyped(s, pop3Codec(s), (c) => c.pass(password)),
        ],
      ],
      ['raw USER/PASS', async (s) => [await s.sendRaw(`USER ${user}`), await s.sendRaw(`PASS ${password}`)]],
      [
        'raw AUTH PLAIN initial response',
        async (s) => [await s.sendRaw(`AUTH PLAIN ${b64(`\0${user}\0${password}`)}`)],
      ],
      [
        'raw AUTH PLAIN continuation',
        (s) => Promise.all([s.sendRaw('AUTH PLAIN'), s.sendRaw(b64(`\0${user}\0${password}`))]),
      ],
      ...['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'].map(
        (m): [string, (s: MailSession) => Promise<CommandResult[]>] => [
          `AUTH ${m}`,
          async (s) => [await runTyped(s, pop3Codec(s), (c) => c.authenticate(mech(m)))],
        ],
      ),
    ];
    for (const [name, login] of paths) {
      const session = await open(popUrl());
      const results = await login(session);
      assert.equal(
        results[results.length - 1]!.outcome,
        'ok',
        `${name}: ${results.map((r) => r.text).join(' / ')}`,
      );
      assert.equal(session.state, 'transaction', name);
      sweep(`POP3 ${name}`, session, results);
    }
  });

  test('sandbox: APOP typed and raw', async () => {
    const session = await open(`pop3://127.0.0.1:${sandbox.ports.pop3}`);
    const result = await runTyped(session, pop3Codec(session), (c) => c.apop(user, password));
    assert.equal(result.outcome, 'ok', result.text);
    sweep('POP3 APOP', session, [result]);
  });
});

describe('SMTP', () => {
  const smtpUrl = () => `smtp://127.0.0.1:${real.smtp.port}`;
  test('Postfix: AUTH PLAIN with initial response and in continuation form, AUTH LOGIN typed and raw', async () => {
    const paths: Array<[string, (s: MailSession) => Promise<CommandResult[]>]> = [
      ['AUTH PLAIN', async (s) => [await runTyped(s, smtpCodec(s), (c) => c.authenticate(mech('PLAIN')))]],
      ['AUTH LOGIN', async (s) => [await runTyped(s, smtpCodec(s), (c) => c.authenticate(mech('LOGIN')))]],
      [
        'raw AUTH PLAIN initial response',
        async (s) => [await s.sendRaw(`AUTH PLAIN ${b64(`\0${user}\0${password}`)}`)],
      ],
      [
        'raw AUTH PLAIN continuation',
        (s) => Promise.all([s.sendRaw('AUTH PLAIN'), s.sendRaw(b64(`\0${user}\0${password}`))]),
      ],
      [
        'raw AUTH LOGIN with the user name as initial response',
        (s) => Promise.all([s.sendRaw(`AUTH LOGIN ${b64(user)}`), s.sendRaw(b64(password))]),
      ],
      [
        'raw AUTH LOGIN continuation',
        (s) => Promise.all([s.sendRaw('AUTH LOGIN'), s.sendRaw(b64(user)), s.sendRaw(b64(password))]),
      ],
    ];
    for (const [name, login] of paths) {
      const session = await open(smtpUrl());
      const ehlo = await runTyped(session, smtpCodec(session), (c) => c.ehlo('sweep.localhost'));
      assert.equal(ehlo.outcome, 'ok', ehlo.text);
      const results = await login(session);
      assert.equal(results[0]!.outcome, 'ok', `${name}: ${results.map((r) => r.text).join(' / ')}`);
      sweep(`SMTP ${name}`, session, [ehlo, ...results]);
    }
  });

  test('fake server: CRAM-MD5, XOAUTH2 with initial response and in continuation form', async () => {
    const fake = await startHostileServer(fakeSmtp);
    fakes.push(fake);
    const paths: Array<[string, (s: MailSession) => Promise<CommandResult[]>]> = [
      [
        'AUTH CRAM-MD5',
        async (s) => [await runTyped(s, smtpCodec(s), (c) => c.authenticate(mech('CRAM-MD5')))],
      ],
      [
        'AUTH XOAUTH2',
        async (s) => [await runTyped(s, smtpCodec(s), (c) => c.authenticate(mech('XOAUTH2', 'token')))],
      ],
      [
        'raw AUTH XOAUTH2 initial response',
        async (s) => [await s.sendRaw(`AUTH XOAUTH2 ${b64(`user=${user}\x01auth=Bearer ${TOKEN}\x01\x01`)}`)],
      ],
      [
        'raw AUTH XOAUTH2 continuation',
        (s) =>
          Promise.all([
            s.sendRaw('AUTH XOAUTH2'),
            s.sendRaw(b64(`user=${user}\x01auth=Bearer ${TOKEN}\x01\x01`)),
          ]),
      ],
    ];
    for (const [name, login] of paths) {
      const session = await open(fake.url('smtp'));
      const ehlo = await runTyped(session, smtpCodec(session), (c) => c.ehlo('sweep.localhost'));
      const results = await login(session);
      assert.equal(results[0]!.outcome, 'ok', `${name}: ${results.map((r) => r.text).join(' / ')}`);
      sweep(`SMTP fake ${name}`, session, [ehlo, ...results]);
    }
    const seen = fake.connections.map((c) => c.lines.join('\n')).join('\n');
    assert.ok(
      seen.includes(b64(`user=${user}\x01auth=Bearer ${TOKEN}\x01\x01`)),
      'the fake server got the token',
    );
  });
});

/** An SMTP server offering CRAM-MD5 and XOAUTH2; it accepts any CRAM answer naming the user. */
async function fakeSmtp(c: HostileConnection): Promise<void> {
  await c.send('220 fake ESMTP\r\n');
  for (;;) {
    const line = await c.readLine(10_000);
    if (line === undefined) return;
    if (/^EHLO /i.test(line)) await c.send('250-fake\r\n250 AUTH CRAM-MD5 XOAUTH2\r\n');
    else if (/^AUTH CRAM-MD5$/i.test(line)) {
      await c.send(`334 ${b64('<1.2@fake>')}\r\n`);
      const answer = Buffer.from((await c.readLine(10_000)) ?? '', 'base64').toString();
      await c.send(answer.startsWith(`${user} `) ? '235 ok\r\n' : '535 no\r\n');
    } else if (/^AUTH XOAUTH2/i.test(line)) {
      let response = line.split(' ')[2];
      if (response === undefined) {
        await c.send('334 \r\n');
        response = (await c.readLine(10_000)) ?? '';
      }
      await c.send(acceptable('XOAUTH2', response) ? '235 ok\r\n' : '535 no\r\n');
    } else await c.send('250 ok\r\n');
  }
}

describe('mailwire run', () => {
  test('LOGIN, AUTHENTICATE, PASS and AUTH with {{$secret}}: stdout, stderr, JUnit and transcript files', async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    const scripts = {
      'login.imap': `@connect imap://127.0.0.1:${real.imap.port}\nS: * OK\nC: a1 LOGIN ${user} {{$secret pw}}\nS: a1 OK\nC: a2 AUTHENTICATE PLAIN {{$secret plain}}\nS: a2 BAD\nC: a3 LOGOUT\n`,
      'auth.imap': `@connect imap://127.0.0.1:${real.imap.port}\nS: * OK\nC: a1 AUTHENTICATE PLAIN\nS: +\nC: {{$secret plain}}\nS: a1 OK\nC: a2 LOGOUT\n`,
      'pass.pop3': `@connect pop3://127.0.0.1:${real.pop3.port}\nS: +OK\nC: USER ${user}\nS: +OK\nC: PASS {{$secret pw}}\nS: +OK\nC: QUIT\n`,
      'auth.smtp': `@connect smtp://127.0.0.1:${real.smtp.port}\nS: 220\nC: EHLO sweep.localhost\nS: 250\nC: AUTH PLAIN {{$secret plain}}\nS: 235\nC: QUIT\n`,
      // A failing expectation prints what the server said and what was sent around it.
      'fail.smtp': `@connect smtp://127.0.0.1:${real.smtp.port}\nS: 220\nC: EHLO sweep.localhost\nS: 250\nC: AUTH PLAIN {{$secret plain}}\nS: 535\n`,
    };
    const transcripts = join(dir, 'cli-transcripts');
    for (const [name, text] of Object.entries(scripts)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const junit = join(dir, `${name}.xml`);
      const r = await runCli(['run', file, '--junit', junit, '--transcript', transcripts, '--no-color'], {
        MAILWIRE_SECRET_PW: password,
        MAILWIRE_SECRET_PLAIN: b64(`\0${user}\0${password}`),
      });
      assert.equal(r.code, name.startsWith('fail') ? 1 : 0, r.out + r.err);
      outputs.push({ where: `mailwire run ${name}: stdout`, text: r.out });
      outputs.push({ where: `mailwire run ${name}: stderr`, text: r.err });
      outputs.push({ where: `mailwire run ${name}: JUnit`, text: readFileSync(junit, 'latin1') });
    }
    for (const f of readdirSync(transcripts))
      outputs.push({
        where: `mailwire run transcript ${f}`,
        text: readFileSync(join(transcripts, f), 'latin1'),
      });
  });
});

test('the search finds the password inside base64 of any surrounding bytes', () => {
  for (const prefix of ['', 'a', 'ab', 'abc', '\0u\0', 'x\0alice\0']) {
    const blob = Buffer.from(`${prefix}${password}tail`).toString('base64');
    assert.ok(
      forms(password, user).some((f) => blob.includes(f)),
      `no form matches with ${prefix.length} bytes before it`,
    );
  }
});

test('no output of any run holds the password, its base64 forms or the token', () => {
  // Registered last: node:test runs the describe blocks above first, in order.
  assert.ok(outputs.length > 150, `only ${outputs.length} outputs were collected`);
  assert.ok(
    outputs.some((o) => o.text.includes('<redacted>')),
    'redaction marks are there (the secrets were sent and removed)',
  );
  for (const o of outputs) assertClean(o.where, o.text);
});

function runCli(
  args: string[],
  env: Record<string, string>,
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
