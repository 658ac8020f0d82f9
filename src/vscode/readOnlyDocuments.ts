// Read-only Markdown documents of our own URI scheme (a comparison, a past execution): VS Code's own read-only view,
// themed, searchable and copyable, with no webview of ours to secure. Each document gets its own URI, so an open one
// never changes under the reader.

import * as vscode from 'vscode';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private sequence = 0;

  /** `gone`: what a URI shows after a reload, when its text is no longer kept. */
  constructor(
    readonly scheme: string,
    private readonly gone: string,
  ) {}

  add(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path, query: String(++this.sequence) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? this.gone;
  }
}

/** Opens the document as rendered Markdown; where the Markdown extension is missing, its (read-only) source. */
export async function showMarkdown(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
