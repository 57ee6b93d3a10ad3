// Addresses of transcript documents: `mailwire-transcript:/<session id>/<title>.transcript`.
// The file name is what the editor tab shows; the id finds the session. Plain module.

export const TRANSCRIPT_SCHEME = 'mailwire-transcript';

/** The URI path for a session's transcript; the title is made safe for a file name. */
export function transcriptPath(sessionId: string, title: string): string {
  const safe =
    title
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
      .replace(/\s+/g, ' ')
      .trim() || 'session';
  return `/${encodeURIComponent(sessionId)}/${safe}.transcript`;
}

/** The session id in a transcript URI path, or undefined when the path is not one of ours. */
export function sessionIdFromPath(path: string): string | undefined {
  const m = /^\/([^/]+)\/[^/]+\.transcript$/.exec(path);
  if (!m || !m[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** A file name for saving a transcript, e.g. `imap-127.0.0.1-1143-20261122-043012`. */
export function transcriptFileStem(protocol: string, host: string, port: number, time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const safeHost = host.replace(/[^A-Za-z0-9.-]+/g, '_');
  return `${protocol}-${safeHost}-${port}-${stamp}`;
}
