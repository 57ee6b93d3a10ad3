// Enhanced mail system status codes (RFC 3463): `class.subject.detail`, e.g. `5.1.1`.

export interface EnhancedStatus {
  /** 2 success, 4 persistent transient failure, 5 permanent failure. */
  readonly class: 2 | 4 | 5;
  readonly subject: number;
  readonly detail: number;
  /** As written, e.g. `5.1.1`. */
  readonly code: string;
}

// RFC 3463: subject and detail are 1 to 3 digits; the code is followed by a space or ends the line.
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?= |$)/;

/**
 * The enhanced code at the start of a reply line's text, if any, and the text after it. Only a
 * code whose class matches the reply's first digit counts (`250 5.0.0` is not an enhanced code).
 */
export function splitEnhancedStatus(
  text: string,
  replyCode: number,
): { status: EnhancedStatus | undefined; rest: string } {
  const m = ENHANCED.exec(text);
  if (m === null || Number(m[1]) !== Math.floor(replyCode / 100)) return { status: undefined, rest: text };
  const status: EnhancedStatus = {
    class: Number(m[1]) as 2 | 4 | 5,
    subject: Number(m[2]),
    detail: Number(m[3]),
    code: m[0],
  };
  return { status, rest: text.slice(m[0].length).replace(/^ /, '') };
}
