// One POP3 conversation (RFC 1939, RFC 2449) over three sessions, run against each server after
// the same messages were APPENDed by IMAP to the account's INBOX.
import type { CommandResult } from '../../../src/session/session.js';
import { imapCodec, pop3Codec, runTyped } from '../../../src/session/open.js';
import type { Pop3Data } from '../../../src/protocol/pop3/events.js';
import type { Account, Target } from './targets.js';
import { open } from './targets.js';
import type { DiffMessage } from './messages.js';

export interface Pop3Result {
  readonly stat: { readonly count: number; readonly size: number } | string;
  readonly listSizes: readonly number[];
  /** UIDL of the first session; the values are the server's own, only their stability is compared. */
  readonly uidlFirst: readonly string[];
  readonly uidlSecond: readonly string[];
  readonly uidlAfterDele: readonly string[];
  readonly top0: readonly (string | null)[];
  readonly retr: readonly (string | null)[];
  readonly statAfterRset: number | undefined;
  readonly statAfterDeleQuit: number | undefined;
  readonly badMessage: { readonly retr: boolean; readonly dele: boolean; readonly list: boolean };
  readonly deleTwice: boolean;
  /** Within the first session, after DELE 1: the details RFC 1939 fixes for single commands. */
  readonly extras: {
    readonly top2: string | null;
    readonly statAfterDele: number | undefined;
    readonly retrDeleted: string;
    readonly listDeleted: string;
    readonly listOne: string;
    readonly uidlOne: string;
    readonly noop: string;
    readonly unknownCommand: string;
  };
  readonly states: Readonly<Record<string, string>>;
}

function data(r: CommandResult): Pop3Data | undefined {
  const e = r.events.find((x) => x.type === 'response') as { data?: Pop3Data } | undefined;
  return e?.data;
}

/** LIST n / UIDL n answer on the status line: "n size" / "n uid", reduced to the message number. */
function listOf(d: Pop3Data | undefined): string {
  return d?.kind === 'list'
    ? d.entries.map((e) => `${e.message} ${e.size}`).join(',')
    : `no LIST data (${d?.kind})`;
}
function uidOf(d: Pop3Data | undefined): string {
  return d?.kind === 'uidl' ? d.entries.map((e) => String(e.message)).join(',') : `no UIDL data (${d?.kind})`;
}

function messageText(r: CommandResult): string | null {
  const d = data(r);
  if (r.outcome !== 'ok' || d?.kind !== 'message') return null;
  return d.bytes ? Buffer.from(d.bytes).toString('latin1') : `(streamed payload of ${d.size} bytes)`;
}

/** APPENDs the messages to the account's INBOX by IMAP (the fixture both POP3 runs read). */
export async function appendByImap(
  target: Target,
  account: Account,
  messages: readonly DiffMessage[],
): Promise<void> {
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  const login = await runTyped(session, imap, (c) => c.login(account.username, account.password));
  if (login.outcome !== 'ok')
    throw new Error(`${target.name}: IMAP LOGIN for POP3 fixture failed: ${login.text}`);
  for (const m of messages) {
    const r = await runTyped(session, imap, (c) =>
      c.command('APPEND', ['INBOX', [], { quoted: m.internalDate }, { literal: m.raw }]),
    );
    if (r.outcome !== 'ok') throw new Error(`${target.name}: APPEND ${m.name} failed: ${r.text}`);
  }
  await session.sendRaw('A9 LOGOUT');
}

