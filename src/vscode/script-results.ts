// Problems and inline results of session scripts in the editor: parser errors as you type, failed
// expectations after a run (Problems view, at the expectation), and pass/fail text after each
// `S:` line. Run results are dropped when the text changes, since their lines may have moved.
import * as vscode from './api.js';
import {
  inlineResults,
  runProblems,
  syntaxProblems,
  type InlineResult,
  type Problem,
} from '../language/diagnostics.js';
import type { ScriptResult } from '../script/result.js';
import { isScriptDocument } from './script-languages.js';
import { errorText, type Log } from './ui.js';

const SEVERITY: Readonly<Record<Problem['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const line = Math.max(p.line - 1, 0);
  const range = new vscode.Range(line, Math.max(p.column - 1, 0), line, Math.max(p.endColumn - 1, p.column));
  const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
  d.source = p.source === 'syntax' ? 'mailwire script' : 'mailwire run';
  return d;
}

interface RunState {
  readonly problems: readonly Problem[];
  readonly inline: readonly InlineResult[];
}

export class ScriptResults implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mailwire');
  private readonly runs = new Map<string, RunState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decorations = {
    passed: vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('testing.iconPassed') },
    }),
    failed: vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('testing.iconFailed') },
    }),
    other: vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('descriptionForeground') },
    }),
  };

  constructor(private readonly log: Log) {
    this.disposables.push(
      this.diagnostics,
      this.decorations.passed,
      this.decorations.failed,
      this.decorations.other,
      vscode.workspace.onDidOpenTextDocument((doc) => this.check(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isScriptDocument(e.document) || e.contentChanges.length === 0) return;
        this.runs.delete(e.document.uri.toString());
        this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const key = doc.uri.toString();
        this.runs.delete(key);
        this.diagnostics.delete(doc.uri);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.decorate(editor);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  /** Re-checks a script's syntax (now) and shows its problems with the last run's. */
  check(doc: vscode.TextDocument): void {
    if (!isScriptDocument(doc)) return;
    try {
      const syntax = syntaxProblems(doc.getText(), doc.fileName);
      const run = this.runs.get(doc.uri.toString())?.problems ?? [];
      this.diagnostics.set(doc.uri, [...syntax, ...run].map(toDiagnostic));
    } catch (error) {
      this.log.error(`checking ${doc.fileName} failed: ${errorText(error)}`);
    }
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.decorate(editor);
  }

  /** Shows a run's failed expectations and per-line results for the document it ran from. */
  showRun(doc: vscode.TextDocument, result: ScriptResult): void {
    const lineLength = (line: number) =>
      line >= 1 && line <= doc.lineCount ? doc.lineAt(line - 1).text.length : 0;
    this.runs.set(doc.uri.toString(), {
      problems: runProblems(result, lineLength),
      inline: inlineResults(result),
    });
    this.check(doc);
  }

  /** Live progress: the inline results so far, without touching the Problems view. */
  showProgress(doc: vscode.TextDocument, inline: readonly InlineResult[]): void {
    const key = doc.uri.toString();
    this.runs.set(key, { problems: this.runs.get(key)?.problems ?? [], inline });
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.decorate(editor);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(doc);
      }, 250),
    );
  }

  private decorate(editor: vscode.TextEditor): void {
    if (!isScriptDocument(editor.document)) return;
    const inline = this.runs.get(editor.document.uri.toString())?.inline ?? [];
    const groups: Record<'passed' | 'failed' | 'other', vscode.DecorationOptions[]> = {
      passed: [],
      failed: [],
      other: [],
    };
    for (const r of inline) {
      if (r.line < 1 || r.line > editor.document.lineCount) continue;
      const end = editor.document.lineAt(r.line - 1).range.end;
      const group = r.status === 'passed' ? 'passed' : r.status === 'skipped' ? 'other' : 'failed';
      const mark = r.status === 'passed' ? '✓' : r.status === 'skipped' ? '○' : '✗';
      groups[group].push({
        range: new vscode.Range(end, end),
        renderOptions: { after: { contentText: `${mark} ${r.text}` } },
      });
    }
    editor.setDecorations(this.decorations.passed, groups.passed);
    editor.setDecorations(this.decorations.failed, groups.failed);
    editor.setDecorations(this.decorations.other, groups.other);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
