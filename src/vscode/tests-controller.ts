// Session scripts in VS Code's Test Explorer: each workspace script is a test, its `@connect`
// blocks and `S:` expectations are children. Running any item runs its whole file once (later
// blocks may use variables from earlier ones) and reports every requested item; failures point at
// the expectation's line.
import * as vscode from './api.js';
import { parseScript, protocolFromFileName } from '../script/parser.js';
import type { ScriptResult } from '../script/result.js';
import { scriptTestItems, testStatuses, type ScriptTestItem } from '../language/script-parts.js';
import { SCRIPT_GLOB, isScriptDocument } from './script-languages.js';
import { errorText, type Log } from './ui.js';

export type RunFile = (doc: vscode.TextDocument) => Promise<ScriptResult | undefined>;

export class ScriptTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController('mailwire.scripts', 'Mailwire scripts');
  private readonly disposables: vscode.Disposable[] = [this.controller];

  constructor(
    private readonly log: Log,
    private readonly runFile: RunFile,
  ) {
    this.controller.resolveHandler = async (item) => {
      try {
        if (!item) await this.discover();
      } catch (error) {
        this.log.error(`finding session scripts failed: ${errorText(error)}`);
      }
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token),
      true,
    );
    const watcher = vscode.workspace.createFileSystemWatcher(SCRIPT_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.refreshFile(uri)),
      watcher.onDidChange((uri) => this.refreshFile(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isScriptDocument(e.document) && e.document.uri.scheme === 'file')
          this.updateFromText(e.document.uri, e.document.getText());
      }),
    );
  }

  private async discover(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const files = await vscode.workspace.findFiles(SCRIPT_GLOB, '**/node_modules/**', 500);
    for (const uri of files) await this.refreshFile(uri);
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.updateFromText(uri, new TextDecoder().decode(bytes));
    } catch (error) {
      this.log.warn(`reading ${uri.fsPath} failed: ${errorText(error)}`);
    }
  }

  private updateFromText(uri: vscode.Uri, text: string): void {
    const protocol = protocolFromFileName(uri.fsPath);
    const { script } = parseScript(text, {
      fileName: uri.fsPath,
      ...(protocol ? { defaultProtocol: protocol } : {}),
    });
    const file =
      this.controller.items.get(uri.toString()) ??
      this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    const make = (t: ScriptTestItem): vscode.TestItem => {
      const item = this.controller.createTestItem(`${uri.toString()}#${t.id}`, t.label, uri);
      item.range = new vscode.Range(t.line - 1, 0, t.endLine - 1, 0);
      item.children.replace(t.children.map(make));
      return item;
    };
    file.children.replace(scriptTestItems(script).map(make));
    this.controller.items.add(file);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const roots: vscode.TestItem[] = [];
      if (request.include) roots.push(...request.include);
      else this.controller.items.forEach((item) => roots.push(item));
      // One run per file, reporting only the requested items (and their children).
      const byFile = new Map<string, { uri: vscode.Uri; items: vscode.TestItem[] }>();
      for (const item of roots) {
        if (!item.uri) continue;
        const key = item.uri.toString();
        const group = byFile.get(key) ?? { uri: item.uri, items: [] };
        group.items.push(item);
        byFile.set(key, group);
      }
      for (const { uri, items } of byFile.values()) {
        if (token.isCancellationRequested) break;
        const all = items.flatMap((i) => withChildren(i)).filter((i) => !request.exclude?.includes(i));
        for (const i of all) run.started(i);
        const doc = await vscode.workspace.openTextDocument(uri);
        const started = Date.now();
        const result = await this.runFile(doc);
        const took = Date.now() - started;
        if (!result) {
          for (const i of all)
            run.errored(
              i,
              new vscode.TestMessage(
                'the script did not run (syntax errors or an untrusted workspace; see Problems)',
              ),
            );
          continue;
        }
        report(run, uri, all, result, took);
      }
    } catch (error) {
      this.log.error(`running script tests failed: ${errorText(error)}`);
    } finally {
      run.end();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function withChildren(item: vscode.TestItem): vscode.TestItem[] {
  const out = [item];
  item.children.forEach((child) => out.push(...withChildren(child)));
  return out;
}

function report(
  run: vscode.TestRun,
  uri: vscode.Uri,
  items: vscode.TestItem[],
  result: ScriptResult,
  took: number,
): void {
  const statuses = testStatuses(result);
  const fileKey = uri.toString();
  for (const item of items) {
    if (item.id === fileKey) {
      // The file: passed when every block passed; a failure points at the first failing line.
      const failing = [...statuses.entries()].find(
        ([id, s]) => id.startsWith('connect:') && (s.status === 'failed' || s.status === 'error'),
      );
      if (result.status === 'passed') run.passed(item, took);
      else if (result.status === 'skipped') run.skipped(item);
      else {
        const s = failing?.[1];
        const message = new vscode.TestMessage(s?.message ?? result.message ?? `the script ${result.status}`);
        message.location = new vscode.Location(uri, new vscode.Position(Math.max((s?.line ?? 1) - 1, 0), 0));
        if (result.status === 'error') run.errored(item, message, took);
        else run.failed(item, message, took);
      }
      continue;
    }
    const id = item.id.slice(fileKey.length + 1);
    const s = statuses.get(id);
    if (!s || s.status === 'skipped') {
      run.skipped(item);
      continue;
    }
    if (s.status === 'passed') {
      run.passed(item);
      continue;
    }
    const message = new vscode.TestMessage(s.message ?? s.status);
    message.location = new vscode.Location(uri, new vscode.Position(Math.max(s.line - 1, 0), 0));
    if (s.status === 'error') run.errored(item, message);
    else run.failed(item, message);
  }
}
