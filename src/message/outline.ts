// The MIME structure of a fetched message as a tree of line ranges, for the editor's outline,
// breadcrumbs and folding. Uses the sandbox's byte-exact entity splitter, so what the outline
// shows is where the bytes really are (a decoding parser cannot say that).
import { Buffer } from 'node:buffer';
import libmime from 'libmime';
import { header, isMessageType, parseMessage, type Entity } from '../sandbox/mime/entity.js';

export interface OutlineNode {
  /** e.g. `multipart/alternative`, `text/plain; charset=utf-8`, `Headers`. */
  readonly name: string;
  /** e.g. `1.2 · 1,204 bytes · quoted-printable · invite.ics`. */
  readonly detail: string;
  readonly kind: 'message' | 'headers' | 'multipart' | 'part' | 'attachment';
  /** Zero-based line range, end inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly children: readonly OutlineNode[];
}

export function messageOutline(bytes: Uint8Array): OutlineNode {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lineStarts = lineStartOffsets(raw);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const endLineOf = (start: number, end: number): number => lineOf(Math.max(start, end - 1));
  const top = parseMessage(raw);
  const subject = decodeWords(header(top, 'subject'));
  const node = (entity: Entity, path: string, isTop: boolean): OutlineNode => {
    const ct = entity.contentType;
    const type = `${ct.type}/${ct.subtype}`;
    const charset = ct.params.find(([k]) => k === 'charset')?.[1];
    const encoding = header(entity, 'content-transfer-encoding')?.toLowerCase();
    const disposition = header(entity, 'content-disposition');
    const filename =
      ct.params.find(([k]) => k === 'name')?.[1] ??
      (disposition
        ? /filename\*?=(?:"([^"]*)"|([^;\s]+))/i.exec(disposition)?.slice(1).find(Boolean)
        : undefined);
    const size = entity.end - entity.bodyStart;
    const children: OutlineNode[] = [];
    if (entity.headers.length > 0 && entity.bodyStart > entity.start) {
      children.push({
        name: 'Headers',
        detail: `${entity.headers.length} field${entity.headers.length === 1 ? '' : 's'}`,
        kind: 'headers',
        startLine: lineOf(entity.start),
        endLine: endLineOf(entity.start, entity.bodyStart),
        children: [],
      });
    }
    entity.children.forEach((child, i) =>
      children.push(node(child, path ? `${path}.${i + 1}` : `${i + 1}`, false)),
    );
    if (entity.message && isMessageType(ct)) children.push(node(entity.message, path, true));
    const parts = [
      ...(path ? [path] : []),
      `${size.toLocaleString('en-US')} bytes`,
      ...(encoding ? [encoding] : []),
      ...(filename ? [decodeWords(filename) ?? filename] : []),
    ];
    const kind: OutlineNode['kind'] = isTop
      ? 'message'
      : ct.type === 'multipart'
        ? 'multipart'
        : filename || /^\s*attachment/i.test(disposition ?? '')
          ? 'attachment'
          : 'part';
    return {
      name: isTop
        ? `Message: ${subject ?? '(no subject)'} — ${type}`
        : `${type}${charset ? `; charset=${charset}` : ''}`,
      detail: parts.join(' · '),
      kind,
      startLine: lineOf(entity.start),
      endLine: endLineOf(entity.start, entity.end),
      children,
    };
  };
  return node(top, '', true);
}

function lineStartOffsets(raw: Buffer): number[] {
  const starts = [0];
  for (let at = raw.indexOf(0x0a); at >= 0; at = raw.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return starts;
}

function decodeWords(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value; // a malformed encoded word is shown as sent
  }
}
