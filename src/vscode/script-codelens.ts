// CodeLens over session scripts: "Run Script" on the first line that does something, "Run to Here"
// and "Run Line" above each `C:` line. Lenses come from the text alone (no parse), so they appear
// at once and stay cheap on large files.
import * as vscode from 'vscode';

export class ScriptCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    let inBlock = false;
    let first = true;
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      const t = text.trim();
      if (inBlock) {
        if (t === '>>>') inBlock = false;
        continue;
      }
      if (t === '' || t.startsWith('#')) continue;
      const range = new vscode.Range(i, 0, i, text.length);
      if (first) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: '$(run-all) Run Script',
            command: 'mailwire.runScript',
            arguments: [doc.uri],
          }),
        );
        first = false;
      }
      // An inline body: its lines are message text, not commands (`<<< @file path` has none).
      if (t === '<<<') inBlock = true;
      if (t.startsWith('C:'))
        lenses.push(
          new vscode.CodeLens(range, {
            title: '$(run-above) Run to Here',
            command: 'mailwire.runScriptToLine',
            arguments: [doc.uri, i + 1],
          }),
          new vscode.CodeLens(range, {
            title: '$(play) Run Line',
            command: 'mailwire.runScriptLine',
            arguments: [doc.uri, i + 1],
          }),
        );
    }
    return lenses;
  }
}
