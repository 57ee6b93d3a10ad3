// Records real client conversations with Dovecot and Postfix, both directions byte for byte, into
// test/fixtures/recorded/*.jsonl (one `{"dir":"C"|"S","b64":...}` per chunk, in order) for the codec
// unit tests. Run as root: node --import tsx test/helpers/real-servers/record-dialogues.ts
//
// Only the harness's test users and their known test passwords appear in the recordings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRealServers, type RealServers } from './index.js';
import { alternativeMessage, multipartMessage, plainMessage, shortMessage } from './sample-messages.js';
import { smtpDataBody, submitMessage } from './smtp-submit.js';
import { Wire, type WireChunk } from './wire.js';

const OUT_DIR = resolve(__dirname, '../../fixtures/recorded');

const SMTP_REPLY = /^\d{3} [^\r\n]*\r\n/m;
const POP_LINE = /\r\n/;
const POP_MULTI = /^(?:\+OK[^\r\n]*\r\n(?:[^\r\n]*\r\n)*?\.\r\n|-ERR[^\r\n]*\r\n)/;
const tagged = (tag: string): RegExp => new RegExp(`^${tag} (?:OK|NO|BAD)[^\\r\\n]*\\r\\n`, 'm');

function save(name: string, chunks: readonly WireChunk[]): void {
  const lines = chunks.map((c) => JSON.stringify({ dir: c.dir, b64: c.bytes.toString('base64') }));
  writeFileSync(join(OUT_DIR, `${name}.jsonl`), `${lines.join('\n')}\n`);
  const bytesC = chunks.filter((c) => c.dir === 'C').reduce((n, c) => n + c.bytes.length, 0);
  const bytesS = chunks.filter((c) => c.dir === 'S').reduce((n, c) => n + c.bytes.length, 0);
  console.log(`${name}.jsonl: ${chunks.length} chunks, ${bytesC} bytes from client, ${bytesS} from server`);
}

/** IMAP: a whole mail-client session, with errors on purpose. */
async function recordImapSession(s: RealServers): Promise<void> {
  const [alice] = s.users;
  if (!alice) throw new Error('no test user');
  const w = await Wire.open(s.imap);
  try {
    await w.readLine(); // greeting
    const run = async (tag: string, command: string): Promise<string> =>
      w.command(`${tag} ${command}`, tagged(tag));
    await run('a001', 'CAPABILITY');
    await run('a002', 'NOOP');
    await run('a003', 'FROBNICATE');
    await run('a004', 'SELECT INBOX'); // not authenticated yet: BAD
    await run('a005', `LOGIN ${alice.username} wrong-password`);
    await run('a006', `LOGIN ${alice.username} ${alice.password}`);
    await run('a007', 'CAPABILITY');
    await run('a008', 'ID ("name" "mailwire-recorder" "version" "0.1")');
    await run('a009', 'ENABLE CONDSTORE');
    await run('a010', 'NAMESPACE');
    await run('a011', 'LIST "" "*"');
    await run('a012', 'LSUB "" "*"');
    await run('a013', 'LIST "" ""');
    await run('a014', 'STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)');
    await run('a015', 'STATUS Nonexistent (MESSAGES)');
    await run('a016', 'SELECT INBOX');
    await run('a017', 'FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)');
    await run('a018', 'FETCH 2 BODY[]');
    await run('a019', 'FETCH 3 (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)] BODY.PEEK[1]<0.64>)');
    await run('a020', 'UID FETCH 1:* (FLAGS)');
    await run('a021', 'STORE 1 +FLAGS (\\Seen \\Flagged)');
    await run('a022', 'UID STORE 2 +FLAGS.SILENT (\\Answered)');
    await run('a023', 'SEARCH UNSEEN');
    await run('a024', 'SEARCH SUBJECT "Note" NOT DELETED');
    await run('a025', 'UID SEARCH ALL');
    await run('a026', 'FETCH 99 (FLAGS)'); // beyond the last message
    await run('a027', 'FETCH 1 (FLAGS'); // unbalanced parenthesis: BAD
    await run('a028', 'STORE 4 +FLAGS (\\Deleted)');
    await run('a029', 'EXPUNGE');
    await run('a030', 'SELECT "Missing folder"');
    await run('a031', 'LOGOUT');
    await w.waitClosed();
    save('dovecot-imap-session', w.chunks);
  } finally {
    w.close();
  }
}

