// The state webview's HTML shell. Plain module (no vscode) so the CSP is tested as text: no inline
// script, scripts only with the nonce, styles and fonts only from the extension's own resources.

import { Buffer } from 'node:buffer';

export interface StateHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `asWebviewUri` of dist/webview.js and media/webview/state.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce?: string;
  readonly title?: string;
}

export function newNonce(): string {
  // Web Crypto, loaded on first use: importing node:crypto would load it at activation.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(18));
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The nonce lets the toolkit's one probe <style> (for :focus-visible) in; nothing else inline.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

export function stateHtml(o: StateHtmlOptions): string {
  const nonce = o.nonce ?? newNonce();
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title ?? 'Session State')}</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
