// SEARCH and UID SEARCH (RFC 3501 6.4.4). Keys compile to predicates; text keys compare decoded
// text case-insensitively, so encoded-word subjects and base64 bodies are found by their words.

import { header as headerOf, parseMessage } from '../../mime/entity.js';
import { decodedBodyText, decodedHeaderBlock, decodedHeaders } from '../../mime/search-text.js';
import type { StoredMessage } from '../../store/types.js';
import { SELECTED, bad, no, ok, type CommandSpec, type Result, type SessionContext } from '../context.js';
import { parseSearchDate } from '../format.js';
import { ParseError, argText, type Arg } from '../parser.js';
import type { SelectedMailbox } from '../selected.js';
import { inSet, isSequenceSet, parseSequenceSet } from '../sequence-set.js';

interface Candidate {
  readonly seq: number;
  readonly message: StoredMessage;
}

type Predicate = (c: Candidate) => boolean;

const DAY = 86_400_000;

class KeyReader {
  private i = 0;
  constructor(
    private readonly args: readonly Arg[],
    private readonly selected: SelectedMailbox,
  ) {}

  done(): boolean {
    return this.i >= this.args.length;
  }

  private next(what: string): Arg {
    const arg = this.args[this.i++];
    if (!arg) throw new ParseError(`missing ${what}`);
    return arg;
  }

  private text(what: string): string {
    return argText(this.next(what), what);
  }

  private number(what: string): number {
    const t = this.text(what);
    if (!/^\d{1,15}$/.test(t)) throw new ParseError(`${what} must be a number, got ${JSON.stringify(t)}`);
    return Number(t);
  }

  private date(key: string): number {
    const t = this.text(`${key} date`);
    const d = parseSearchDate(t);
    if (d === undefined)
      throw new ParseError(`${key} needs a date like 1-Feb-1994, got ${JSON.stringify(t)}`);
    return d;
  }

  /** One search key (which may itself be a group, NOT or OR). */
  key(depth: number): Predicate {
    if (depth > 50) throw new ParseError('search keys nested too deeply');
    const arg = this.next('search key');
    if (arg.kind === 'list') {
      if (arg.items.length === 0) throw new ParseError('empty parenthesized search key');
      const inner = new KeyReader(arg.items, this.selected);
      const all: Predicate[] = [];
      while (!inner.done()) all.push(inner.key(depth + 1));
      return (c) => all.every((p) => p(c));
    }
    const word = argText(arg, 'search key');
    const upper = word.toUpperCase();
    const flag =
      (name: string, want: boolean): Predicate =>
      (c) =>
        c.message.flags.has(name) === want;
    switch (upper) {
      case 'ALL':
        return () => true;
      case 'ANSWERED':
        return flag('\\Answered', true);
      case 'UNANSWERED':
        return flag('\\Answered', false);
      case 'DELETED':
        return flag('\\Deleted', true);
      case 'UNDELETED':
        return flag('\\Deleted', false);
      case 'DRAFT':
        return flag('\\Draft', true);
      case 'UNDRAFT':
        return flag('\\Draft', false);
      case 'FLAGGED':
        return flag('\\Flagged', true);
      case 'UNFLAGGED':
        return flag('\\Flagged', false);
      case 'SEEN':
        return flag('\\Seen', true);
      case 'UNSEEN':
        return flag('\\Seen', false);
      case 'KEYWORD': {
        const k = this.text('keyword');
        return (c) => [...c.message.flags].some((f) => f.toLowerCase() === k.toLowerCase());
      }
      case 'UNKEYWORD': {
        const k = this.text('keyword');
        return (c) => ![...c.message.flags].some((f) => f.toLowerCase() === k.toLowerCase());
      }
      case 'RECENT':
        return (c) => this.selected.isRecent(c.message.uid);
      case 'OLD':
        return (c) => !this.selected.isRecent(c.message.uid);
      case 'NEW':
        return (c) => this.selected.isRecent(c.message.uid) && !c.message.flags.has('\\Seen');
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT': {
        const needle = this.text(`${upper} text`).toLowerCase();
        const name = upper.toLowerCase();
        return (c) => decodedHeaders(c.message.raw, name).some((v) => v.toLowerCase().includes(needle));
      }
      case 'HEADER': {
        const name = this.text('header field name');
        const needle = this.text('header text').toLowerCase();
        // An empty string matches every message that has the field (RFC 3501).
        return (c) => decodedHeaders(c.message.raw, name).some((v) => v.toLowerCase().includes(needle));
      }
      case 'BODY': {
        const needle = this.text('BODY text').toLowerCase();
        return (c) => decodedBodyText(c.message.raw).toLowerCase().includes(needle);
      }
      case 'TEXT': {
        const needle = this.text('TEXT text').toLowerCase();
        return (c) =>
          decodedHeaderBlock(c.message.raw).toLowerCase().includes(needle) ||
          decodedBodyText(c.message.raw).toLowerCase().includes(needle);
      }
      case 'LARGER': {
        const n = this.number('LARGER size');
        return (c) => c.message.size > n;
      }
      case 'SMALLER': {
        const n = this.number('SMALLER size');
        return (c) => c.message.size < n;
      }
      case 'BEFORE':
      case 'ON':
      case 'SINCE': {
        const day = this.date(upper);
        return (c) => compareDay(dayOf(c.message.internalDate.getTime()), day, upper);
      }
      case 'SENTBEFORE':
      case 'SENTON':
      case 'SENTSINCE': {
        const day = this.date(upper);
        const op = upper.slice(4);
        return (c) => {
          const sent = sentDay(c.message);
          return sent !== undefined && compareDay(sent, day, op);
        };
      }
      case 'UID': {
        const set = parseSequenceSet(this.text('UID set'));
        return (c) => {
          const view = this.selected.messages();
          return inSet(set, c.message.uid, view.length ? view[view.length - 1]!.uid : 0);
        };
      }
      case 'NOT': {
        const inner = this.key(depth + 1);
        return (c) => !inner(c);
      }
      case 'OR': {
        const a = this.key(depth + 1);
        const b = this.key(depth + 1);
        return (c) => a(c) || b(c);
      }
      default:
        if (isSequenceSet(word)) {
          const set = parseSequenceSet(word);
          return (c) => inSet(set, c.seq, this.selected.exists);
        }
        throw new ParseError(`unknown search key ${JSON.stringify(word.slice(0, 40))}`);
    }
  }
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function compareDay(day: number, wanted: number, op: string): boolean {
  if (op === 'BEFORE') return day < wanted;
  if (op === 'ON') return day === wanted;
  return day >= wanted; // SINCE: on or after
}

