// One IMAP conversation, run unchanged against each server, reduced to a structured result whose
// parts the RFCs fix (RFC 3501/9051, 4315 UIDPLUS, 6851 MOVE). Values servers choose freely
// (UIDVALIDITY, UIDs themselves, response texts) are reduced to their shape.
import type { CommandResult, MailSession } from '../../../src/session/session.js';
import { imapCodec, runTyped } from '../../../src/session/open.js';
import type { ImapArg } from '../../../src/protocol/imap/compiler.js';
import type { ResponseCode, UntaggedResponse } from '../../../src/protocol/imap/response.js';
import type { BodyStructure, Envelope, FetchData } from '../../../src/protocol/imap/fetch.js';
import type { DiffMessage } from './messages.js';
import { open, type Target } from './targets.js';

export interface FetchedMessage {
  readonly size: number | undefined;
  readonly flags: readonly string[];
  readonly envelope: Envelope | undefined;
  readonly bodyStructure: BodyStructure | undefined;
  /** BODY[] and each requested section, as latin1 text (byte-exact, readable in a diff). */
  readonly sections: Readonly<Record<string, string | null>>;
}

export interface SearchCase {
  readonly name: string;
  /** Built once the UIDs are known, so UID criteria name the same messages on both servers. */
  readonly args: (uids: readonly number[]) => readonly ImapArg[];
}

export interface ImapResult {
  readonly states: Readonly<Record<string, string>>;
  readonly outcomes: Readonly<Record<string, string>>;
  readonly select: {
    readonly exists: number | undefined;
    readonly codes: readonly string[];
    readonly readWrite: boolean;
  };
  readonly examine: { readonly exists: number | undefined; readonly readOnly: boolean };
  /** STATUS INBOX MESSAGES after CLOSE of the EXAMINEd mailbox: CLOSE must not expunge there. */
  readonly messagesAfterClose: number | undefined;
  /** Per APPEND: whether APPENDUID came back and names one UID. */
  readonly appendUid: readonly boolean[];
  readonly existsAfterAppend: number | undefined;
  readonly messages: readonly FetchedMessage[];
  /** FETCH FLAGS returned by each STORE (without .SILENT), by sequence number. */
  readonly storeFlags: Readonly<Record<string, readonly string[]>>;
  readonly search: Readonly<Record<string, readonly number[] | string>>;
  /** UID SEARCH ALL equals the UIDs FETCH reported, in order. */
  readonly uidSearchMatchesFetch: boolean;
  readonly copy: { readonly copyUid: string; readonly statusMessages: number | undefined };
  readonly move:
    { readonly offered: boolean; readonly expunged: readonly number[]; readonly copyUid: string } | undefined;
  readonly expunge: { readonly expunged: readonly number[]; readonly remaining: readonly (string | null)[] };
}

const untagged = (r: CommandResult): UntaggedResponse[] =>
  r.events.flatMap((e) =>
    e.type === 'untagged' ? [(e as unknown as { response: UntaggedResponse }).response] : [],
  );

/** The last EXISTS count a command's untagged data carried. */
const existsOf = (r: CommandResult): number | undefined =>
  untagged(r)
    .flatMap((u) => (u.kind === 'exists' ? [u.number] : []))
    .at(-1);

const taggedCode = (r: CommandResult): ResponseCode | undefined => {
  const t = r.events.find((e) => e.type === 'tagged') as { code?: ResponseCode } | undefined;
  return t?.code;
};

const codeName = (c: ResponseCode): string =>
  c.kind === 'other' ? c.name : c.kind === 'flag' ? c.name : c.kind;

function fetchData(r: CommandResult): FetchData[] {
  return untagged(r).flatMap((u) => (u.kind === 'fetch' ? [u.data] : []));
}

function sectionText(d: FetchData, item: string): string | null {
  const s = d.sections?.find((x) => x.item.toUpperCase() === item.toUpperCase());
  if (!s) return `(no ${item} in the FETCH response)`;
  if (s.value === null) return null;
  if (s.value instanceof Uint8Array) return Buffer.from(s.value).toString('latin1');
  return `(streamed payload of ${s.value.size} bytes)`;
}

