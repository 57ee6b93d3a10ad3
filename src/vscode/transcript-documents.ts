// Read-only virtual documents showing each session's transcript, appended live.
// The text is kept in chunks and change events are batched (see transcript-text.ts).
import * as vscode from './api.js';
import type { SessionEntry, SessionManager } from './session-manager.js';
import { DEFAULT_LIVE_LINES, TranscriptText } from './transcript-text.js';
import { TRANSCRIPT_SCHEME, sessionIdFromPath, transcriptPath } from './transcript-uri.js';
import type { Log } from './ui.js';
import { errorText } from './ui.js';

export const TRANSCRIPT_LANGUAGE = 'mailwire-transcript';

interface Live {
  readonly uri: vscode.Uri;
  readonly text: TranscriptText;
  readonly unsubscribe: () => void;
}

export class TranscriptDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly live = new Map<string, Live>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: SessionManager,
    private readonly log: Log,
    private readonly timestamps: () => boolean,
    private readonly liveLines: () => number = () => DEFAULT_LIVE_LINES,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_SCHEME, this),
    );
    const offChange = manager.events.on('change', () => this.dropRemoved());
    this.disposables.push({ dispose: offChange });
  }

  uriFor(entry: SessionEntry): vscode.Uri {
    return vscode.Uri.from({ scheme: TRANSCRIPT_SCHEME, path: transcriptPath(entry.id, entry.label.title) });
  }

  async open(entry: SessionEntry): Promise<void> {
    const uri = this.uriFor(entry);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== TRANSCRIPT_LANGUAGE) {
      doc = await vscode.languages.setTextDocumentLanguage(doc, TRANSCRIPT_LANGUAGE);
    }
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = sessionIdFromPath(uri.path);
    const entry = id === undefined ? undefined : this.manager.get(id);
    if (!id || !entry)
      return '-- this session is no longer available (transcripts of closed windows are in the transcript directory)\n';
    return this.liveText(id, entry, uri).text();
  }

  /** Re-renders every open transcript (the timestamps setting changed). */
  rerenderAll(): void {
    for (const [id, live] of this.live) {
      const entry = this.manager.get(id);
      if (entry) live.text.rerender(entry.session.transcript.events, { timestamps: this.timestamps() });
    }
  }

  /** The live window setting changed: documents are rebuilt with it. */
  resetAll(): void {
    for (const [id, live] of this.live) {
      this.drop(live);
      this.live.delete(id);
      this.changed.fire(live.uri);
    }
  }

  dispose(): void {
    for (const live of this.live.values()) this.drop(live);
    this.live.clear();
    for (const d of this.disposables) d.dispose();
  }

  private liveText(id: string, entry: SessionEntry, uri: vscode.Uri): TranscriptText {
    const existing = this.live.get(id);
    if (existing) return existing.text;
    const text = new TranscriptText(entry.session.transcript.events, {
      render: { timestamps: this.timestamps() },
      maxLines: this.liveLines(),
      onChange: () => this.changed.fire(uri),
      onError: (error) => this.log.error(`transcript view: ${errorText(error)}`),
    });
    const unsubscribe = entry.session.transcript.subscribe((event) => text.append(event));
    this.live.set(id, { uri, text, unsubscribe });
    return text;
  }

  private dropRemoved(): void {
    for (const [id, live] of this.live) {
      if (this.manager.get(id)) continue;
      this.drop(live);
      this.live.delete(id);
      this.changed.fire(live.uri);
    }
  }

  private drop(live: Live): void {
    live.unsubscribe();
    live.text.dispose();
  }
}