/** The day of the Date header in its own time zone (RFC 3501 says to disregard time and zone). */
function sentDay(m: StoredMessage): number | undefined {
  const value = headerOf(parseMessage(m.raw), 'date');
  if (!value) return undefined;
  const match = /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})/.exec(value);
  if (match) {
    const day = parseSearchDate(
      `${match[1]}-${match[2]}-${match[3]!.length === 2 ? `20${match[3]}` : match[3]}`,
    );
    if (day !== undefined) return day;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : dayOf(parsed);
}

function search(ctx: SessionContext, args: readonly Arg[], command: { uid: boolean }): Result {
  const selected = ctx.selected;
  if (!selected) return bad('no mailbox is selected');
  let rest = args;
  if (rest[0]?.kind === 'atom' && rest[0].value.toUpperCase() === 'CHARSET') {
    const charset = argText(rest[1], 'charset name').toUpperCase();
    if (charset !== 'UTF-8' && charset !== 'US-ASCII')
      return no(`charset ${charset} is not supported`, 'BADCHARSET (UTF-8 US-ASCII)');
    rest = rest.slice(2);
  }
  if (rest.length === 0) return bad('SEARCH needs at least one search key, e.g. ALL');
  const reader = new KeyReader(rest, selected);
  const keys: Predicate[] = [];
  while (!reader.done()) keys.push(reader.key(0));
  const hits: number[] = [];
  selected.messages().forEach((message, i) => {
    const c = { seq: i + 1, message };
    if (keys.every((k) => k(c))) hits.push(command.uid ? message.uid : i + 1);
  });
  ctx.untagged(hits.length ? `SEARCH ${hits.join(' ')}` : 'SEARCH');
  return ok('SEARCH completed');
}

export const searchCommands: Record<string, CommandSpec> = {
  SEARCH: { states: SELECTED, handler: search, expungeSafe: false },
  'UID SEARCH': { states: SELECTED, handler: search, expungeSafe: true },
};
