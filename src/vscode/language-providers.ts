// Thin vscode adapters over src/language: hovers in transcripts and scripts, completion in
// scripts, "Mailwire: Explain Line" and "Mailwire: Save Transcript as Script". The knowledge base
// and the language core load on first use, so activating the extension does not build their tables.
import * as vscode from './api.js';
import type { Completion, CompletionKind } from '../language/completion.js';
import type { LanguageDocument } from '../language/hover.js';
import type { KnowledgeProtocol } from '../knowledge/index.js';
import type { Features } from './features.js';
import { isScriptDocument } from './script-languages.js';
import type { SessionEntry } from './session-manager.js';
import { TRANSCRIPT_SCHEME, sessionIdFromPath } from './transcript-uri.js';
import { errorText, notify } from './ui.js';

/** Lines before the cursor read for context (the command a reply answers). */
const CONTEXT_LINES = 2000;
/** Lines at the top read to guess a transcript's protocol. */
const HEAD_LINES = 200;

function sessionOf(features: Features, doc: vscode.TextDocument): SessionEntry | undefined {
  if (doc.uri.scheme !== TRANSCRIPT_SCHEME) return undefined;
  const id = sessionIdFromPath(doc.uri.path);
  return id === undefined ? undefined : features.manager.get(id);
}

function asProtocol(value: string | undefined): KnowledgeProtocol | undefined {
  return value === 'imap' || value === 'pop3' || value === 'smtp' ? value : undefined;
}

/**
 * The document as the language core reads it. Transcripts can be 200,000 lines: only the head and
 * the lines just above the cursor are read (a sparse array keeps the line numbers).
 */
export function languageDocument(
  features: Features,
  doc: vscode.TextDocument,
  line: number,
): LanguageDocument {
  if (isScriptDocument(doc))
    return { kind: 'script', lines: doc.getText().split(/\r?\n/), fileName: doc.fileName };
  const lines: string[] = new Array<string>(doc.lineCount);
  for (let i = 0; i < Math.min(HEAD_LINES, doc.lineCount); i++) lines[i] = doc.lineAt(i).text;
  for (let i = Math.max(0, line - CONTEXT_LINES); i <= line && i < doc.lineCount; i++)
    lines[i] = doc.lineAt(i).text;
  const protocol = asProtocol(sessionOf(features, doc)?.session.protocol);
  return { kind: 'transcript', lines, ...(protocol ? { protocol } : {}) };
}

export class MailwireHovers implements vscode.HoverProvider {
  constructor(private readonly features: Features) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    try {
      const { hoverAt } = await import('../language/hover.js');
      const hover = hoverAt(
        languageDocument(this.features, doc, position.line),
        position.line,
        position.character,
      );
      if (!hover) return undefined;
      const md = new vscode.MarkdownString(hover.markdown);
      // Our own text and RFC links only; no command links or HTML from server data.
      md.isTrusted = false;
      md.supportHtml = false;
      return new vscode.Hover(
        md,
        new vscode.Range(position.line, hover.startColumn, position.line, hover.endColumn),
      );
    } catch (error) {
      this.features.log.error(`hover failed: ${errorText(error)}`);
      return undefined;
    }
  }
}

const KIND: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  verb: vscode.CompletionItemKind.Keyword,
  argument: vscode.CompletionItemKind.Value,
  mailbox: vscode.CompletionItemKind.Folder,
  flag: vscode.CompletionItemKind.EnumMember,
  mechanism: vscode.CompletionItemKind.Constant,
  number: vscode.CompletionItemKind.Value,
  directive: vscode.CompletionItemKind.Property,
  variable: vscode.CompletionItemKind.Variable,
  keyword: vscode.CompletionItemKind.Keyword,
  expectation: vscode.CompletionItemKind.Text,
};

export function toCompletionItem(c: Completion, line: number, cursor: number): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, KIND[c.kind]);
  item.insertText = c.insertText;
  item.range = new vscode.Range(line, Math.min(c.replaceStart, cursor), line, cursor);
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  // Re-open the list after a verb or directive, where arguments follow.
  if (c.insertText.endsWith(' '))
    item.command = { command: 'editor.action.triggerSuggest', title: 'more completions' };
  return item;
}