/** A COPYUID code reduced to the number of source and destination UIDs it names. */
function copyUidShape(code: ResponseCode | undefined, all: readonly UntaggedResponse[] = []): string {
  const fromStatus = all.flatMap((u) => (u.kind === 'status' && u.code?.kind === 'COPYUID' ? [u.code] : []));
  const c = code?.kind === 'COPYUID' ? code : fromStatus[0];
  if (!c || c.kind !== 'COPYUID') return 'no COPYUID';
  const count = (set: string) =>
    set.split(',').reduce((n, p) => {
      const [a, b] = p.split(':').map(Number);
      return n + (b === undefined ? 1 : Math.abs(b - a!) + 1);
    }, 0);
  return `COPYUID ${count(c.sourceUids)} -> ${count(c.destinationUids)}`;
}

export async function runImapConversation(
  target: Target,
  messages: readonly DiffMessage[],
  searches: readonly SearchCase[],
): Promise<ImapResult> {
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  let tagNo = 0;
  const raw = (line: string) => session.sendRaw(`D${++tagNo} ${line}`);
  const cmd = (verb: string, args: readonly ImapArg[]) =>
    runTyped(session, imap, (c) => c.command(verb, args));
  const states: Record<string, string> = {};
  const outcomes: Record<string, string> = {};
  const note = (step: string, r: CommandResult) => {
    outcomes[step] = r.outcome;
    states[step] = session.state;
  };

  note('login', await runTyped(session, imap, (c) => c.login(target.alice.username, target.alice.password)));

  const sel = await runTyped(session, imap, (c) => c.select('INBOX'));
  note('select', sel);
  const selUntagged = untagged(sel);
  const codes = selUntagged.flatMap((u) => (u.kind === 'status' && u.code ? [codeName(u.code)] : []));
  const tagCode = taggedCode(sel);
  const select = {
    exists: existsOf(sel),
    codes: [...new Set(codes.concat(selUntagged.some((u) => u.kind === 'flags') ? ['FLAGS'] : []))].sort(),
    readWrite: tagCode !== undefined && codeName(tagCode) === 'READ-WRITE',
  };

  const appendUid: boolean[] = [];
  // EXISTS may come with each APPEND (the mailbox is selected) or with the NOOP after them.
  let existsAfterAppend: number | undefined;
  const lastExists = (r: CommandResult) => {
    for (const u of untagged(r)) if (u.kind === 'exists') existsAfterAppend = u.number;
  };
  for (const m of messages) {
    const r = await cmd('APPEND', ['INBOX', [], { quoted: m.internalDate }, { literal: m.raw }]);
    note(`append ${m.name}`, r);
    lastExists(r);
    const code = taggedCode(r);
    appendUid.push(code?.kind === 'APPENDUID' && /^\d+$/.test(code.uids));
  }
  lastExists(await raw('NOOP'));

  const items = (m: DiffMessage) =>
    ['UID', 'FLAGS', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY.PEEK[]']
      .concat(m.sections.map((s) => `BODY.PEEK[${s}]`))
      .join(' ');
  const fetched: FetchedMessage[] = [];
  const uids: number[] = [];
  for (const [i, m] of messages.entries()) {
    const r = await raw(`FETCH ${i + 1} (${items(m)})`);
    note(`fetch ${m.name}`, r);
    const d = fetchData(r).find((x) => x.seq === i + 1);
    uids.push(d?.uid ?? -1);
    const sections: Record<string, string | null> = { '': d ? sectionText(d, 'BODY[]') : null };
    for (const s of m.sections) sections[s] = d ? sectionText(d, `BODY[${s}]`) : null;
    fetched.push({
      size: d?.size,
      flags: [...(d?.flags ?? [])].sort(),
      envelope: d?.envelope,
      bodyStructure: d?.bodyStructure,
      sections,
    });
  }

  const storeFlags: Record<string, readonly string[]> = {};
  for (const [seq, change] of [
    [1, '+FLAGS (\\Seen)'],
    [2, '+FLAGS (\\Flagged \\Answered)'],
    [2, '-FLAGS (\\Answered)'],
  ] as const) {
    const r = await raw(`STORE ${seq} ${change}`);
    note(`store ${seq} ${change}`, r);
    const flags = fetchData(r).find((d) => d.seq === seq)?.flags;
    storeFlags[`${seq} ${change}`] = flags ? [...flags].sort() : ['(no FETCH FLAGS)'];
  }

  const search: Record<string, readonly number[] | string> = {};
  for (const s of searches) {
    const r = await cmd('SEARCH', s.args(uids));
    const found = untagged(r).flatMap((u) => (u.kind === 'search' ? u.numbers : []));
    search[s.name] = r.outcome === 'ok' ? [...found].sort((a, b) => a - b) : `${r.outcome}`;
  }
  const uidSearch = await raw('UID SEARCH ALL');
  const uidList = untagged(uidSearch).flatMap((u) => (u.kind === 'search' ? u.numbers : []));
  const uidSearchMatchesFetch = JSON.stringify([...uidList].sort((a, b) => a - b)) === JSON.stringify(uids);

  note('create', await raw('CREATE Diff'));
  const copied = await raw('COPY 1 Diff');
  note('copy', copied);
  const diffStatus = await raw('STATUS Diff (MESSAGES)');
  const statusMessages = untagged(diffStatus).flatMap((u) =>
    u.kind === 'mailbox-status' ? [u.attributes['MESSAGES']] : [],
  )[0];
  const copy = {
    copyUid: copyUidShape(taggedCode(copied)),
    statusMessages: statusMessages as number | undefined,
  };

  let move: ImapResult['move'];
  if (imap.capabilities.has('MOVE')) {
    const moved = await raw('MOVE 2 Diff');
    note('move', moved);
    move = {
      offered: true,
      expunged: untagged(moved).flatMap((u) => (u.kind === 'expunge' ? [u.number] : [])),
      copyUid: copyUidShape(taggedCode(moved), untagged(moved)),
    };
  } else move = { offered: false, expunged: [], copyUid: '' };

  note('store deleted', await raw('STORE 1 +FLAGS.SILENT (\\Deleted)'));
  const exp = await raw('EXPUNGE');
  note('expunge', exp);
  const after = await raw('FETCH 1:* (ENVELOPE)');
  const expunge = {
    expunged: untagged(exp).flatMap((u) => (u.kind === 'expunge' ? [u.number] : [])),
    remaining: fetchData(after)
      .sort((a, b) => a.seq - b.seq)
      .map((d) => d.envelope?.messageId ?? null),
  };

  const ex = await runTyped(session, imap, (c) => c.select('INBOX', true));
  note('examine', ex);
  const exCode = taggedCode(ex);
  const examine = {
    exists: existsOf(ex),
    readOnly: exCode !== undefined && codeName(exCode) === 'READ-ONLY',
  };
  // A read-only mailbox must not lose \Deleted messages on CLOSE (RFC 3501 6.4.2); STORE is refused.
  note('store in examine', await raw('STORE 1 +FLAGS (\\Deleted)'));
  note('close', await raw('CLOSE'));
  note('fetch after close', await raw('FETCH 1 (FLAGS)'));
  const status = await raw('STATUS INBOX (MESSAGES)');
  const messagesAfterClose = untagged(status).flatMap((u) =>
    u.kind === 'mailbox-status' ? [Number(u.attributes['MESSAGES'])] : [],
  )[0];
  note('logout', await raw('LOGOUT'));

  return {
    states,
    outcomes,
    select,
    examine,
    messagesAfterClose,
    appendUid,
    existsAfterAppend,
    messages: fetched,
    storeFlags,
    search,
    uidSearchMatchesFetch,
    copy,
    move,
    expunge,
  };
}

export interface ImapExtrasResult {
  /** Step name to outcome (`ok`, `failed`, ...) and the client state after it. */
  readonly steps: Readonly<Record<string, { readonly outcome: string; readonly state: string }>>;
  readonly internalDates: readonly (string | undefined)[];
  readonly body: BodyStructure | undefined;
  readonly partial: Readonly<Record<string, string | null>>;
  /** Untagged FETCH responses a STORE .SILENT produced (RFC 3501 6.4.6: none for itself). */
  readonly silentFetches: number;
  readonly flagsAfterSilent: readonly string[];
  readonly uidFetchHasUid: boolean;
  readonly badCharsetCode: string | undefined;
  readonly keywordSearch: readonly number[];
  readonly uidExpunge: readonly number[];
  readonly status: Readonly<Record<string, number>>;
  readonly listed: readonly string[];
}

/** Runs after `runImapConversation` on the same account: the "Diff" mailbox holds two messages. */
export async function runImapExtras(target: Target): Promise<ImapExtrasResult> {
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  let tagNo = 0;
  const steps: Record<string, { outcome: string; state: string }> = {};
  const raw = async (name: string, line: string) => {
    const r = await session.sendRaw(`E${++tagNo} ${line}`);
    steps[name] = { outcome: r.outcome, state: session.state };
    return r;
  };
  await raw('LOGIN wrong password', `LOGIN ${target.alice.username} wrong-password`);
  await raw('bad command', 'FROBNICATE');
  const login = await runTyped(session, imap, (c) => c.login(target.alice.username, target.alice.password));
  steps['LOGIN'] = { outcome: login.outcome, state: session.state };
  await raw('FETCH before SELECT', 'FETCH 1 (FLAGS)');
  await raw('SELECT Diff', 'SELECT Diff');

  const dates = await raw('FETCH INTERNALDATE', 'FETCH 1:2 (INTERNALDATE)');
  const internalDates = fetchData(dates)
    .sort((a, b) => a.seq - b.seq)
    .map((d) => d.internalDate);
  const bodyFetch = await raw('FETCH BODY', 'FETCH 2 (BODY)');
  const body = fetchData(bodyFetch)[0]?.bodyStructure;
  const partialItems = [
    'BODY[]<0>',
    'BODY[1]<10>',
    'BODY[HEADER.FIELDS.NOT (DATE MESSAGE-ID)]',
    'RFC822.HEADER',
    'BODY[2.MIME]',
  ];
  const partialFetch = await raw(
    'FETCH partial',
    'FETCH 2 (BODY.PEEK[]<0.100> BODY.PEEK[1]<10.20> BODY.PEEK[HEADER.FIELDS.NOT (DATE MESSAGE-ID)] RFC822.HEADER BODY.PEEK[2.MIME])',
  );
  const pd = fetchData(partialFetch)[0];
  const partial: Record<string, string | null> = {};
  for (const item of partialItems) partial[item] = pd ? sectionText(pd, item) : null;

  const silent = await raw('STORE .SILENT', 'STORE 1 +FLAGS.SILENT (\\Draft)');
  const silentFetches = fetchData(silent).length;
  const flagsFetch = await raw('FETCH FLAGS', 'FETCH 1 (FLAGS)');
  const flagsAfterSilent = [...(fetchData(flagsFetch)[0]?.flags ?? [])].sort();
  const uidOf = await raw('FETCH UID', 'FETCH 1 (UID)');
  const uid1 = fetchData(uidOf)[0]?.uid ?? 0;
  const uidFetch = await raw('UID FETCH', `UID FETCH ${uid1} (FLAGS)`);
  const uidFetchHasUid = fetchData(uidFetch).some((d) => d.uid === uid1);
  await raw('FETCH out of range', 'FETCH 99 (FLAGS)');

  const bad = await raw('SEARCH bad charset', 'SEARCH CHARSET X-NO-SUCH-CHARSET SUBJECT x');
  const badCode = taggedCode(bad);
  const badCharsetCode = badCode ? codeName(badCode) : undefined;
  await raw('STORE keyword', 'STORE 2 +FLAGS.SILENT ($Work)');
  const kw = await raw('SEARCH KEYWORD', 'SEARCH KEYWORD $Work');
  const keywordSearch = untagged(kw).flatMap((u) => (u.kind === 'search' ? u.numbers : []));

  await raw('STORE deleted', `UID STORE ${uid1} +FLAGS.SILENT (\\Deleted)`);
  const uidExp = await raw('UID EXPUNGE', `UID EXPUNGE ${uid1}`);
  const uidExpunge = untagged(uidExp).flatMap((u) => (u.kind === 'expunge' ? [u.number] : []));

  // A failed SELECT leaves no mailbox selected (RFC 3501 6.3.1), so FETCH after it is refused.
  await raw('SELECT missing mailbox', 'SELECT NoSuchMailbox');
  await raw('FETCH after failed SELECT', 'FETCH 1 (FLAGS)');

  const st = await raw('STATUS', 'STATUS Diff (MESSAGES UNSEEN)');
  const attrs = untagged(st).flatMap((u) => (u.kind === 'mailbox-status' ? [u.attributes] : []))[0] ?? {};
  const status = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, Number(v)]));
  const list = await raw('LIST', 'LIST "" "*"');
  const listed = untagged(list)
    .flatMap((u) => (u.kind === 'list' ? [u.mailbox] : []))
    .sort();
  await raw('RENAME', 'RENAME Diff Diff2');
  await raw('DELETE', 'DELETE Diff2');
  await raw('SELECT deleted mailbox', 'EXAMINE Diff2');
  await raw('LOGOUT', 'LOGOUT');
  return {
    steps,
    internalDates,
    body,
    partial,
    silentFetches,
    flagsAfterSilent,
    uidFetchHasUid,
    badCharsetCode,
    keywordSearch,
    uidExpunge,
    status,
    listed,
  };
}

