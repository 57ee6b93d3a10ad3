// Decodes RFC 2047 encoded words (`=?UTF-8?Q?J=C3=BCrgen?=`) in ENVELOPE subjects and names, so
// the view shows what a mail client would. A word with an unknown charset or bad encoding is kept
// as sent. Runs in Node and browsers alike (TextDecoder, no Buffer).

const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
// Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
const BETWEEN = /(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g;

export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  return text.replace(BETWEEN, '$1').replace(WORD, (whole, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B' ? base64(data) : quoted(data);
    if (!bytes) return whole;
    try {
      // RFC 2231 language suffix: `UTF-8*en`.
      return new TextDecoder(charset.split('*')[0]!.toLowerCase(), { fatal: true }).decode(bytes);
    } catch {
      return whole;
    }
  });
}

function quoted(data: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === '_') out.push(0x20);
    else if (c === '=') {
      const hex = data.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(data: string): Uint8Array | undefined {
  const clean = data.replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    const v = B64.indexOf(c);
    if (v < 0) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}
