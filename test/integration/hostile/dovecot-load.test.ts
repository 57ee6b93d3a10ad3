// Load against a real server: 20 concurrent sessions to Dovecot, each creating its own mailbox,
// appending its own messages and reading them back with its own command tags. Each session's
// transcript (in memory and on disk) must hold its own tags, mailbox and bytes and nobody else's,
// and each session's state must be its own. Fails, never skips, when Dovecot cannot start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRealServers, type RealServers } from '../../helpers/real-servers/index.js';
import { openSession, imapCodec, runTyped } from '../../../src/session/open.js';
import type { CommandResult, MailSession } from '../../../src/session/session.js';
import { parseTranscriptJsonl } from '../../../src/transcript/jsonl.js';

const SESSIONS = 20;
const MESSAGES = 3;
let real: RealServers;
let dir: string;
const sessions: MailSession[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailwire-dovecot-load-'));
  real = await startRealServers();
});
after(async () => {
  for (const s of sessions) {
    s.close();
    s.transcript.dispose();
  }
  await real?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly session: MailSession;
  /** Unique to this session: its command-tag prefix, mailbox name and message markers. */
  readonly tag: string;
  readonly mailbox: string;
  readonly markers: readonly string[];
  readonly file: string;
  readonly selectedWhileOpen: string | null;
  readonly stateWhileOpen: string;
}

async function oneSession(i: number): Promise<Run> {
  const id = `${String(i).padStart(2, '0')}${Math.random().toString(36).slice(2, 7)}`;
  const tag = `t${id}x`;
  const mailbox = `Load-${id}`;
  const markers = Array.from({ length: MESSAGES }, (_, k) => `marker-${id}-${k}`);
  const u = real.users[i % real.users.length]!;
  const file = join(dir, `${id}.jsonl`);
  const session = await openSession({
    url: `imap://127.0.0.1:${real.imap.port}`,
    transcriptFile: file,
    timeouts: { greetingMs: 15_000, replyMs: 15_000 },
  });
  sessions.push(session);
  assert.equal(session.status, 'open', session.closedBecause);
  let n = 0;
  const step = async (what: string, r: Promise<CommandResult>): Promise<CommandResult> => {
    const result = await r;
    assert.equal(
      result.outcome,
      'ok',
      `session ${i} ${what}: ${result.text} (${session.closedBecause ?? ''})`,
    );
    return result;
  };
  const raw = (line: string): Promise<CommandResult> => session.sendRaw(`${tag}${++n} ${line}`);
  await step(
    'LOGIN',
    runTyped(session, imapCodec(session), (c) => c.login(u.username, u.password)),
  );
  await step('CREATE', raw(`CREATE ${mailbox}`));
  for (const marker of markers) {
    const message = `From: ${u.address}\r\nSubject: ${marker}\r\n\r\nbody of ${marker}\r\n`;
    await step(
      'APPEND',
      runTyped(session, imapCodec(session), (c) => c.command('APPEND', [mailbox, { literal: message }])),
    );
  }
  const select = await step('SELECT', raw(`SELECT ${mailbox}`));
  const exists = select.events
    .map((e) => Buffer.from((e as { raw?: Uint8Array }).raw ?? new Uint8Array()).toString('latin1'))
    .join('');
  assert.match(exists, new RegExp(`\\* ${MESSAGES} EXISTS`), `session ${i} sees only its own messages`);
  await step('FETCH', raw('FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])'));
  const stateWhileOpen = session.state;
  const selectedWhileOpen = imapCodec(session)?.selected ?? null;
  await step('CLOSE', raw('CLOSE'));
  await step('DELETE', raw(`DELETE ${mailbox}`));
  await step('LOGOUT', raw('LOGOUT'));
  return { session, tag, mailbox, markers, file, selectedWhileOpen, stateWhileOpen };
}

test(`${SESSIONS} concurrent Dovecot sessions: own mailbox, own messages, own transcript`, async () => {
  const runs = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => oneSession(i)));
  for (const run of runs) {
    const { session } = run;
    assert.equal(run.stateWhileOpen, 'selected');
    assert.equal(run.selectedWhileOpen, run.mailbox, 'the codec knew its own mailbox');
    assert.equal(session.state, 'logout');
    session.transcript.close();
    const server = session.transcript.bytesOf('S').toString('latin1');
    const client = session.transcript.bytesOf('C').toString('latin1');
    for (const marker of run.markers) {
      assert.ok(client.includes(`Subject: ${marker}`), `${run.tag} appended ${marker}`);
      assert.ok(server.includes(`Subject: ${marker}`), `${run.tag} read ${marker} back`);
    }
    assert.ok(server.includes(`${run.tag}4 OK`), `${run.tag}: its own tagged replies`);
    // The file written as the session ran holds the same events.
    const onDisk = parseTranscriptJsonl(readFileSync(run.file, 'utf8'));
    assert.deepEqual(onDisk.errors, []);
    assert.equal(onDisk.events.length, session.transcript.events.length, `${run.tag}: file and memory agree`);
    const everything = session.transcript.render({ timestamps: false }) + server + client;
    for (const other of runs) {
      if (other === run) continue;
      assert.ok(!everything.includes(other.tag), `${run.tag} holds ${other.tag}'s tag`);
      assert.ok(!everything.includes(other.mailbox), `${run.tag} holds ${other.mailbox}`);
      for (const m of other.markers) assert.ok(!everything.includes(m), `${run.tag} holds ${m}`);
    }
  }
});
