// Mailbox commands: LIST, LSUB, STATUS, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, SELECT,
// EXAMINE and APPEND.

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage } from '../../../protocol/limits.js';
import { StoreError, type Folder } from '../../store/types.js';
import {
  AUTHENTICATED,
  bad,
  no,
  ok,
  type CommandSpec,
  type Result,
  type SessionContext,
} from '../context.js';
import { SYSTEM_FLAGS, parseDateTime, quoteMailbox } from '../format.js';
import { decodeMailboxName } from '../mutf7.js';
import { ParseError, argList, argText, expectCount, type Arg } from '../parser.js';
import { SelectedMailbox, recentCount } from '../selected.js';

export function argMailbox(arg: Arg | undefined): string {
  const raw = argText(arg, 'mailbox name');
  const name = decodeMailboxName(raw);
  if (name === undefined)
    throw new ParseError(`mailbox name ${JSON.stringify(raw.slice(0, 60))} is not valid modified UTF-7`);
  return name;
}

/** Runs a store operation, turning StoreError into NO [code]. */
function storeCall(fn: () => void, done: string): Result {
  try {
    fn();
    return ok(done);
  } catch (e) {
    if (e instanceof StoreError) return no(e.message, e.code);
    throw e;
  }
}

/** LIST pattern to a RegExp: `*` matches anything, `%` anything but the delimiter. */
function patternRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '%') re += '[^/]*';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** INBOX is case-insensitive (RFC 3501 5.1): a pattern starting with it is matched as INBOX. */
function canonicalPattern(pattern: string): string {
  return /^inbox($|[/*%])/i.test(pattern) ? `INBOX${pattern.slice(5)}` : pattern;
}

function listCommand(lsub: boolean) {
  return (ctx: SessionContext, args: readonly Arg[]): Result => {
    const verb = lsub ? 'LSUB' : 'LIST';
    // A selection-option list (LIST-EXTENDED) is tolerated and ignored.
    const rest = !lsub && args[0]?.kind === 'list' ? args.slice(1) : args;
    if (rest.length < 2) return bad(`usage: ${verb} reference mailbox-pattern`);
    const reference = argMailbox(rest[0]);
    const patternText = argMailbox(rest[1]);
    if (patternText === '') {
      // RFC 3501 6.3.8: an empty pattern asks for the delimiter and the root.
      ctx.untagged(`${verb} (\\Noselect) "/" ""`);
      return ok(`${verb} completed`);
    }
    const pattern = patternRegExp(canonicalPattern(reference + patternText));
    const boxes = ctx.mailboxes();
    const folders = boxes.folders();
    for (const folder of folders) {
      if (!pattern.test(folder.name)) continue;
      if (lsub && !boxes.isSubscribed(folder.name)) continue;
      const attrs: string[] = [];
      const hasChildren = folders.some((f) => f.name.startsWith(`${folder.name}/`));
      attrs.push(hasChildren ? '\\HasChildren' : '\\HasNoChildren');
      if (folder.specialUse) attrs.push(folder.specialUse);
      ctx.untagged(`${verb} (${attrs.join(' ')}) "/" ${quoteMailbox(folder.name)}`);
    }
    return ok(`${verb} completed`);
  };
}

const STATUS_ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'] as const;

function status(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 2, 2, 'STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)');
  const name = argMailbox(args[0]);
  const items = argList(args[1], 'status item list').map((a) => argText(a, 'status item').toUpperCase());
  const unknown = items.find((i) => !(STATUS_ITEMS as readonly string[]).includes(i));
  if (unknown) return bad(`unknown STATUS item ${unknown}; known: ${STATUS_ITEMS.join(' ')}`);
  const folder = ctx.mailboxes().folder(name);
  if (!folder) return no(`no mailbox named ${name}`, 'NONEXISTENT');
  const values: Record<(typeof STATUS_ITEMS)[number], number> = {
    MESSAGES: folder.messages().length,
    RECENT: recentCount(folder),
    UIDNEXT: folder.uidNext,
    UIDVALIDITY: folder.uidValidity,
    UNSEEN: folder.messages().filter((m) => !m.flags.has('\\Seen')).length,
  };
  const out = items.map((i) => `${i} ${values[i as (typeof STATUS_ITEMS)[number]]}`);
  ctx.untagged(`STATUS ${quoteMailbox(folder.name)} (${out.join(' ')})`);
  return ok('STATUS completed');
}

function select(readOnly: boolean) {
  return (ctx: SessionContext, args: readonly Arg[]): Result => {
    const verb = readOnly ? 'EXAMINE' : 'SELECT';
    if (args.length < 1) return bad(`usage: ${verb} mailbox`);
    const name = argMailbox(args[0]);
    // RFC 3501 6.3.1: a SELECT leaves the previous mailbox first, even if it then fails.
    if (ctx.selected) ctx.deselect();
    const folder = ctx.mailboxes().folder(name);
    if (!folder) return no(`no mailbox named ${name}`, 'NONEXISTENT');
    const selected = new SelectedMailbox(folder, readOnly, ctx.self, () => ctx.onFolderChange());
    ctx.selected = selected;
    ctx.state = 'selected';
    const keywords = new Set<string>();
    for (const m of folder.messages()) for (const f of m.flags) if (!f.startsWith('\\')) keywords.add(f);
    const flags = [...SYSTEM_FLAGS, ...keywords].join(' ');
    ctx.untagged(`FLAGS (${flags})`);
    ctx.untagged(
      readOnly
        ? 'OK [PERMANENTFLAGS ()] read-only mailbox'
        : `OK [PERMANENTFLAGS (${[...SYSTEM_FLAGS, ...keywords].join(' ')} \\*)] flags permitted`,
    );
    ctx.untagged(`${selected.exists} EXISTS`);
    // EXAMINE reports \Recent without claiming it (RFC 3501 6.3.2).
    ctx.untagged(`${readOnly ? recentCount(folder) : selected.recentCount} RECENT`);
    const firstUnseen = selected.messages().findIndex((m) => !m.flags.has('\\Seen'));
    if (firstUnseen >= 0) ctx.untagged(`OK [UNSEEN ${firstUnseen + 1}] first unseen message`);
    ctx.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid`);
    ctx.untagged(`OK [UIDNEXT ${folder.uidNext}] predicted next UID`);
    return ok(`${verb} completed`, readOnly ? 'READ-ONLY' : 'READ-WRITE');
  };
}

function create(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 1, 1, 'CREATE mailbox');
  // A trailing delimiter only says "this will have children" (RFC 3501 6.3.3).
  const name = argMailbox(args[0]).replace(/\/$/, '');
  if (name.toUpperCase() === 'INBOX') return no('INBOX always exists', 'ALREADYEXISTS');
  return storeCall(() => ctx.mailboxes().create(name), 'CREATE completed');
}

function deleteBox(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 1, 1, 'DELETE mailbox');
  const name = argMailbox(args[0]);
  if (ctx.selected && ctx.mailboxes().folder(name) === ctx.selected.folder) ctx.deselect();
  return storeCall(() => ctx.mailboxes().delete(name), 'DELETE completed');
}

function rename(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 2, 2, 'RENAME from-mailbox to-mailbox');
  return storeCall(
    () => ctx.mailboxes().rename(argMailbox(args[0]), argMailbox(args[1])),
    'RENAME completed',
  );
}

function subscribe(on: boolean) {
  return (ctx: SessionContext, args: readonly Arg[]): Result => {
    const verb = on ? 'SUBSCRIBE' : 'UNSUBSCRIBE';
    expectCount(args, 1, 1, `${verb} mailbox`);
    return storeCall(() => ctx.mailboxes().subscribe(argMailbox(args[0]), on), `${verb} completed`);
  };
}

function append(ctx: SessionContext, args: readonly Arg[]): Result {
  if (args.length < 2 || args.length > 4)
    return bad('usage: APPEND mailbox [(flags)] ["date-time"] {literal}');
  const name = argMailbox(args[0]);
  let flags: string[] = [];
  let date: Date | undefined;
  let i = 1;
  if (args[i]?.kind === 'list') {
    flags = (args[i] as { items: readonly Arg[] }).items.map((a) => argText(a, 'flag'));
    i++;
  }
  if (i < args.length - 1) {
    const text = argText(args[i], 'date-time');
    date = parseDateTime(text);
    if (!date)
      return bad(`bad APPEND date-time ${JSON.stringify(text)}; expected e.g. "17-Jul-1996 02:44:25 -0700"`);
    i++;
  }
  const message = args[i];
  if (!message || message.kind !== 'string' || i !== args.length - 1)
    return bad('APPEND needs the message as a literal last');
  if (message.bytes.length > LIMITS.sandboxMaxMessageBytes)
    return no(limitMessage('message', 'sandboxMaxMessageBytes'), 'TOOBIG');
  const bad8 = flags.find((f) => !/^\\?[\x21\x23-\x27\x2a-\x5b\x5d-\x7a\x7c\x7e]+$/.test(f));
  if (bad8 !== undefined) return bad(`bad flag ${JSON.stringify(bad8)}`);
  if (
    flags.some(
      (f) =>
        f.startsWith('\\') &&
        !(SYSTEM_FLAGS as readonly string[]).some((s) => s.toLowerCase() === f.toLowerCase()),
    )
  ) {
    return bad('only \\Answered \\Flagged \\Deleted \\Seen \\Draft and keywords can be set');
  }
  const folder: Folder | undefined = ctx.mailboxes().folder(name);
  if (!folder) return no(`no mailbox named ${name}`, 'TRYCREATE');
  // No origin: when the target is selected, this session hears the addition and sends EXISTS.
  const stored = folder.append(Buffer.from(message.bytes), flags, date);
  return ok('APPEND completed', `APPENDUID ${folder.uidValidity} ${stored.uid}`);
}

export const mailboxCommands: Record<string, CommandSpec> = {
  LIST: { states: AUTHENTICATED, handler: listCommand(false), expungeSafe: true },
  LSUB: { states: AUTHENTICATED, handler: listCommand(true), expungeSafe: true },
  STATUS: { states: AUTHENTICATED, handler: status, expungeSafe: true },
  SELECT: { states: AUTHENTICATED, handler: select(false), expungeSafe: true },
  EXAMINE: { states: AUTHENTICATED, handler: select(true), expungeSafe: true },
  CREATE: { states: AUTHENTICATED, handler: create, expungeSafe: true },
  DELETE: { states: AUTHENTICATED, handler: deleteBox, expungeSafe: true },
  RENAME: { states: AUTHENTICATED, handler: rename, expungeSafe: true },
  SUBSCRIBE: { states: AUTHENTICATED, handler: subscribe(true), expungeSafe: true },
  UNSUBSCRIBE: { states: AUTHENTICATED, handler: subscribe(false), expungeSafe: true },
  APPEND: { states: AUTHENTICATED, handler: append, expungeSafe: true },
};
