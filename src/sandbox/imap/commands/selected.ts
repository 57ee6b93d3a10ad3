// Commands on the selected mailbox that change it: CLOSE, UNSELECT, EXPUNGE, UID EXPUNGE, STORE,
// COPY and MOVE (RFC 6851), with UIDPLUS response codes (RFC 4315).

import { SELECTED, bad, no, ok, type CommandSpec, type Result, type SessionContext } from '../context.js';
import { SYSTEM_FLAGS } from '../format.js';
import { ParseError, argText, expectCount, type Arg } from '../parser.js';
import type { SelectedMailbox } from '../selected.js';
import { formatSet } from '../sequence-set.js';
import { argMailbox } from './mailboxes.js';
import { resolveMessages } from './message-set.js';

function current(ctx: SessionContext): SelectedMailbox {
  if (!ctx.selected) throw new ParseError('no mailbox is selected');
  return ctx.selected;
}

/** Expunges \Deleted messages (optionally only those in `onlyUids`); returns EXPUNGE numbers. */
function expungeDeleted(ctx: SessionContext, onlyUids?: ReadonlySet<number>): number[] {
  const selected = current(ctx);
  const uids = selected
    .messages()
    .filter((m) => m.flags.has('\\Deleted') && (!onlyUids || onlyUids.has(m.uid)))
    .map((m) => m.uid);
  if (uids.length === 0) return [];
  selected.folder.expunge(uids, ctx.self);
  return selected.removeOwn(uids);
}

function close(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 0, 0, 'CLOSE');
  // CLOSE expunges silently (RFC 3501 6.4.2), and not at all when read-only.
  if (!current(ctx).readOnly) expungeDeleted(ctx);
  ctx.deselect();
  return ok('CLOSE completed');
}

function unselect(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 0, 0, 'UNSELECT');
  ctx.deselect();
  return ok('UNSELECT completed');
}

function expunge(ctx: SessionContext, args: readonly Arg[], command: { uid: boolean }): Result {
  const selected = current(ctx);
  if (selected.readOnly) return no('the mailbox is read-only (EXAMINE)', 'READ-ONLY');
  let only: Set<number> | undefined;
  if (command.uid) {
    expectCount(args, 1, 1, 'UID EXPUNGE uid-set');
    only = new Set(resolveMessages(selected, argText(args[0], 'UID set'), true).map((a) => a.message.uid));
  } else expectCount(args, 0, 0, 'EXPUNGE');
  for (const seq of expungeDeleted(ctx, only)) ctx.untagged(`${seq} EXPUNGE`);
  return ok('EXPUNGE completed');
}

function parseFlags(arg: Arg | undefined, rest: readonly Arg[]): string[] {
  if (!arg) throw new ParseError('missing flag list');
  const items = arg.kind === 'list' ? arg.items : [arg, ...rest];
  return items.map((a) => {
    const flag = argText(a, 'flag');
    if (flag.startsWith('\\')) {
      const known = SYSTEM_FLAGS.find((s) => s.toLowerCase() === flag.toLowerCase());
      if (!known)
        throw new ParseError(`${flag} cannot be stored; system flags are ${SYSTEM_FLAGS.join(' ')}`);
      return known;
    }
    if (!/^[\x21\x23-\x27\x2a-\x5b\x5d-\x7a\x7c\x7e]+$/.test(flag))
      throw new ParseError(`bad keyword ${JSON.stringify(flag)}`);
    return flag;
  });
}

function store(ctx: SessionContext, args: readonly Arg[], command: { uid: boolean }): Result {
  const selected = current(ctx);
  if (args.length < 3) return bad(`usage: ${command.uid ? 'UID ' : ''}STORE set [+|-]FLAGS[.SILENT] (flags)`);
  const targets = resolveMessages(selected, argText(args[0], 'message set'), command.uid);
  const item = argText(args[1], 'store item').toUpperCase();
  const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
  if (!m) return bad(`unknown STORE item ${item}; use FLAGS, +FLAGS or -FLAGS (optionally .SILENT)`);
  const flags = parseFlags(args[2], args.slice(3));
  if (selected.readOnly) return no('the mailbox is read-only (EXAMINE)', 'READ-ONLY');
  const silent = m[2] !== undefined;
  for (const { message } of targets) {
    const next = new Set(m[1] === '' ? [] : message.flags);
    for (const f of flags) {
      if (m[1] === '-') next.delete(f);
      else next.add(f);
    }
    // Expunged by another session but not yet announced: keep the old data, change nothing.
    const updated = selected.folder.setFlags(message.uid, next, ctx.self) ?? message;
    selected.update(updated);
    if (!silent) {
      const seq = selected.seqOf(updated.uid);
      const uidPart = command.uid ? `UID ${updated.uid} ` : '';
      ctx.untagged(`${seq} FETCH (${uidPart}FLAGS ${selected.flagsOf(updated)})`);
    }
  }
  return ok('STORE completed');
}

function copyOrMove(move: boolean) {
  return (ctx: SessionContext, args: readonly Arg[], command: { uid: boolean }): Result => {
    const verb = move ? 'MOVE' : 'COPY';
    const selected = current(ctx);
    expectCount(args, 2, 2, `${command.uid ? 'UID ' : ''}${verb} set mailbox`);
    const sources = resolveMessages(selected, argText(args[0], 'message set'), command.uid);
    const name = argMailbox(args[1]);
    const target = ctx.mailboxes().folder(name);
    if (!target) return no(`no mailbox named ${name}`, 'TRYCREATE');
    if (move && selected.readOnly) return no('the mailbox is read-only (EXAMINE)', 'READ-ONLY');
    if (sources.length === 0) return ok(`${verb} completed: no messages matched`);
    const from: number[] = [];
    const to: number[] = [];
    for (const { message } of sources) {
      // Target may be the selected mailbox: no origin, so this session hears it and sends EXISTS.
      const copy = target.append(message.raw, message.flags, message.internalDate);
      from.push(message.uid);
      to.push(copy.uid);
    }
    const code = `COPYUID ${target.uidValidity} ${formatSet(from)} ${formatSet(to)}`;
    if (!move) return ok(`${verb} completed`, code);
    // RFC 6851: COPYUID goes in an untagged OK before the expunges.
    ctx.untagged(`OK [${code}] moved`);
    selected.folder.expunge(from, ctx.self);
    for (const seq of selected.removeOwn(from)) ctx.untagged(`${seq} EXPUNGE`);
    return ok(`${verb} completed`);
  };
}

export const selectedCommands: Record<string, CommandSpec> = {
  CLOSE: { states: SELECTED, handler: close, expungeSafe: true },
  UNSELECT: { states: SELECTED, handler: unselect, expungeSafe: true },
  EXPUNGE: { states: SELECTED, handler: expunge, expungeSafe: true },
  'UID EXPUNGE': { states: SELECTED, handler: expunge, expungeSafe: true },
  STORE: { states: SELECTED, handler: store, expungeSafe: false },
  'UID STORE': { states: SELECTED, handler: store, expungeSafe: true },
  COPY: { states: SELECTED, handler: copyOrMove(false), expungeSafe: true },
  'UID COPY': { states: SELECTED, handler: copyOrMove(false), expungeSafe: true },
  MOVE: { states: SELECTED, handler: copyOrMove(true), expungeSafe: true },
  'UID MOVE': { states: SELECTED, handler: copyOrMove(true), expungeSafe: true },
};
