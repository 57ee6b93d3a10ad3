// Reduces what the RFCs leave to the server before results are compared. Each rule names the
// freedom it removes.
import type { BodyStructure } from '../../../src/protocol/imap/fetch.js';

/**
 * RFC 2231 parameters (`filename*=UTF-8''r%C3%A9sum%C3%A9.txt`): RFC 3501 only says a body
 * parameter is an attribute/value string pair, so a server may pass the encoded form through
 * (Dovecot) or decode it (the sandbox, which then sends the UTF-8 value as a literal). Both are
 * decoded here to compare the value they mean.
 */
function decodeParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const m = /^(.+)\*$/.exec(key);
    const enc = m ? /^([^']*)'[^']*'(.*)$/.exec(value) : null;
    if (m && enc) {
      const bytes = Buffer.from(
        enc[2]!.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      );
      out[m[1]!] = /^utf-?8$/i.test(enc[1]!) ? bytes.toString('utf8') : bytes.toString('latin1');
    } else out[key] = value;
  }
  return out;
}

/**
 * `sections` maps a part path ("1", "2.1") to its fetched bytes. Normalised:
 * - encoding to upper case: RFC 3501 body-fld-enc is a case-insensitive string (Dovecot writes the
 *   default as "7bit", the sandbox as "7BIT");
 * - parameter names to lower case, RFC 2231 values decoded (see decodeParams);
 * - `lines` dropped for a part whose body does not end in a line break: RFC 3501 says only "size
 *   of the body in text lines"; Dovecot counts line ends (0 for one unterminated line before the
 *   boundary), the sandbox also counts the unterminated last line. Parts that end in a line
 *   break must agree exactly, and do;
 * - `size` dropped for a part whose body ends with a nested multipart's close-delimiter
 *   (`--inner--`): RFC 2046 attaches the CRLF before the next boundary to that boundary, so the
 *   part ends at `--inner--` (the sandbox); Dovecot counts that CRLF into the part, as the inner
 *   multipart's empty epilogue. See `trimCloseDelimiterSlack` for the same in section bytes.
 */
export function normaliseStructure(
  b: BodyStructure | undefined,
  sections: Readonly<Record<string, string | null>>,
  path = '',
): unknown {
  if (!b) return b;
  const sub = (i: number) => (path === '' ? String(i) : `${path}.${i}`);
  const common = {
    ...(b.disposition !== undefined
      ? {
          disposition: b.disposition
            ? { type: b.disposition.type.toLowerCase(), params: decodeParams(b.disposition.params) }
            : null,
        }
      : {}),
    ...(b.language !== undefined ? { language: b.language } : {}),
    ...(b.location !== undefined ? { location: b.location } : {}),
  };
  if (b.kind === 'multipart') {
    return {
      kind: b.kind,
      subtype: b.subtype.toLowerCase(),
      params: b.params ? decodeParams(lowerKeys(b.params)) : undefined,
      parts: b.parts.map((p, i) => normaliseStructure(p, sections, sub(i + 1))),
      ...common,
    };
  }
  const own = sections[path === '' ? '1' : path];
  const unterminated = typeof own === 'string' && own.length > 0 && !own.endsWith('\n');
  const closeDelimited = typeof own === 'string' && CLOSE_DELIMITER_END.test(own);
  // A message/rfc822 part's body: its parts are numbered under the part; a non-multipart body is `.1`.
  const inner = b.body
    ? normaliseStructure(b.body, sections, b.body.kind === 'multipart' ? path : sub(1))
    : undefined;
  return {
    kind: b.kind,
    type: b.type.toLowerCase(),
    subtype: b.subtype.toLowerCase(),
    params: decodeParams(lowerKeys(b.params)),
    id: b.id,
    description: b.description,
    encoding: b.encoding.toUpperCase(),
    ...(closeDelimited ? {} : { size: b.size }),
    ...(b.lines !== undefined && !unterminated ? { lines: b.lines } : {}),
    ...(b.envelope ? { envelope: b.envelope } : {}),
    ...(inner !== undefined ? { body: inner } : {}),
    ...(b.md5 !== undefined ? { md5: b.md5 } : {}),
    ...common,
  };
}

function lowerKeys(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A body ending in a close-delimiter line, with or without the CRLF after it. */
const CLOSE_DELIMITER_END = /(^|\r\n)--[^\r\n]+--(\r\n)?$/;

/** Section bytes without the CRLF after a final close-delimiter (see normaliseStructure). */
export function trimCloseDelimiterSlack(
  sections: Readonly<Record<string, string | null>>,
): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(sections).map(([k, v]) => [
      k,
      v === null ? v : v.replace(/((?:^|\r\n)--[^\r\n]+--)\r\n$/, '$1'),
    ]),
  );
}