/** APPENDs the messages to a fresh mailbox and FETCHes each the way `runImapConversation` does. */
export async function fetchEdgeMessages(
  target: Target,
  messages: readonly DiffMessage[],
): Promise<FetchedMessage[]> {
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  let tagNo = 0;
  const raw = (line: string) => session.sendRaw(`G${++tagNo} ${line}`);
  const login = await runTyped(session, imap, (c) => c.login(target.alice.username, target.alice.password));
  if (login.outcome !== 'ok') throw new Error(`${target.name}: LOGIN failed: ${login.text}`);
  await raw('CREATE Edge');
  for (const m of messages) {
    const r = await runTyped(session, imap, (c) =>
      c.command('APPEND', ['Edge', [], { quoted: m.internalDate }, { literal: m.raw }]),
    );
    if (r.outcome !== 'ok') throw new Error(`${target.name}: APPEND ${m.name} failed: ${r.text}`);
  }
  await raw('EXAMINE Edge');
  const out: FetchedMessage[] = [];
  for (const [i, m] of messages.entries()) {
    const items = [
      'RFC822.SIZE',
      'ENVELOPE',
      'BODYSTRUCTURE',
      'BODY.PEEK[]',
      ...m.sections.map((s) => `BODY.PEEK[${s}]`),
    ];
    const r = await raw(`FETCH ${i + 1} (${items.join(' ')})`);
    const d = fetchData(r).find((x) => x.seq === i + 1);
    const sections: Record<string, string | null> = { '': d ? sectionText(d, 'BODY[]') : null };
    for (const s of m.sections) sections[s] = d ? sectionText(d, `BODY[${s}]`) : null;
    out.push({ size: d?.size, flags: [], envelope: d?.envelope, bodyStructure: d?.bodyStructure, sections });
  }
  await raw('LOGOUT');
  return out;
}

