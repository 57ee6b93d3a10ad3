// Script commands: "Run Script" (the whole file), "Run to Here" and "Run Line" (from CodeLens or
// the cursor). CodeLens passes the document URI and a 1-based line; from the palette the active
// editor and its cursor are used.
import * as vscode from './api.js';
import { runScriptDocument, type RunMode, type ScriptRunContext } from './script-run.js';
import { isScriptDocument } from './script-languages.js';
import { notify } from './ui.js';

async function scriptDocument(uriArg: unknown): Promise<vscode.TextDocument | undefined> {
  if (uriArg instanceof vscode.Uri) return vscode.workspace.openTextDocument(uriArg);
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !isScriptDocument(doc)) {
    notify('warn', 'open a session script (.imap, .pop3, .smtp or .mailwire) to run it.');
    return undefined;
  }
  return doc;
}

function lineArg(uriArg: unknown, lineArgValue: unknown): number | undefined {
  if (typeof lineArgValue === 'number' && Number.isInteger(lineArgValue) && lineArgValue >= 1)
    return lineArgValue;
  if (uriArg instanceof vscode.Uri) return undefined;
  const editor = vscode.window.activeTextEditor;
  return editor ? editor.selection.active.line + 1 : undefined;
}

export async function runActiveScript(ctx: ScriptRunContext, uriArg?: unknown): Promise<void> {
  const doc = await scriptDocument(uriArg);
  if (doc) await runScriptDocument(ctx, doc, { kind: 'all' });
}

export async function runScriptPart(
  ctx: ScriptRunContext,
  kind: 'to' | 'line',
  uriArg: unknown,
  lineValue: unknown,
): Promise<void> {
  const doc = await scriptDocument(uriArg);
  if (!doc) return;
  const line = lineArg(uriArg, lineValue);
  if (line === undefined) {
    notify('warn', 'no line given: put the cursor on a C: line.');
    return;
  }
  const mode: RunMode = { kind, line };
  await runScriptDocument(ctx, doc, mode);
}

/** Example scripts the walkthrough opens (media/examples). */
const EXAMPLES = new Set([
  'sandbox-smtp-send.smtp',
  'sandbox-pop3-keep-delete.pop3',
  'sandbox-imap-folders.imap',
  'sandbox-story.mailwire',
]);

const LANGUAGE_OF: Readonly<Record<string, string>> = {
  smtp: 'mailwire-smtp',
  pop3: 'mailwire-pop3',
  imap: 'mailwire-imap',
  mailwire: 'mailwire-script',
};

/**
 * Opens a copy of an example script in an untitled editor, so the user can change and run it
 * without touching the installed extension's files.
 */
export async function openExampleScript(extensionUri: vscode.Uri, name: unknown): Promise<void> {
  const file = typeof name === 'string' && EXAMPLES.has(name) ? name : 'sandbox-smtp-send.smtp';
  const bytes = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(extensionUri, 'media', 'examples', file),
  );
  const ext = file.slice(file.lastIndexOf('.') + 1);
  const doc = await vscode.workspace.openTextDocument({
    language: LANGUAGE_OF[ext] ?? 'mailwire-script',
    content: new TextDecoder().decode(bytes),
  });
  await vscode.window.showTextDocument(doc, { preview: false });
}
