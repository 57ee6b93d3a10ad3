// Turns a saved transcript into a script that replays it.
//
// Input lines: `C: ...`, `S: ...`, `L: ...` (local notes), optionally after a timestamp
// (`12:00:01.123`, `2026-11-22T12:00:01.123Z`, `[anything]`, `+12ms`). Other lines are ignored
// (counted in a warning).
//
// Decisions, so a replay passes against the same server on another day:
// - Client lines are kept exactly. Redacted parts (`<redacted>`, or a `***` word) become
//   `{{$secret secret1}}`, `{{$secret secret2}}`, ... in order of appearance.
// - Server lines become loose expectations, one per reply, status part only:
//   SMTP the reply code of the last line (`S: 250`); POP3 the status word of the first line
//   (`S: +OK`, `S: -ERR`, `S: +` for a SASL challenge); IMAP the last line's tag and status
//   (`S: a1 OK`), `S: +` for a continuation request, `S: * OK` (or PREAUTH/BYE) for the greeting.
//   Untagged data, text after the status and multi-line bodies are dropped: they change from
//   run to run (message counts, UIDs, dates).
// - The body after SMTP `DATA`/`354` becomes a `<<<`...`>>>` block (dot-stuffing undone, the
//   final `.` dropped); an IMAP literal `{n}` followed by `+` becomes `{}` and a block when its
//   lines add up to exactly n octets (otherwise the lines stay as `C:` lines, with a warning).
// - A note holding a URL (`smtp://`, `imaps://`, ...) starts a new `@connect` block.

import { Buffer } from 'node:buffer';
import type { ScriptProtocol } from './ast.js';
import { REDACTED } from './expand.js';
import { KNOWN_SCHEMES, schemeInfo } from './url.js';

export interface FromTranscriptOptions {
  /** Protocol when the transcript does not show it (a note with a URL, or a greeting it recognises). */
  readonly protocol?: ScriptProtocol;
  /** `@connect` URL when the transcript holds none. */
  readonly url?: string;
}

export interface FromTranscriptResult {
  /** Script source text. */
  readonly text: string;
  readonly warnings: readonly string[];
}

const LINE =
  /^\s*(?:(?:\[[^\]]*\]|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{1,2}:\d\d:\d\d(?:[.,]\d+)?|\+?\d+(?:\.\d+)?m?s)\s+)?(?:([CSL]):|--)(.*)$/;
const URL_IN_NOTE = new RegExp(`\\b(?:${KNOWN_SCHEMES.join('|')})://[^\\s,;)]+`, 'i');
const SANDBOX_URL: Record<ScriptProtocol, string> = {
  smtp: 'smtp://127.0.0.1:2525',
  pop3: 'pop3://127.0.0.1:1110',
  imap: 'imap://127.0.0.1:1143',
};

interface Entry {
  readonly dir: 'C' | 'S' | 'L';
  readonly text: string;
  readonly lineNo: number;
}

interface Block {
  url?: string;
  entries: Entry[];
}

export function scriptFromTranscript(
  transcript: string,
  options: FromTranscriptOptions = {},
): FromTranscriptResult {
  const warnings: string[] = [];
  const blocks: Block[] = [{ entries: [] }];
  let ignored = 0;
  transcript.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const m = LINE.exec(raw);
    if (!m) {
      ignored++;
      return;
    }
    // `-- text` is how Mailwire renders local notes; `L:` is accepted too.
    const dir = (m[1] ?? 'L') as 'C' | 'S' | 'L';
    const rest = m[2] ?? '';
    const text = rest.startsWith(' ') ? rest.slice(1) : rest;
    const current = blocks[blocks.length - 1] ?? { entries: [] };
    if (dir === 'L') {
      const url = URL_IN_NOTE.exec(text)?.[0];
      if (url) {
        if (current.url === undefined && !current.entries.some((e) => e.dir !== 'L')) current.url = url;
        else blocks.push({ url, entries: [] });
        return;
      }
    }
    current.entries.push({ dir, text, lineNo: i + 1 });
  });
  if (ignored > 0) warnings.push(`${ignored} line${ignored === 1 ? '' : 's'} without C:, S: or L: ignored`);

  let secretCount = 0;
  const out: string[] = [
    '# Replayed from a transcript. Server lines became loose expectations (status part only);',
    '# add S: lines or regular expressions where you want to check more.',
  ];
  const body: string[] = [];
  const sub = (text: string, lineNo: number): string => {
    if (text.includes('{{')) warnings.push(`line ${lineNo}: "{{" will be read as an expansion in the script`);
    return text.replace(new RegExp(`${escapeRegex(REDACTED)}|(?<=^|\\s)\\*\\*\\*(?=\\s|$)`, 'g'), () => {
      secretCount++;
      return `{{$secret secret${secretCount}}}`;
    });
  };

  for (const block of blocks) {
    if (block.entries.length === 0 && block.url === undefined) continue;
    const protocol = protocolOf(block, options.protocol);
    if (!protocol) {
      warnings.push('could not tell the protocol (no URL, no recognisable greeting): pass options.protocol');
      continue;
    }
    const url = block.url ?? options.url ?? SANDBOX_URL[protocol];
    if (block.url === undefined && options.url === undefined) {
      body.push('', `# No server address in the transcript: replace with the server to replay against.`);
    }
    body.push('', `@connect ${url}`);
    convertBlock(block.entries, protocol, body, warnings, sub);
  }
  if (secretCount > 0) {
    out.push(
      `# Redacted values became {{$secret secret1}}..{{$secret secret${secretCount}}}: provide them in the secret`,
      '# store (editor) or as MAILWIRE_SECRET_SECRET1... (CLI), or replace them with @set variables.',
    );
  }
  return { text: [...out, ...body].join('\n') + '\n', warnings };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function protocolOf(block: Block, fallback: ScriptProtocol | undefined): ScriptProtocol | undefined {
  if (block.url !== undefined) {
    const scheme = /^([a-z0-9]+):/i.exec(block.url)?.[1];
    const info = scheme ? schemeInfo(scheme) : undefined;
    if (info) return info.protocol;
  }
  if (fallback) return fallback;
  const first = block.entries.find((e) => e.dir === 'S')?.text ?? '';
  if (/^220[ -]/.test(first)) return 'smtp';
  if (/^\+OK\b/.test(first)) return 'pop3';
  if (/^\* (OK|PREAUTH|BYE)\b/i.test(first)) return 'imap';
  return undefined;
}