export interface ConcurrentResult {
  /** Untagged responses session A saw on NOOP after session B's change, reduced to `kind number`. */
  readonly afterAppend: readonly string[];
  readonly afterStore: readonly string[];
  readonly afterExpunge: readonly string[];
  /** What A saw on a FETCH (not NOOP) right after B expunged: RFC 3501 7.4.1 forbids EXPUNGE then. */
  readonly duringFetch: readonly string[];
  /** How many (message, session) pairs showed \Recent for the two appended messages. */
  readonly recentHolders: number;
}

/** Two sessions on one mailbox: changes by B reach A as untagged data (RFC 3501 section 5.2). */
export async function runConcurrent(target: Target, message: DiffMessage): Promise<ConcurrentResult> {
  const a = await open(target, 'imap');
  const b = await open(target, 'imap');
  const ia = imapCodec(a)!;
  const ib = imapCodec(b)!;
  for (const [s, c] of [
    [a, ia],
    [b, ib],
  ] as const) {
    const r = await runTyped(s, c, (x) => x.login(target.alice.username, target.alice.password));
    if (r.outcome !== 'ok') throw new Error(`${target.name}: LOGIN failed: ${r.text}`);
    await runTyped(s, c, (x) => x.command('CREATE', ['Shared']));
    await runTyped(s, c, (x) => x.select('Shared'));
  }
  const seen = (r: CommandResult) =>
    untagged(r).flatMap((u) => {
      if (u.kind === 'exists' || u.kind === 'recent' || u.kind === 'expunge')
        return [`${u.kind} ${u.number}`];
      if (u.kind === 'fetch') return [`fetch ${u.data.seq} ${[...(u.data.flags ?? [])].sort().join(' ')}`];
      return [];
    });
  let n = 0;
  for (let i = 0; i < 2; i++)
    await runTyped(b, ib, (c) => c.command('APPEND', ['Shared', [], { literal: message.raw }]));
  const afterAppend = seen(await a.sendRaw(`C${++n} NOOP`));
  seen(await b.sendRaw(`C${++n} NOOP`));
  // RFC 3501 2.3.2: \Recent goes to at most one session; which one is the server's choice.
  const recentIn = async (s: MailSession) =>
    fetchData(await s.sendRaw(`C${++n} FETCH 1:* (FLAGS)`)).filter((d) => d.flags?.includes('\\Recent'))
      .length;
  const recentHolders = (await recentIn(a)) + (await recentIn(b));
  await b.sendRaw(`C${++n} STORE 1 +FLAGS (\\Flagged)`);
  const afterStore = seen(await a.sendRaw(`C${++n} NOOP`)).filter((x) => x.startsWith('fetch'));
  await b.sendRaw(`C${++n} STORE 1 +FLAGS.SILENT (\\Deleted)`);
  await b.sendRaw(`C${++n} EXPUNGE`);
  const duringFetch = seen(await a.sendRaw(`C${++n} FETCH 2 (UID)`)).filter((x) => x.startsWith('expunge'));
  const afterExpunge = seen(await a.sendRaw(`C${++n} NOOP`)).filter((x) => !x.startsWith('recent'));
  await a.sendRaw(`C${++n} LOGOUT`);
  await b.sendRaw(`C${++n} LOGOUT`);
  return { afterAppend, afterStore, afterExpunge, duringFetch, recentHolders };
}