export class ScriptCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly features: Features) {}

  async provideCompletionItems(
    doc: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionItem[]> {
    try {
      const [{ completeScript }, { hintsFromEntry }] = await Promise.all([
        import('../language/completion.js'),
        import('./language-hints.js'),
      ]);
      // With a live session attached (the active one), offer what that server advertised.
      const hints = hintsFromEntry(this.features.manager.active, (m) => this.features.log.warn(m));
      const items = completeScript(
        { lines: doc.getText().split(/\r?\n/), fileName: doc.fileName },
        position.line,
        position.character,
        hints,
      );
      return items.map((c) => toCompletionItem(c, position.line, position.character));
    } catch (error) {
      this.features.log.error(`completion failed: ${errorText(error)}`);
      return [];
    }
  }
}

/** "Mailwire: Explain Line": the cursor's line of a transcript or script, explained in a side document. */
export async function explainCurrentLine(features: Features): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    notify('warn', 'open a transcript or script and put the cursor on a C: or S: line.');
    return;
  }
  const line = editor.selection.active.line;
  const { explainLine } = await import('../language/hover.js');
  const explanation = explainLine(languageDocument(features, editor.document, line), line);
  if (!explanation) {
    notify(
      'info',
      'this line is not a C: or S: line of a known protocol (notes and comments have nothing to explain).',
    );
    return;
  }
  const uri = explanations.put(explanation.markdown);
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri).then(undefined, async () => {
    // Without the Markdown preview, show the text itself.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  });
}

export const EXPLAIN_SCHEME = 'mailwire-explain';

/**
 * Read-only documents holding Explain Line texts (a virtual document, so closing the preview
 * never asks to save anything). Only the latest few are kept.
 */
class Explanations implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  put(markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/explain-${this.next++}.md` });
    this.texts.set(uri.toString(), markdown);
    for (const key of [...this.texts.keys()].slice(0, Math.max(0, this.texts.size - 20)))
      this.texts.delete(key);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      'This explanation is no longer available; run Mailwire: Explain Line again.'
    );
  }
}

export const explanations = new Explanations();

/** "Mailwire: Save Transcript as Script": the session's transcript as a replayable script file. */
export async function saveTranscriptAsScript(features: Features, arg: unknown): Promise<void> {
  const fromEditor = vscode.window.activeTextEditor
    ? sessionOf(features, vscode.window.activeTextEditor.document)
    : undefined;
  const { sessionArg } = await import('./features.js');
  const entry = sessionArg(features, arg) ?? fromEditor ?? features.manager.active;
  if (!entry) {
    notify('info', 'no session to save; connect first or open a transcript.');
    return;
  }
  const { scriptFromTranscript } = await import('../script/from-transcript.js');
  const protocol = asProtocol(entry.session.protocol);
  // Without timestamps: the converter reads either, and the script stays clean. The transcript is
  // redacted when recorded, so no secret reaches the script (they become {{$secret secretN}}).
  const text = entry.session.transcript.render({ timestamps: false });
  const { text: script, warnings } = scriptFromTranscript(text, protocol ? { protocol } : {});
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(features.context.globalStorageUri.fsPath);
  const ext = protocol ?? 'mailwire';
  const stem = `${ext}-${entry.meta.host.replace(/[^A-Za-z0-9.-]+/g, '_')}-${entry.meta.port}`;
  const chosen = await vscode.window.showSaveDialog({
    title: 'Mailwire: Save Transcript as Script',
    defaultUri: vscode.Uri.joinPath(folder, `${stem}.${ext}`),
    filters: { 'Session script': ['imap', 'pop3', 'smtp', 'mailwire'] },
  });
  if (!chosen) return;
  await vscode.workspace.fs.writeFile(chosen, new TextEncoder().encode(script));
  for (const w of warnings) features.log.warn(`${chosen.fsPath}: ${w}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(chosen), { preview: false });
  notify(
    'info',
    `saved the transcript as a script${warnings.length ? ` (${warnings.length} warning(s) in the log)` : ''}.`,
  );
}