/** IMAP: a literal login (continuation requests) and AUTHENTICATE PLAIN with an initial response. */
async function recordImapLiteralsAndAuthenticate(s: RealServers): Promise<void> {
  const [alice, bob] = s.users;
  if (!alice || !bob) throw new Error('no test users');
  const w = await Wire.open(s.imap);
  try {
    await w.readLine();
    await w.command(`b001 LOGIN {${alice.username.length}}`, /^\+ [^\r\n]*\r\n/m);
    await w.command(`${alice.username} {${alice.password.length}}`, /^\+ [^\r\n]*\r\n/m);
    await w.command(alice.password, tagged('b001'));
    await w.command('b002 LOGOUT', tagged('b002'));
    await w.waitClosed();
    save('dovecot-imap-literal-login', w.chunks);
  } finally {
    w.close();
  }
  const a = await Wire.open(s.imap);
  try {
    await a.readLine();
    const wrong = Buffer.from(`\0${bob.username}\0not-bobs-password`).toString('base64');
    const right = Buffer.from(`\0${bob.username}\0${bob.password}`).toString('base64');
    await a.command(`c001 AUTHENTICATE PLAIN ${wrong}`, tagged('c001'));
    await a.command('c002 AUTHENTICATE PLAIN', /^\+ [^\r\n]*\r\n/m);
    await a.command('*', tagged('c002')); // client cancels the exchange
    await a.command(`c003 AUTHENTICATE PLAIN ${right}`, tagged('c003'));
    await a.command('c004 LOGOUT', tagged('c004'));
    await a.waitClosed();
    save('dovecot-imap-authenticate', a.chunks);
  } finally {
    a.close();
  }
}

/** IMAP: IDLE while Postfix delivers a new message. */
async function recordImapIdle(s: RealServers): Promise<void> {
  const [alice, bob] = s.users;
  if (!alice || !bob) throw new Error('no test users');
  const w = await Wire.open(s.imap);
  try {
    await w.readLine();
    await w.command(`d001 LOGIN ${alice.username} ${alice.password}`, tagged('d001'));
    await w.command('d002 SELECT INBOX', tagged('d002'));
    await w.command('d003 IDLE', /^\+ [^\r\n]*\r\n/m);
    const before = s.inboxCount(alice);
    await submitMessage(
      s.smtp,
      bob.address,
      [alice.address],
      shortMessage(bob.address, alice.address, 9).text,
    );
    await s.waitForDelivery(alice, before + 1);
    await w.readUntil(/^\* \d+ EXISTS\r\n/m, 10_000);
    // Dovecot may follow EXISTS with RECENT in a separate write; let it arrive before DONE.
    await new Promise((r) => setTimeout(r, 300));
    await w.command('DONE', tagged('d003'));
    await w.command('d004 FETCH * (UID FLAGS ENVELOPE)', tagged('d004'));
    await w.command('d005 LOGOUT', tagged('d005'));
    await w.waitClosed();
    save('dovecot-imap-idle', w.chunks);
  } finally {
    w.close();
  }
}

