// The knowledge base must explain every verb the palette offers and every code, status, capability
// and keyword that Dovecot, Postfix and the sandbox send in the test suite. A missing entry fails
// the test with its name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  lookupCapability,
  lookupEnhancedStatus,
  lookupImapResponse,
  lookupImapResponseCode,
  lookupPop3ResponseCode,
  lookupSmtpReply,
  lookupVerb,
  type KnowledgeProtocol,
} from '../../../src/knowledge/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/launcher.js';
import { parseScript } from '../../../src/script/parser.js';
import { runScript } from '../../../src/script/runner.js';
import { createSessionTarget } from '../../../src/session/script-target.js';
import { collectImap, collectPop3, collectSmtp, emptySeen, type SeenCodes } from './codes-seen.js';

const root = join(__dirname, '../../..');

/** The verb list of issue 5, used until the palette's catalog (src/verbs/catalog.ts) exists. */
const ISSUE_5_VERBS: Record<KnowledgeProtocol, string[]> = {
  imap: 'LOGIN AUTHENTICATE CAPABILITY NAMESPACE ID ENABLE LIST LSUB STATUS SELECT EXAMINE CREATE DELETE RENAME SUBSCRIBE UNSUBSCRIBE FETCH SEARCH STORE COPY MOVE EXPUNGE APPEND IDLE DONE CLOSE UNSELECT NOOP LOGOUT STARTTLS,UID FETCH,UID SEARCH,UID STORE,UID COPY,UID MOVE,UID EXPUNGE'
    .split(',')
    .flatMap((part, i) => (i === 0 ? part.split(' ') : [part])),
  pop3: 'USER PASS APOP AUTH CAPA STLS STAT LIST UIDL TOP RETR DELE RSET NOOP QUIT'.split(' '),
  smtp: 'EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET VRFY EXPN NOOP QUIT HELP'.split(' '),
};

interface CatalogVerb {
  readonly protocol: KnowledgeProtocol;
  readonly verb: string;
}

async function paletteVerbs(): Promise<CatalogVerb[]> {
  const fromIssue = Object.entries(ISSUE_5_VERBS).flatMap(([protocol, verbs]) =>
    verbs.map((verb) => ({ protocol: protocol as KnowledgeProtocol, verb })),
  );
  const catalog = join(root, 'src/verbs/catalog.ts');
  if (!existsSync(catalog)) return fromIssue;
  // A path built at run time: the catalog is another engineer's module and may not exist yet.
  const mod = (await import(catalog)) as { VERBS?: readonly CatalogVerb[] };
  const verbs: readonly CatalogVerb[] = mod.VERBS ?? [];
  assert.ok(verbs.length > 0, 'src/verbs/catalog.ts exports VERBS');
  return [...fromIssue, ...verbs.map((v) => ({ protocol: v.protocol, verb: v.verb }))];
}

function serverLinesOf(file: string): { lines: string[]; replies: string[][] } {
  // Server bytes joined in order, split into lines; `replies` groups the lines after each client write.
  const replies: string[][] = [];
  let text = '';
  let current = '';
  for (const row of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const { dir, b64 } = JSON.parse(row) as { dir: 'C' | 'S'; b64: string };
    const chunk = Buffer.from(b64, 'base64').toString('latin1');
    if (dir === 'S') {
      text += chunk;
      current += chunk;
    } else {
      replies.push(current.split('\r\n'));
      current = '';
    }
  }
  replies.push(current.split('\r\n'));
  return { lines: text.split('\r\n'), replies };
}

function collect(protocol: KnowledgeProtocol, lines: string[], replies: string[][], seen: SeenCodes): void {
  if (protocol === 'smtp') collectSmtp(lines, seen);
  else if (protocol === 'imap') collectImap(lines, seen);
  else
    collectPop3(
      lines,
      seen,
      replies.filter(
        (r) => /^\+OK/.test(r[0] ?? '') && r.length > 2 && r.some((l) => /^(TOP|UIDL|USER|SASL)\b/.test(l)),
      ),
    );
}

function missing(seen: SeenCodes): string[] {
  const out: string[] = [];
  for (const c of seen.smtpReplies) if (!lookupSmtpReply(c)) out.push(`SMTP reply ${c}`);
  for (const c of seen.enhanced) if (!lookupEnhancedStatus(c)?.detail) out.push(`enhanced status ${c}`);
  for (const c of seen.smtpKeywords) if (!lookupCapability('smtp', c)) out.push(`EHLO keyword ${c}`);
  for (const c of seen.imapCodes) if (!lookupImapResponseCode(c)) out.push(`IMAP response code ${c}`);
  for (const c of seen.imapResponses) if (!lookupImapResponse(c)) out.push(`IMAP response ${c}`);
  for (const c of seen.imapCapabilities) if (!lookupCapability('imap', c)) out.push(`IMAP capability ${c}`);
  for (const c of seen.pop3Codes) if (!lookupPop3ResponseCode(c)) out.push(`POP3 response code ${c}`);
  for (const c of seen.pop3Capabilities) if (!lookupCapability('pop3', c)) out.push(`POP3 capability ${c}`);
  return out;
}

