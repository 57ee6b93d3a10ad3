// The `vscode` module, imported once. esbuild's CommonJS interop copies every export of an
// external module (about 200 for `vscode`) into a fresh object for each file that imports it
// with `import * as`; importing it here once and re-exporting makes that one copy, not twenty,
// at activation. Import `vscode` from this module (`import * as vscode from './api.js'`).
export * from 'vscode';
