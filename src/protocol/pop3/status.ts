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

const STATUS = /^(\+OK|-ERR)(?:[ \t](.*))?$/is;
const CONTINUATION = /^\+(?: (.*))?$/s;
// RFC 2449: resp-code = "[" resp-level *("/" resp-level) "]"; resp-level = 1*rchar.
const RESP_CODE = /^\[([\x21-\x2e\x30-\x5c\x5e-\x7f]+(?:\/[\x21-\x2e\x30-\x5c\x5e-\x7f]+)*)\] ?/;

/** Parses a status line; null when the line is neither a status nor a continuation. */
export function parseStatusLine(line: string): StatusLine | null {
  const m = STATUS.exec(line);
  if (m !== null) {
    const ok = m[1]!.toUpperCase() === '+OK';
    const text = m[2] ?? '';
    const rc = RESP_CODE.exec(text);
    if (rc === null) return { kind: 'status', ok, text };
    const code = rc[1]!.toUpperCase();
    return { kind: 'status', ok, text: text.slice(rc[0].length), respCode: { code, parts: code.split('/') } };
  }
  const c = CONTINUATION.exec(line);
  if (c !== null) return { kind: 'continuation', text: c[1] ?? '' };
  return null;
}

/** The APOP timestamp (`<pid.clock@host>`) from a greeting's text, RFC 1939 section 7. */
export function apopTimestamp(greetingText: string): string | undefined {
  return /<[^<>\s]*@[^<>\s]*>/.exec(greetingText)?.[0];
}