export interface ImapMoreResult {
  readonly steps: Readonly<Record<string, { readonly outcome: string; readonly code: string | undefined }>>;
  /** FETCH BODY[] (not PEEK) answers with FLAGS including \Seen (RFC 3501 6.4.5). */
  readonly bodyFetchSetsSeen: readonly string[];
  readonly uidFetchMissing: number;
  readonly inboxCaseInsensitive: string;
  readonly listPercent: readonly string[];
  readonly flagsReplaced: readonly string[];
}

/** Mailbox-management corners: TRYCREATE, INBOX rules, \Seen side effects, empty UID ranges. */
export async function runImapMore(target: Target, message: DiffMessage): Promise<ImapMoreResult> {
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  let tagNo = 0;
  const steps: Record<string, { outcome: string; code: string | undefined }> = {};
  const raw = async (name: string, line: string) => {
    const r = await session.sendRaw(`M${++tagNo} ${line}`);
    const code = taggedCode(r);
    steps[name] = { outcome: r.outcome, code: code && r.outcome !== 'ok' ? codeName(code) : undefined };
    return r;
  };
  const login = await runTyped(session, imap, (c) => c.login(target.alice.username, target.alice.password));
  if (login.outcome !== 'ok') throw new Error(`${target.name}: LOGIN failed: ${login.text}`);
  const append = await runTyped(session, imap, (c) =>
    c.command('APPEND', ['NoSuchBox', [], { literal: message.raw }]),
  );
  const appendCode = taggedCode(append);
  steps['APPEND to a missing mailbox'] = {
    outcome: append.outcome,
    code: appendCode ? codeName(appendCode) : undefined,
  };
  await raw('CREATE INBOX', 'CREATE INBOX');
  await raw('DELETE INBOX', 'DELETE INBOX');
  await raw('CREATE More', 'CREATE More');
  await raw('CREATE More again', 'CREATE More');
  const sel = await raw('SELECT inbox (lower case)', 'SELECT inbox');
  const inboxCaseInsensitive = sel.outcome;
  await raw('COPY to a missing mailbox', 'COPY 1 NoSuchBox');
  const body = await raw('FETCH BODY[]', 'FETCH 1 (BODY[])');
  const bodyFetchSetsSeen = [...(fetchData(body).find((d) => d.flags)?.flags ?? [])].sort();
  const store = await raw('STORE FLAGS', 'STORE 1 FLAGS (\\Answered)');
  const flagsReplaced = [...(fetchData(store)[0]?.flags ?? [])].sort();
  const missing = await raw('UID FETCH missing UID', 'UID FETCH 99999 (FLAGS)');
  const uidFetchMissing = fetchData(missing).length;
  await raw('SEARCH UID missing', 'SEARCH UID 99999');
  await raw('SEARCH invalid key', 'SEARCH NOSUCHKEY');
  await raw('FETCH invalid item', 'FETCH 1 (NOSUCHITEM)');
  const list = await raw('LIST %', 'LIST "" %');
  const listPercent = untagged(list)
    .flatMap((u) => (u.kind === 'list' ? [u.mailbox] : []))
    .filter((m) => m === 'INBOX' || m === 'More')
    .sort();
  await raw('DELETE selected-elsewhere mailbox', 'DELETE More');
  await raw('LOGOUT', 'LOGOUT');
  return { steps, bodyFetchSetsSeen, uidFetchMissing, inboxCaseInsensitive, listPercent, flagsReplaced };
}
