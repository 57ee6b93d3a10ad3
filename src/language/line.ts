// Splits a transcript or script line into its prefix (timestamp, `C:`/`S:`/`--`) and the protocol
// text after it, keeping columns so hovers can map a cursor position back to a word.
import type { KnowledgeProtocol } from '../knowledge/index.js';
import { schemeInfo } from '../script/url.js';

export type LineDirection = 'C' | 'S' | 'L';

export interface SplitLine {
  readonly dir: LineDirection;
  /** 0-based index in the original line where the protocol text starts. */
  readonly bodyStart: number;
  /** The protocol text (after `C: `, `S: `, `-- `). */
  readonly body: string;
}

// Optional timestamp as render.ts writes it (`HH:MM:SS.mmm `), as `mailwire convert` accepts, or none.
const PREFIX =
  /^(\s*(?:(?:\[[^\]]*\]|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{1,2}:\d\d:\d\d(?:[.,]\d+)?)\s+)?)(C:|S:|L:|--)( ?)/;

/** The direction and protocol text of a `C:`/`S:`/`--` line, or undefined for other lines. */
export function splitLine(text: string): SplitLine | undefined {
  const m = PREFIX.exec(text);
  if (!m) return undefined;
  const marker = m[2] ?? '';
  const dir: LineDirection = marker === 'C:' ? 'C' : marker === 'S:' ? 'S' : 'L';
  const bodyStart = m[0].length;
  return { dir, bodyStart, body: text.slice(bodyStart) };
}

export interface Word {
  readonly text: string;
  /** 0-based start in the body. */
  readonly start: number;
  readonly end: number;
}

/** Space-separated words with their positions (parentheses and brackets trimmed from the ends). */
export function wordsOf(body: string): Word[] {
  const out: Word[] = [];
  for (const m of body.matchAll(/\S+/g)) {
    let start = m.index;
    let text = m[0];
    while (text.length > 0 && '(['.includes(text[0] ?? '')) {
      text = text.slice(1);
      start++;
    }
    text = text.replace(/[)\]]+$/, '');
    if (text) out.push({ text, start, end: start + text.length });
  }
  return out;
}

/**
 * The protocol a transcript is about, from its content: a local note naming a URL, the greeting's
 * shape, or a client line's shape. Undefined when nothing tells.
 */
export function guessProtocol(lines: readonly string[]): KnowledgeProtocol | undefined {
  for (const raw of lines.slice(0, 200)) {
    const line = splitLine(raw);
    if (!line) continue;
    if (line.dir === 'L') {
      const scheme = /\b([a-z0-9]+):\/\//i.exec(line.body)?.[1];
      const info = scheme ? schemeInfo(scheme.toLowerCase()) : undefined;
      if (info) return info.protocol;
      continue;
    }
    if (line.dir === 'S') {
      if (/^\* (OK|PREAUTH|BYE)\b/i.test(line.body)) return 'imap';
      if (/^[+-](OK|ERR)\b/i.test(line.body)) return 'pop3';
      if (/^\d{3}[ -]/.test(line.body)) return 'smtp';
    }
    if (line.dir === 'C') {
      if (/^(EHLO|HELO|MAIL FROM|RCPT TO)\b/i.test(line.body)) return 'smtp';
      if (/^(USER|CAPA|STAT|RETR|UIDL|STLS)\b/i.test(line.body)) return 'pop3';
      if (/^[A-Za-z0-9.]+ (LOGIN|CAPABILITY|SELECT|AUTHENTICATE)\b/i.test(line.body)) return 'imap';
    }
  }
  return undefined;
}

/** The protocol of the `@connect` block holding `lineIndex` in a script (or the file's default). */
export function scriptProtocolAt(
  lines: readonly string[],
  lineIndex: number,
  fileDefault: KnowledgeProtocol | undefined,
): KnowledgeProtocol | undefined {
  for (let i = Math.min(lineIndex, lines.length - 1); i >= 0; i--) {
    const m = /^\s*@connect\s+([a-z0-9]+):\/\//i.exec(lines[i] ?? '');
    if (m?.[1]) return schemeInfo(m[1].toLowerCase())?.protocol ?? fileDefault;
  }
  return fileDefault;
}

/** The verb of the nearest client line above `lineIndex` (to read a reply line in context). */
export function previousClientVerb(
  protocol: KnowledgeProtocol,
  lines: readonly string[],
  lineIndex: number,
): string | undefined {
  for (let i = lineIndex - 1; i >= 0 && i >= lineIndex - 2000; i--) {
    const line = splitLine(lines[i] ?? '');
    if (line?.dir === 'C') return clientVerb(protocol, line.body)?.verb;
    if (/^\s*@connect\b/.test(lines[i] ?? '')) return undefined;
  }
  return undefined;
}

export interface ClientVerb {
  /** Upper case, `UID FETCH` for UID commands. */
  readonly verb: string;
  readonly start: number;
  readonly end: number;
  /** IMAP tag, when the line has one. */
  readonly tag?: Word;
  /** Where the arguments start in the body. */
  readonly argsStart: number;
}

/** The command verb of a client line (IMAP after the tag; SMTP `MAIL FROM:` is MAIL). */
export function clientVerb(protocol: KnowledgeProtocol, body: string): ClientVerb | undefined {
  if (protocol === 'imap') {
    if (/^DONE\s*$/i.test(body)) return { verb: 'DONE', start: 0, end: 4, argsStart: 4 };
    const m = /^(\S+) +(UID +)?([A-Za-z]+)/.exec(body);
    if (!m) return undefined;
    const tagText = m[1] ?? '';
    const verbStart = tagText.length + (/^\S+( +)/.exec(body)?.[1]?.length ?? 1);
    const verb = `${m[2] ? 'UID ' : ''}${(m[3] ?? '').toUpperCase()}`;
    const end = m[0].length;
    return {
      verb,
      start: verbStart,
      end,
      tag: { text: tagText, start: 0, end: tagText.length },
      argsStart: end,
    };
  }
  const m = /^([A-Za-z]+)/.exec(body);
  if (!m?.[1]) return undefined;
  return { verb: m[1].toUpperCase(), start: 0, end: m[1].length, argsStart: m[1].length };
}
