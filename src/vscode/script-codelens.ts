// CodeLens over session scripts: "Run Script", and "Run to Here" / "Run Line" above each `C:`
// line (placed by src/language/lenses.ts).
import * as vscode from './api.js';
import { lensPlaces } from '../language/lenses.js';

export class ScriptCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lines: string[] = [];
    for (let i = 0; i < doc.lineCount; i++) lines.push(doc.lineAt(i).text);
    return lensPlaces(lines).flatMap(({ line, kind }) => {
      const range = new vscode.Range(line, 0, line, lines[line]?.length ?? 0);
      if (kind === 'script')
        return [
          new vscode.CodeLens(range, {
            title: '$(run-all) Run Script',
            command: 'mailwire.runScript',
            arguments: [doc.uri],
          }),
        ];
      return [
        new vscode.CodeLens(range, {
          title: '$(run-above) Run to Here',
          command: 'mailwire.runScriptToLine',
          arguments: [doc.uri, line + 1],
        }),
        new vscode.CodeLens(range, {
          title: '$(play) Run Line',
          command: 'mailwire.runScriptLine',
          arguments: [doc.uri, line + 1],
        }),
      ];
    });
  }
}
