// POP3 status lines (RFC 1939 section 3): `+OK text`, `-ERR text`, with the extended response
// codes of RFC 2449 (`-ERR [IN-USE] ...`, `[SYS/TEMP]`, `[AUTH]`, `[LOGIN-DELAY]`, RFC 3206).

export interface RespCode {
  /** As written, upper case: `SYS/TEMP`. */
  readonly code: string;
  /** The hierarchy levels: `['SYS', 'TEMP']`. */
  readonly parts: readonly string[];
}

export type StatusLine =
  | { readonly kind: 'status'; readonly ok: boolean; readonly text: string; readonly respCode?: RespCode }
  /** A SASL continuation (`+ base64`), RFC 5034. */
  | { readonly kind: 'continuation'; readonly text: string };

const CONTINUATION = /^\+(?: (.*))?$/s;
// RFC 2449: resp-code = "[" resp-level *("/" resp-level) "]"; resp-level = 1*rchar.
const RESP_CODE = /^\[([\x21-\x2e\x30-\x5c\x5e-\x7f]+(?:\/[\x21-\x2e\x30-\x5c\x5e-\x7f]+)*)\] ?/;

/** Parses a status line; null when the line is neither a status nor a continuation. */
export function parseStatusLine(line: string): StatusLine | null {
  // Read by hand (this runs for every reply): `+OK` or `-ERR` in any case, then the end of the
  // line or one space or tab before the text, as /^(\+OK|-ERR)(?:[ \t](.*))?$/is reads it.
  const n = statusWordLength(line);
  if (n !== 0) {
    const sep = line.charCodeAt(n);
    if (line.length === n || sep === 0x20 || sep === 0x09) {
      const ok = n === 3;
      const text = line.length === n ? '' : line.slice(n + 1);
      const rc = text.charCodeAt(0) === 0x5b /* [ */ ? RESP_CODE.exec(text) : null;
      if (rc === null) return { kind: 'status', ok, text };
      const code = rc[1]!.toUpperCase();
      return {
        kind: 'status',
        ok,
        text: text.slice(rc[0].length),
        respCode: { code, parts: code.split('/') },
      };
    }
  }
  const c = CONTINUATION.exec(line);
  if (c !== null) return { kind: 'continuation', text: c[1] ?? '' };
  return null;
}

/** 3 when the line starts with `+OK`, 4 with `-ERR` (any case), else 0. */
function statusWordLength(line: string): number {
  // `| 0x20` lower-cases an ASCII letter; no other code unit becomes o, k, e or r by it.
  const first = line.charCodeAt(0);
  if (first === 0x2b /* + */) {
    return (line.charCodeAt(1) | 0x20) === 0x6f && (line.charCodeAt(2) | 0x20) === 0x6b ? 3 : 0;
  }
  if (first === 0x2d /* - */) {
    const e = (line.charCodeAt(1) | 0x20) === 0x65;
    return e && (line.charCodeAt(2) | 0x20) === 0x72 && (line.charCodeAt(3) | 0x20) === 0x72 ? 4 : 0;
  }
  return 0;
}

/** The APOP timestamp (`<pid.clock@host>`) from a greeting's text, RFC 1939 section 7. */
export function apopTimestamp(greetingText: string): string | undefined {
  return /<[^<>\s]*@[^<>\s]*>/.exec(greetingText)?.[0];
}
