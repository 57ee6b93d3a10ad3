// Fetched messages (IMAP BODY[], POP3 RETR/TOP) as read-only .eml documents beside the
// transcript, with their MIME structure in the outline, the breadcrumbs and as folding ranges.
// "Save Message As..." writes the exact bytes the server sent.
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import * as vscode from './api.js';
import type { OutlineNode } from '../message/outline.js';
import type { Features } from './features.js';
import type { SessionEntry } from './session-manager.js';
import { errorText, notify } from './ui.js';

export const MESSAGE_SCHEME = 'mailwire-message';
export const MESSAGE_LANGUAGE = 'mailwire-message';
/** Documents kept for reopening; older ones are forgotten (their bytes can be large). */
const KEEP_MESSAGES = 50;

type OutlineModule = { readonly messageOutline: (bytes: Uint8Array) => OutlineNode };

export class MessageDocuments
  implements
    vscode.TextDocumentContentProvider,
    vscode.DocumentSymbolProvider,
    vscode.FoldingRangeProvider,
    vscode.Disposable
{
  private readonly messages = new Map<string, Uint8Array>();
  private readonly disposables: vscode.Disposable[];
  private outlineModule: OutlineModule | undefined;
  private counter = 0;

  constructor(private readonly features: Features) {
    const selector: vscode.DocumentSelector = { scheme: MESSAGE_SCHEME };
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, this),
      vscode.languages.registerDocumentSymbolProvider(selector, this, { label: 'MIME structure' }),
      vscode.languages.registerFoldingRangeProvider(selector, this),
    ];
  }

  async open(entry: SessionEntry, name: string, bytes: Uint8Array): Promise<void> {
    const safe = name.replace(/[^\w.-]+/g, '_');
    const uri = vscode.Uri.from({ scheme: MESSAGE_SCHEME, path: `/${entry.id}/${++this.counter}/${safe}` });
    this.messages.set(uri.toString(), bytes);
    while (this.messages.size > KEEP_MESSAGES) {
      const oldest = this.messages.keys().next().value;
      if (oldest === undefined) break;
      this.messages.delete(oldest);
    }
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== MESSAGE_LANGUAGE)
      doc = await vscode.languages.setTextDocumentLanguage(doc, MESSAGE_LANGUAGE);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    this.features.log.info(`${entry.label.title}: opened ${safe} (${bytes.length} bytes)`);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const bytes = this.messages.get(uri.toString());
    if (!bytes) return '-- this message is no longer kept in memory; fetch it again\n';
    return decodeText(bytes);
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const root = this.outline(document);
    return root ? [toSymbol(root, document)] : [];
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const root = this.outline(document);
    const ranges: vscode.FoldingRange[] = [];
    const walk = (n: OutlineNode) => {
      if (n.endLine > n.startLine) ranges.push(new vscode.FoldingRange(n.startLine, n.endLine));
      n.children.forEach(walk);
    };
    if (root) walk(root);
    return ranges;
  }

  /** Saves the exact bytes of the message in the active editor. */
  async saveActive(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const bytes = doc ? this.messages.get(doc.uri.toString()) : undefined;
    if (!doc || !bytes) {
      notify('info', 'open a fetched message first (IMAP: Open Message..., POP3: Retr...)');
      return;
    }
    const name = doc.uri.path.split('/').pop() ?? 'message.eml';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Mailwire: Save Message',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: { Message: ['eml'] },
    });
    if (!target) return;
    if (target.scheme !== 'file') {
      notify('error', `can only save to local files, not ${target.scheme}: URIs`);
      return;
    }
    const { writeFile } = await import('node:fs/promises'); // not loaded at activation
    await writeFile(target.fsPath, bytes);
    notify('info', `saved ${bytes.length} bytes to ${target.fsPath}`);
  }

  dispose(): void {
    this.messages.clear();
    for (const d of this.disposables) d.dispose();
  }

  private outline(document: vscode.TextDocument): OutlineNode | undefined {
    const bytes = this.messages.get(document.uri.toString());
    if (!bytes) return undefined;
    try {
      return this.loadOutline().messageOutline(bytes);
    } catch (error) {
      this.features.log.warn(`MIME structure of ${document.uri.path}: ${errorText(error)}`);
      return undefined;
    }
  }

  /** The MIME code is its own bundle (dist/message.js), loaded when a message is first shown. */
  private loadOutline(): OutlineModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.outlineModule ??= require(join(__dirname, 'message.js')) as OutlineModule;
    return this.outlineModule;
  }
}

/** UTF-8 when the bytes are valid UTF-8, else Latin-1 so every byte still shows as a character. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

function toSymbol(node: OutlineNode, document: vscode.TextDocument): vscode.DocumentSymbol {
  const last = Math.min(node.endLine, document.lineCount - 1);
  const range = new vscode.Range(node.startLine, 0, last, document.lineAt(last).text.length);
  const kind =
    node.kind === 'message'
      ? vscode.SymbolKind.Module
      : node.kind === 'headers'
        ? vscode.SymbolKind.Field
        : node.kind === 'multipart'
          ? vscode.SymbolKind.Namespace
          : node.kind === 'attachment'
            ? vscode.SymbolKind.File
            : vscode.SymbolKind.String;
  const symbol = new vscode.DocumentSymbol(
    node.name,
    node.detail,
    kind,
    range,
    new vscode.Range(node.startLine, 0, node.startLine, 0),
  );
  symbol.children = node.children.map((c) => toSymbol(c, document));
  return symbol;
}