export async function runPop3Conversation(
  target: Target,
  account: Account,
  count: number,
): Promise<Pop3Result> {
  const states: Record<string, string> = {};
  const login = async () => {
    const session = await open(target, 'pop3');
    const pop3 = pop3Codec(session)!;
    await runTyped(session, pop3, (c) => c.user(account.username));
    const pass = await runTyped(session, pop3, (c) => c.pass(account.password));
    if (pass.outcome !== 'ok') throw new Error(`${target.name}: POP3 PASS failed: ${pass.text}`);
    return { session, pop3 };
  };
  const uidl = async (s: Awaited<ReturnType<typeof login>>) => {
    const d = data(await runTyped(s.session, s.pop3, (c) => c.uidl()));
    return d?.kind === 'uidl' ? d.entries.map((e) => e.uid) : [];
  };
  const statCount = async (s: Awaited<ReturnType<typeof login>>) => {
    const d = data(await runTyped(s.session, s.pop3, (c) => c.stat()));
    return d?.kind === 'stat' ? d.count : undefined;
  };

  // Session 1: read everything, DELE then RSET, QUIT: nothing is removed.
  const one = await login();
  states['after PASS'] = one.session.state;
  const statData = data(await runTyped(one.session, one.pop3, (c) => c.stat()));
  const stat = statData?.kind === 'stat' ? { count: statData.count, size: statData.size } : 'no STAT data';
  const listData = data(await runTyped(one.session, one.pop3, (c) => c.list()));
  const listSizes = listData?.kind === 'list' ? listData.entries.map((e) => e.size) : [];
  const uidlFirst = await uidl(one);
  const top0: (string | null)[] = [];
  const retr: (string | null)[] = [];
  for (let n = 1; n <= count; n++) {
    top0.push(messageText(await runTyped(one.session, one.pop3, (c) => c.top(n, 0))));
    retr.push(messageText(await runTyped(one.session, one.pop3, (c) => c.retr(n))));
  }
  const badMessage = {
    retr: (await runTyped(one.session, one.pop3, (c) => c.retr(count + 5))).outcome === 'failed',
    dele: (await one.session.sendRaw('DELE 0')).outcome === 'failed',
    list: (await runTyped(one.session, one.pop3, (c) => c.list(count + 1))).outcome === 'failed',
  };
  await runTyped(one.session, one.pop3, (c) => c.dele(1));
  const extras = {
    top2: messageText(await runTyped(one.session, one.pop3, (c) => c.top(2, 2))),
    statAfterDele: await statCount(one),
    retrDeleted: (await runTyped(one.session, one.pop3, (c) => c.retr(1))).outcome,
    listDeleted: (await one.session.sendRaw('LIST 1')).outcome,
    listOne: listOf(data(await runTyped(one.session, one.pop3, (c) => c.list(2)))),
    uidlOne: uidOf(data(await runTyped(one.session, one.pop3, (c) => c.uidl(2)))),
    noop: (await runTyped(one.session, one.pop3, (c) => c.noop())).outcome,
    unknownCommand: (await one.session.sendRaw('FROB')).outcome,
  };
  // RFC 1939: a message marked as deleted may not be deleted again, or retrieved.
  const deleTwice = (await runTyped(one.session, one.pop3, (c) => c.dele(1))).outcome === 'failed';
  await runTyped(one.session, one.pop3, (c) => c.rset());
  const statAfterRset = await statCount(one);
  await runTyped(one.session, one.pop3, (c) => c.quit());
  states['after QUIT'] = one.session.status;

  // Session 2: UIDL is stable across sessions (RFC 1939 section 7); DELE then QUIT removes.
  const two = await login();
  const uidlSecond = await uidl(two);
  await runTyped(two.session, two.pop3, (c) => c.dele(1));
  await runTyped(two.session, two.pop3, (c) => c.quit());

  const three = await login();
  const statAfterDeleQuit = await statCount(three);
  const uidlAfterDele = await uidl(three);
  await runTyped(three.session, three.pop3, (c) => c.quit());

  return {
    stat,
    listSizes,
    uidlFirst,
    uidlSecond,
    uidlAfterDele,
    top0,
    retr,
    statAfterRset,
    statAfterDeleQuit,
    badMessage,
    deleTwice,
    extras,
    states,
  };
}

/** Outcome and state of each step in the AUTHORIZATION state (RFC 1939 section 4 and 7). */
export async function runPop3Authorization(
  target: Target,
  account: Account,
): Promise<Readonly<Record<string, { readonly outcome: string; readonly state: string }>>> {
  const out: Record<string, { outcome: string; state: string }> = {};
  const session = await open(target, 'pop3');
  const pop3 = pop3Codec(session)!;
  const step = async (name: string, r: Promise<CommandResult>) => {
    out[name] = { outcome: (await r).outcome, state: session.state };
  };
  await step('STAT before login', session.sendRaw('STAT'));
  await step('PASS before USER', session.sendRaw('PASS nothing'));
  await step(
    'USER',
    runTyped(session, pop3, (c) => c.user(account.username)),
  );
  await step(
    'PASS wrong',
    runTyped(session, pop3, (c) => c.pass('wrong-password')),
  );
  await step('RETR after failed PASS', session.sendRaw('RETR 1'));
  await step(
    'USER again',
    runTyped(session, pop3, (c) => c.user(account.username)),
  );
  await step(
    'PASS',
    runTyped(session, pop3, (c) => c.pass(account.password)),
  );
  await step('USER in transaction', session.sendRaw(`USER ${account.username}`));
  await step(
    'STAT',
    runTyped(session, pop3, (c) => c.stat()),
  );
  await step(
    'QUIT',
    runTyped(session, pop3, (c) => c.quit()),
  );
  return out;
}
