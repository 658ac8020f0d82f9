// Notifications with buttons, through one seam: extension-host tests cannot click a notification, so in test mode
// an answerer stands in for the user (it sees the exact message and buttons the user would).

import * as vscode from 'vscode';

export type MessageSeverity = 'info' | 'warning' | 'error';

export interface ShownMessage {
  readonly severity: MessageSeverity;
  readonly message: string;
  readonly actions: readonly string[];
}

/** Returns the button the user would pick, or undefined for a dismissed notification. */
export type MessageAnswerer = (shown: ShownMessage) => Promise<string | undefined>;

export class Messages {
  /** Test mode only, set through the test API; undefined shows real notifications. */
  answerer: MessageAnswerer | undefined;

  async show(severity: MessageSeverity, message: string, ...actions: string[]): Promise<string | undefined> {
    if (this.answerer) return this.answerer({ severity, message, actions });
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  }
}
