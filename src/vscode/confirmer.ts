// The one way to confirm something risky: a modal that says what changes; production additionally asks to
// type the environment name (unless the user chose "modal" for production, which still asks the modal).

import * as vscode from 'vscode';
import type { ConfirmInput, Confirmer } from './contracts';

export type ProductionConfirmation = 'typeName' | 'modal';

export class ModalConfirmer implements Confirmer {
  constructor(
    private readonly settings: () => { production: ProductionConfirmation; nonProduction: boolean },
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async confirm(input: ConfirmInput): Promise<boolean | 'alternative'> {
    const { production, nonProduction } = this.settings();
    const env = input.env;
    if (!env.production && !nonProduction && !input.always) return true;
    const buttons = [input.action, ...(input.alternative ? [input.alternative] : [])];
    const picked = await vscode.window.showWarningMessage(input.title, { modal: true, detail: input.detail }, ...buttons);
    if (picked === undefined || !buttons.includes(picked)) {
      this.log.info(`[confirm] ${env.name}: "${input.title}" declined`);
      return false;
    }
    const answer = picked === input.action ? true : ('alternative' as const);
    if (env.production && production === 'typeName' && !input.oneStep) {
      const typed = await vscode.window.showInputBox({
        title: input.title,
        prompt: `${env.name} is production. Type its name to ${picked.toLowerCase()}.`,
        placeHolder: env.name,
        ignoreFocusOut: true,
        validateInput: (v) => (v === env.name || v === '' ? undefined : `Type exactly "${env.name}"`),
      });
      if (typed !== env.name) {
        this.log.info(`[confirm] ${env.name}: environment name not typed, nothing done`);
        return false;
      }
    }
    this.log.info(`[confirm] ${env.name}: "${input.title}" confirmed (${picked})`);
    return answer;
  }
}

/** Lets extension-host tests answer confirmations (modals cannot be clicked there). Test mode only. */
export class SwitchableConfirmer implements Confirmer {
  override: Confirmer | undefined;
  constructor(private readonly real: Confirmer) {}
  confirm(input: ConfirmInput): Promise<boolean | 'alternative'> {
    return (this.override ?? this.real).confirm(input);
  }
}
