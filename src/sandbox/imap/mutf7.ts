// Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): printable ASCII as is, `&` as `&-`,
// everything else as `&` + modified base64 of UTF-16BE + `-`.

import { Buffer } from 'node:buffer';

export function encodeMailboxName(name: string): string {
  let out = '';
  let pending = '';
  const flush = (): void => {
    if (!pending) return;
    const utf16 = Buffer.alloc(pending.length * 2);
    for (let i = 0; i < pending.length; i++) utf16.writeUInt16BE(pending.charCodeAt(i), i * 2);
    out += `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
    pending = '';
  };
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code <= 0x7e && ch.length === 1) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else pending += ch;
  }
  flush();
  return out;
}

/** Decodes a name; undefined when it is not valid modified UTF-7 (the caller answers BAD/NO). */
export function decodeMailboxName(name: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i]!;
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = name.indexOf('-', i);
    if (end < 0) return undefined;
    const b64 = name.slice(i + 1, end);
    if (b64 === '') out += '&';
    else {
      if (!/^[A-Za-z0-9+,]+$/.test(b64)) return undefined;
      const bytes = Buffer.from(b64.replace(/,/g, '/'), 'base64');
      if (bytes.length % 2 !== 0) return undefined;
      for (let j = 0; j < bytes.length; j += 2) out += String.fromCharCode(bytes.readUInt16BE(j));
    }
    i = end + 1;
  }
  return out;
}
