// FETCH and UID FETCH (RFC 3501 6.4.5, 7.4.2): flags, dates, sizes, ENVELOPE, BODYSTRUCTURE and
// BODY[section]<partial>, with the implicit \Seen of a non-PEEK body fetch.

import { Buffer } from 'node:buffer';
import { buildBodyStructure } from '../../mime/bodystructure.js';
import { parseMessage } from '../../mime/entity.js';
import { buildEnvelope } from '../../mime/envelope.js';
import { encodeValue } from '../../mime/imap-value.js';
import { extractSection, type SectionSpec, type SectionText } from '../../mime/sections.js';
import type { StoredMessage } from '../../store/types.js';
import { SELECTED, bad, ok, type CommandSpec, type Result, type SessionContext } from '../context.js';
import { formatInternalDate } from '../format.js';
import { ParseError, argText, type Arg } from '../parser.js';
import { resolveMessages } from './message-set.js';

type Item =
  | {
      readonly kind: 'FLAGS' | 'UID' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY';
    }
  | {
      readonly kind: 'section';
      /** Name in the response, e.g. `BODY[HEADER.FIELDS (FROM)]` or `RFC822.HEADER`. */
      readonly label: string;
      readonly spec: SectionSpec;
      readonly peek: boolean;
      readonly partial?: { readonly start: number; readonly length: number };
    };

const SIMPLE = new Set(['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY']);
const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

function parseItems(arg: Arg | undefined): Item[] {
  if (!arg) throw new ParseError('missing FETCH items, e.g. (FLAGS UID) or ALL');
  if (arg.kind === 'atom' && MACROS[arg.value.toUpperCase()]) {
    return MACROS[arg.value.toUpperCase()]!.map((k) => parseItem(k));
  }
  const list = arg.kind === 'list' ? arg.items : [arg];
  if (list.length === 0) throw new ParseError('empty FETCH item list');
  return list.map((a) => parseItem(argText(a, 'FETCH item')));
}

function parseItem(text: string): Item {
  const upper = text.toUpperCase();
  if (SIMPLE.has(upper)) return { kind: upper as 'FLAGS' };
  if (upper === 'RFC822') return { kind: 'section', label: 'RFC822', spec: { path: [] }, peek: false };
  if (upper === 'RFC822.HEADER')
    return { kind: 'section', label: 'RFC822.HEADER', spec: { path: [], text: 'HEADER' }, peek: true };
  if (upper === 'RFC822.TEXT')
    return { kind: 'section', label: 'RFC822.TEXT', spec: { path: [], text: 'TEXT' }, peek: false };
  const m = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK)\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/i.exec(text);
  if (!m || m[1]!.toUpperCase().startsWith('BINARY')) {
    throw new ParseError(`unknown FETCH item ${JSON.stringify(text.slice(0, 60))}`);
  }
  const sectionText = m[2]!;
  const spec = parseSection(sectionText);
  const partial = m[3] !== undefined ? { start: Number(m[3]), length: Number(m[4]) } : undefined;
  if (partial && partial.length === 0)
    throw new ParseError('a partial fetch <start.length> needs a length above 0');
  return {
    kind: 'section',
    label: `BODY[${sectionText}]`,
    spec,
    peek: m[1]!.toUpperCase() === 'BODY.PEEK',
    ...(partial ? { partial } : {}),
  };
}

function parseSection(text: string): SectionSpec {
  const m =
    /^((?:[1-9]\d*\.)*(?:[1-9]\d*)?)\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?(?:\s+\((.*)\))?$/i.exec(
      text.trim(),
    );
  if (!m) throw new ParseError(`bad body section [${text.slice(0, 60)}]`);
  const path = m[1] ? m[1].replace(/\.$/, '').split('.').map(Number) : [];
  const kind = m[2]?.toUpperCase() as SectionText | undefined;
  if (kind === 'MIME' && path.length === 0)
    throw new ParseError('MIME needs a part number, e.g. BODY[1.MIME]');
  const isFields = kind === 'HEADER.FIELDS' || kind === 'HEADER.FIELDS.NOT';
  if (isFields !== (m[3] !== undefined))
    throw new ParseError(`${kind ?? 'section'} ${isFields ? 'needs' : 'takes no'} a field list`);
  if (path.length > 0 && !kind && m[1]!.endsWith('.')) throw new ParseError(`bad body section [${text}]`);
  const fields = m[3]
    ?.trim()
    .split(/\s+/)
    .filter((f) => f !== '')
    .map((f) => f.replace(/^"|"$/g, ''));
  if (isFields && (!fields || fields.length === 0))
    throw new ParseError('HEADER.FIELDS needs at least one field name');
  return { path, ...(kind ? { text: kind } : {}), ...(fields ? { fields } : {}) };
}

