// Script commands: "Run Script" (the whole file), "Run to Here" and "Run Line" (from CodeLens or
// the cursor). CodeLens passes the document URI and a 1-based line; from the palette the active
// editor and its cursor are used.
import * as vscode from 'vscode';
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