/** POP3: a whole session on bob's mailbox, deletions undone with RSET. */
async function recordPop3Session(s: RealServers): Promise<void> {
  const [, bob] = s.users;
  if (!bob) throw new Error('no test user');
  const w = await Wire.open(s.pop3);
  try {
    await w.readLine();
    await w.command('CAPA', POP_MULTI);
    await w.command('STAT', POP_LINE); // before login: -ERR
    await w.command(`USER ${bob.username}`, POP_LINE);
    await w.command('PASS wrong-password', POP_LINE);
    await w.command(`USER ${bob.username}`, POP_LINE);
    await w.command(`PASS ${bob.password}`, POP_LINE);
    await w.command('STAT', POP_LINE);
    await w.command('LIST', POP_MULTI);
    await w.command('LIST 3', POP_LINE);
    await w.command('LIST 42', POP_LINE);
    await w.command('UIDL', POP_MULTI);
    await w.command('UIDL 1', POP_LINE);
    await w.command('TOP 1 0', POP_MULTI);
    await w.command('TOP 2 3', POP_MULTI);
    await w.command('RETR 1', POP_MULTI);
    await w.command('RETR 2', POP_MULTI);
    await w.command('RETR 3', POP_MULTI);
    await w.command('DELE 1', POP_LINE);
    await w.command('RETR 1', POP_LINE); // deleted: -ERR
    await w.command('STAT', POP_LINE);
    await w.command('RSET', POP_LINE);
    await w.command('NOOP', POP_LINE);
    await w.command('XYZZY', POP_LINE);
    await w.command('QUIT', POP_LINE);
    await w.waitClosed();
    save('dovecot-pop3-session', w.chunks);
  } finally {
    w.close();
  }
}

/** POP3: CAPA then STLS accepted (plaintext part only). */
async function recordPop3Stls(s: RealServers): Promise<void> {
  const w = await Wire.open(s.pop3);
  try {
    await w.readLine();
    await w.command('CAPA', POP_MULTI);
    await w.command('STLS', POP_LINE);
    const chunks = [...w.chunks];
    await w.startTls(s.caCertPem);
    save('dovecot-pop3-stls', chunks);
  } finally {
    w.close();
  }
}

/** SMTP: the plaintext part of a session with every kind of reply a client must handle. */
async function recordSmtpSession(s: RealServers): Promise<void> {
  const [alice, bob] = s.users;
  if (!alice || !bob) throw new Error('no test users');
  const w = await Wire.open(s.smtp);
  try {
    await w.readUntil(SMTP_REPLY);
    await w.command('HELO client.example.test', SMTP_REPLY);
    await w.command('EHLO client.example.test', SMTP_REPLY);
    await w.command('MAIL FROM:<alice@example.test', SMTP_REPLY); // syntax error: 501
    await w.command('FROB', SMTP_REPLY); // 502
    const wrong = Buffer.from(`\0${alice.username}\0not-the-password`).toString('base64');
    await w.command(`AUTH PLAIN ${wrong}`, SMTP_REPLY); // 535
    await w.command('AUTH LOGIN', SMTP_REPLY); // 334 Username:
    await w.command(Buffer.from(alice.username).toString('base64'), SMTP_REPLY); // 334 Password:
    await w.command(Buffer.from(alice.password).toString('base64'), SMTP_REPLY); // 235
    await w.command('VRFY bob@example.test', SMTP_REPLY);
    await w.command('VRFY nobody@example.test', SMTP_REPLY);
    await w.command(`MAIL FROM:<${alice.address}> SIZE=2048`, SMTP_REPLY);
    await w.command('RCPT TO:<nobody@example.test>', SMTP_REPLY); // 550 unknown user
    await w.command('RCPT TO:<someone@elsewhere.invalid>', SMTP_REPLY); // 550: the harness sends nothing out
    await w.command('RSET', SMTP_REPLY);
    await w.command(`MAIL FROM:<${alice.address}>`, SMTP_REPLY);
    await w.command(`RCPT TO:<${bob.address}>`, SMTP_REPLY);
    await w.command('DATA', SMTP_REPLY); // 354
    await w.send(smtpDataBody(plainMessage(alice.address, bob.address).text));
    await w.command('.', SMTP_REPLY); // 250 queued as ...
    await w.command('NOOP', SMTP_REPLY);
    await w.command('RSET', SMTP_REPLY);
    await w.command('QUIT', SMTP_REPLY);
    await w.waitClosed();
    save('postfix-smtp-session', w.chunks);
  } finally {
    w.close();
  }
}