/** The loose expectation for one reply (its lines), or undefined when nothing recognisable. */
function statusOf(protocol: ScriptProtocol, lines: readonly string[], greeting: boolean): string | undefined {
  const last = lines[lines.length - 1];
  const first = lines[0];
  if (protocol === 'smtp') {
    return last !== undefined ? /^(\d{3})(?:[ -]|$)/.exec(last)?.[1] : undefined;
  }
  if (protocol === 'pop3') {
    if (first === undefined) return undefined;
    return /^(\+OK|-ERR)\b/.exec(first)?.[1] ?? (/^\+( |$)/.test(first) ? '+' : undefined);
  }
  if (last === undefined) return undefined;
  if (greeting) return /^\* (OK|PREAUTH|BYE)\b/i.exec(first ?? '')?.[0];
  if (/^\+( |$)/.test(last)) return '+';
  const m = /^(\S+) (OK|NO|BAD)\b/i.exec(last);
  return m && m[1] !== '*' ? `${m[1]} ${m[2]}` : undefined;
}

function convertBlock(
  entries: readonly Entry[],
  protocol: ScriptProtocol,
  out: string[],
  warnings: string[],
  sub: (text: string, lineNo: number) => string,
): void {
  let i = 0;
  const replyAt = (): string[] => {
    const lines: string[] = [];
    while (i < entries.length && entries[i]?.dir !== 'C') {
      const e = entries[i];
      if (e?.dir === 'S') lines.push(e.text);
      else if (e?.dir === 'L') out.push(`# ${e.text}`);
      i++;
    }
    return lines;
  };
  const expect = (lines: string[], greeting: boolean): string | undefined => {
    const s = statusOf(protocol, lines, greeting);
    if (s !== undefined) out.push(`S: ${s}`);
    return s;
  };
  expect(replyAt(), true);
  while (i < entries.length) {
    const cmd = entries[i];
    i++;
    if (!cmd) break;
    const literal = protocol === 'imap' ? /\{(\d+)\+?\}$/.exec(cmd.text) : null;
    const isData = protocol === 'smtp' && /^DATA\s*$/i.test(cmd.text);
    if (literal) {
      const size = Number(literal[1]);
      const continuation = replyAt();
      const taken = takeLiteral(entries, i, size);
      if (taken && continuation.length > 0 && statusOf('imap', continuation, false) === '+') {
        out.push(`C: ${sub(cmd.text.slice(0, literal.index), cmd.lineNo)}{}`);
        out.push('<<<', ...taken.lines.map((l) => sub(l, cmd.lineNo)), '>>>');
        i = taken.next;
        expect(replyAt(), false);
        continue;
      }
      warnings.push(
        `line ${cmd.lineNo}: literal {${size}} kept as plain C: lines (its lines do not add up to ${size} octets)`,
      );
      out.push(`C: ${sub(cmd.text, cmd.lineNo)}`);
      expect(continuation, false);
      continue;
    }
    out.push(`C: ${sub(cmd.text, cmd.lineNo)}`);
    const reply = replyAt();
    const status = expect(reply, false);
    if (isData && status === '354') {
      const bodyLines: string[] = [];
      while (i < entries.length && entries[i]?.dir === 'C' && entries[i]?.text !== '.') {
        const t = entries[i]?.text ?? '';
        bodyLines.push(t.startsWith('.') ? t.slice(1) : t);
        i++;
      }
      if (entries[i]?.text === '.') i++;
      if (bodyLines.includes('>>>'))
        warnings.push(`line ${cmd.lineNo}: the body has a line ">>>", which ends the block early`);
      out.push('<<<', ...bodyLines.map((l) => sub(l, cmd.lineNo)), '>>>');
      expect(replyAt(), false);
    }
  }
}

/** Client lines from `start` that hold exactly `size` octets (each line plus CRLF), or undefined. */
function takeLiteral(
  entries: readonly Entry[],
  start: number,
  size: number,
): { lines: string[]; next: number } | undefined {
  const lines: string[] = [];
  let octets = 0;
  let j = start;
  while (octets < size && j < entries.length && entries[j]?.dir === 'C') {
    const t = entries[j]?.text ?? '';
    lines.push(t);
    octets += Buffer.byteLength(t, 'utf8') + 2;
    j++;
  }
  if (octets !== size) return undefined;
  // The empty line after the literal is the CRLF that ends the command line.
  if (entries[j]?.dir === 'C' && entries[j]?.text === '') j++;
  return { lines, next: j };
}
