// Preparing message bodies and IMAP literals for the wire.

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** Bare LF and bare CR become CRLF (RFC 5321 section 2.3.8 and RFC 3501 require CRLF line ends). */
export function toCrlf(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === CR) {
      out.push(CR, LF);
      if (bytes[i + 1] === LF) i++;
    } else if (b === LF) {
      out.push(CR, LF);
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/**
 * SMTP DATA (RFC 5321 section 4.5.2): CRLF line ends, a `.` doubled at the start of each line,
 * a final CRLF when missing, then the `.` CRLF terminator.
 */
export function smtpDataBytes(body: Uint8Array): Uint8Array {
  const crlf = toCrlf(body);
  const out: number[] = [];
  let lineStart = true;
  for (const b of crlf) {
    if (lineStart && b === DOT) out.push(DOT);
    out.push(b);
    lineStart = b === LF;
  }
  if (!lineStart) out.push(CR, LF);
  out.push(DOT, CR, LF);
  return Uint8Array.from(out);
}

/**
 * The command line announcing an IMAP literal of `size` octets: a trailing `{}` becomes `{size}`,
 * otherwise ` {size}` is appended.
 */
export function imapLiteralLine(line: string, size: number): string {
  return /\{\}$/.test(line) ? `${line.slice(0, -2)}{${size}}` : `${line} {${size}}`;
}

/** The literal's octets followed by the CRLF that ends the command line. */
export function imapLiteralBytes(literal: Uint8Array): Uint8Array {
  const out = new Uint8Array(literal.length + 2);
  out.set(literal, 0);
  out[literal.length] = CR;
  out[literal.length + 1] = LF;
  return out;
}
