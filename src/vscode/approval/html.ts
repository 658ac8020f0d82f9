// The approval panel's HTML shell. Pure (no vscode import) so the CSP can be unit-tested: the host passes in the
// webview's cspSource and the asWebviewUri-converted resource URIs.

import { randomBytes } from 'node:crypto';

export interface WebviewResources {
  /** webview.cspSource */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly codiconsUri: string;
}

/** 128 bits from the OS's CSPRNG, base64: a fresh one per render so an injected script can never guess it. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function approvalHtml(resources: WebviewResources, env: string, nonce: string = createNonce()): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(resources.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(resources.codiconsUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(resources.styleUri)}">
<title>Approve ${attr(env)}</title>
</head>
<body data-env="${attr(env)}">
<main id="app" aria-busy="true"><p class="loading"><span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span> Loading the approval for ${attr(env)}…</p></main>
<script nonce="${attr(nonce)}" src="${attr(resources.scriptUri)}"></script>
</body>
</html>`;
}