/** SMTP: PIPELINING (one write, several replies) and a 554 for DATA with no valid recipient. */
async function recordSmtpPipelining(s: RealServers): Promise<void> {
  const [alice, bob] = s.users;
  if (!alice || !bob) throw new Error('no test users');
  const w = await Wire.open(s.smtp);
  try {
    await w.readUntil(SMTP_REPLY);
    await w.command('EHLO client.example.test', SMTP_REPLY);
    await w.send(`MAIL FROM:<${alice.address}>\r\nRCPT TO:<nobody@example.test>\r\nDATA\r\n`);
    await w.readUntil(/^(?:\d{3} [^\r\n]*\r\n[\s\S]*?){3}/m);
    await w.command('RSET', SMTP_REPLY);
    await w.send(`MAIL FROM:<${alice.address}>\r\nRCPT TO:<${bob.address}>\r\nDATA\r\n`);
    await w.readUntil(/^354 [^\r\n]*\r\n/m);
    await w.send(smtpDataBody(shortMessage(alice.address, bob.address, 7).text));
    await w.send('.\r\nQUIT\r\n');
    await w.readUntil(/^221 [^\r\n]*\r\n/m);
    await w.waitClosed();
    save('postfix-smtp-pipelining', w.chunks);
  } finally {
    w.close();
  }
}

/** SMTP: STARTTLS accepted (plaintext part only, up to the 220 Ready). */
async function recordSmtpStarttls(s: RealServers): Promise<void> {
  const w = await Wire.open(s.smtp);
  try {
    await w.readUntil(SMTP_REPLY);
    await w.command('EHLO client.example.test', SMTP_REPLY);
    await w.command('STARTTLS', SMTP_REPLY);
    const chunks = [...w.chunks];
    await w.startTls(s.caCertPem);
    await w.command('QUIT', SMTP_REPLY);
    save('postfix-smtp-starttls', chunks);
  } finally {
    w.close();
  }
}

const started = Date.now();
function step(what: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  step('starting servers');
  const s = await startRealServers();
  try {
    const [alice, bob] = s.users;
    if (!alice || !bob) throw new Error('no test users');
    // alice's INBOX for IMAP: plain, multipart with attachment, alternative, a note to expunge.
    const forAlice = [
      plainMessage(bob.address, alice.address),
      multipartMessage(bob.address, alice.address),
      alternativeMessage(bob.address, alice.address),
      shortMessage(bob.address, alice.address, 1),
    ];
    // One at a time, so the messages arrive (and are numbered) in this order.
    step('delivering sample messages');
    for (const [i, m] of forAlice.entries()) {
      await submitMessage(s.smtp, bob.address, [alice.address], m.text);
      await s.waitForDelivery(alice, i + 1);
    }
    const forBob = [
      multipartMessage(alice.address, bob.address),
      plainMessage(alice.address, bob.address), // has a line starting with a dot: stuffed in RETR
      shortMessage(alice.address, bob.address, 2),
    ];
    for (const [i, m] of forBob.entries()) {
      await submitMessage(s.smtp, alice.address, [bob.address], m.text);
      await s.waitForDelivery(bob, i + 1);
    }

    step('recording');
    await recordImapSession(s);
    await recordImapLiteralsAndAuthenticate(s);
    await recordImapIdle(s);
    await recordPop3Session(s);
    await recordPop3Stls(s);
    await recordSmtpSession(s);
    await recordSmtpPipelining(s);
    await recordSmtpStarttls(s);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${s.logs()}`);
  } finally {
    step('stopping servers');
    await s.stop();
    step('done');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