function fetch(ctx: SessionContext, args: readonly Arg[], command: { uid: boolean }): Result {
  const selected = ctx.selected;
  if (!selected) return bad('no mailbox is selected');
  if (args.length !== 2) return bad(`usage: ${command.uid ? 'UID ' : ''}FETCH set (items)`);
  const targets = resolveMessages(selected, argText(args[0], 'message set'), command.uid);
  const items = parseItems(args[1]);
  if (command.uid && !items.some((i) => i.kind === 'UID')) items.unshift({ kind: 'UID' });
  const setsSeen = !selected.readOnly && items.some((i) => i.kind === 'section' && !i.peek);
  for (const target of targets) {
    let message: StoredMessage = target.message;
    let flagsChanged = false;
    if (setsSeen && !message.flags.has('\\Seen')) {
      const updated = selected.folder.setFlags(message.uid, [...message.flags, '\\Seen'], ctx.self);
      if (updated) {
        message = updated;
        selected.update(updated);
        flagsChanged = true;
      }
    }
    const parts: Buffer[] = [];
    let hasFlags = false;
    for (const item of items) {
      if (item.kind === 'FLAGS') hasFlags = true;
      parts.push(renderItem(item, message, selected.flagsOf(message)));
    }
    // RFC 3501 6.4.5: an implicit \Seen change is reported with the data.
    if (flagsChanged && !hasFlags) parts.push(Buffer.from(`FLAGS ${selected.flagsOf(message)}`));
    const joined: Buffer[] = [];
    parts.forEach((p, i) => {
      if (i > 0) joined.push(Buffer.from(' '));
      joined.push(p);
    });
    ctx.untagged(Buffer.concat([Buffer.from(`* ${target.seq} FETCH (`), ...joined, Buffer.from(')\r\n')]));
  }
  return ok('FETCH completed');
}

function renderItem(item: Item, m: StoredMessage, flags: string): Buffer {
  switch (item.kind) {
    case 'FLAGS':
      return Buffer.from(`FLAGS ${flags}`);
    case 'UID':
      return Buffer.from(`UID ${m.uid}`);
    case 'INTERNALDATE':
      return Buffer.from(`INTERNALDATE "${formatInternalDate(m.internalDate)}"`);
    case 'RFC822.SIZE':
      return Buffer.from(`RFC822.SIZE ${m.size}`);
    case 'ENVELOPE':
      return Buffer.concat([Buffer.from('ENVELOPE '), encodeValue(buildEnvelope(parseMessage(m.raw)))]);
    case 'BODYSTRUCTURE':
    case 'BODY':
      return Buffer.concat([
        Buffer.from(`${item.kind} `),
        encodeValue(buildBodyStructure(m.raw, parseMessage(m.raw), item.kind === 'BODYSTRUCTURE')),
      ]);
    case 'section': {
      let bytes = extractSection(m.raw, item.spec);
      let label = item.label;
      if (item.partial) {
        bytes = bytes.subarray(
          Math.min(item.partial.start, bytes.length),
          Math.min(item.partial.start + item.partial.length, bytes.length),
        );
        label += `<${item.partial.start}>`;
      }
      return Buffer.concat([Buffer.from(`${label} {${bytes.length}}\r\n`), bytes]);
    }
  }
}

export const fetchCommands: Record<string, CommandSpec> = {
  FETCH: { states: SELECTED, handler: fetch, expungeSafe: false },
  'UID FETCH': { states: SELECTED, handler: fetch, expungeSafe: true },
};