describe('knowledge base completeness', () => {
  test('every palette verb has an entry with syntax, summary, states, an RFC link and an example', async () => {
    const verbs = await paletteVerbs();
    const absent = verbs.filter((v) => !lookupVerb(v.protocol, v.verb)).map((v) => `${v.protocol} ${v.verb}`);
    assert.deepEqual(absent, [], `verbs missing from the knowledge base: ${absent.join(', ')}`);
    for (const v of verbs) {
      const e = lookupVerb(v.protocol, v.verb);
      assert.ok(e && e.summary && e.syntax && e.example && e.states.length > 0, `${v.protocol} ${v.verb}`);
      assert.match(e.ref.url, /^https:\/\/(www\.rfc-editor\.org\/rfc\/rfc\d+(#section-[\dA-Z.]+)?|.+)$/);
    }
  });

  test('every code and capability in the recorded Dovecot and Postfix dialogues is explained', () => {
    const dir = join(root, 'test/fixtures/recorded');
    const seen = emptySeen();
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    assert.ok(files.length >= 9, 'the recorded dialogues are present');
    for (const f of files) {
      const protocol: KnowledgeProtocol = f.includes('imap') ? 'imap' : f.includes('pop3') ? 'pop3' : 'smtp';
      const { lines, replies } = serverLinesOf(join(dir, f));
      collect(protocol, lines, replies, seen);
    }
    // The extraction itself must work, or the check below proves nothing.
    for (const code of ['550', '5.1.1', 'AUTHENTICATIONFAILED', 'IDLE', 'PIPELINING', 'AUTH']) {
      const all = [
        ...seen.smtpReplies,
        ...seen.enhanced,
        ...seen.imapCodes,
        ...seen.imapCapabilities,
        ...seen.smtpKeywords,
        ...seen.pop3Codes,
      ];
      assert.ok(all.includes(code), `extraction finds ${code}`);
    }
    assert.ok(seen.pop3Capabilities.has('RESP-CODES'), 'extraction finds POP3 CAPA tags');
    assert.deepEqual(missing(seen), []);
  });

  describe('against the sandbox', () => {
    let sandbox: RunningSandbox;
    let certDir: string;
    before(async () => {
      certDir = mkdtempSync(join(tmpdir(), 'mailwire-knowledge-'));
      // Must fail (not skip) when the sandbox cannot start.
      sandbox = await startSandbox({
        ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
        certDir,
      });
    });
    after(async () => {
      await sandbox?.stop();
      rmSync(certDir, { recursive: true, force: true });
    });

    test('every code and capability the sandbox sends in a varied session is explained', async () => {
      const p = sandbox.ports;
      const text = [
        `@timeout 5s`,
        `@connect smtp://127.0.0.1:${p.smtp}`,
        'C: EHLO client.example',
        'C: MAIL FROM:bob@example.test',
        'C: FROB',
        'C: AUTH PLAIN AGJvYgB3cm9uZw==',
        'C: RCPT TO:<alice@example.test>',
        'C: DATA',
        'C: MAIL FROM:<bob@example.test>',
        'C: RCPT TO:<alice@example.test>',
        'C: DATA',
        'S: 354',
        '<<<',
        'Subject: knowledge',
        '',
        'hello',
        '>>>',
        'C: VRFY alice',
        'C: NOOP',
        'C: RSET',
        'C: HELP',
        'C: QUIT',
        `@connect pop3://127.0.0.1:${p.pop3}`,
        'C: CAPA',
        'C: STAT',
        'C: USER alice',
        'C: PASS wrong-password',
        'C: USER alice',
        'C: PASS alice-password',
        'C: STAT',
        'C: LIST',
        'C: UIDL',
        'C: TOP 1 0',
        'C: RETR 1',
        'C: RETR 42',
        'C: DELE 1',
        'C: RSET',
        'C: NOOP',
        'C: FROB',
        'C: QUIT',
        `@connect imap://127.0.0.1:${p.imap}`,
        'C: a1 CAPABILITY',
        'C: a2 NOOP',
        'C: a3 FROB',
        'C: a4 SELECT INBOX',
        'C: a5 LOGIN alice wrong-password',
        'C: a6 LOGIN alice alice-password',
        'C: a7 CAPABILITY',
        'C: a8 LIST "" "*"',
        'C: a9 STATUS INBOX (MESSAGES UNSEEN UIDNEXT)',
        'C: b1 STATUS Nowhere (MESSAGES)',
        'C: b2 CREATE Projects',
        'C: b3 CREATE Projects',
        'C: b4 SELECT INBOX',
        'C: b5 FETCH 1 (FLAGS UID)',
        'C: b6 STORE 1 +FLAGS (\\Flagged)',
        'C: b7 SEARCH ALL',
        'C: b8 COPY 1 Nowhere',
        'C: b9 FETCH 99 (FLAGS)',
        'C: c1 SELECT Nowhere',
        'C: c2 EXAMINE INBOX',
        'C: c3 LOGOUT',
      ].join('\n');
      const { script, diagnostics } = parseScript(text, { fileName: 'knowledge.mailwire' });
      assert.deepEqual(diagnostics, []);
      const result = await runScript(script, createSessionTarget());
      const seen = emptySeen();
      for (const connection of result.connections) {
        const lines = connection.steps.flatMap((s) => s.reply);
        const replies = connection.steps.map((s) => [...s.reply]);
        collect(connection.protocol, lines, replies, seen);
      }
      // The session really happened: each protocol answered.
      assert.ok(seen.smtpReplies.has('250') && seen.smtpReplies.has('221'), 'SMTP answered');
      assert.ok(seen.imapResponses.has('BYE') && seen.imapResponses.has('EXISTS'), 'IMAP answered');
      assert.ok(seen.pop3Capabilities.size > 0, 'POP3 CAPA answered');
      assert.deepEqual(missing(seen), []);
    });
  });
});
