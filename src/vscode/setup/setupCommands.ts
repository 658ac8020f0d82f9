// Getting connected: sign in / choose a profile, configure environments, start the local sandbox.

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import { resolveEnvironment, type EnvironmentSettings } from '../../core/environments';
import type { AwsBundle, RunningSandbox, SandboxBundle } from '../aws/lazyBundles';
import type { CommandTargets } from '../commands/commandTargets';
import { defaultTarget, SECTION } from '../settings';
import { ssoLoginTerminal } from './ssoLogin';
import type { EnvironmentStore } from '../contracts';
import type { Messages } from '../messages';

export interface SetupDeps {
  readonly store: EnvironmentStore;
  readonly aws: () => AwsBundle;
  readonly sandbox: () => SandboxBundle;
  readonly log: vscode.LogOutputChannel;
  /** Called when a sandbox starts or stops, so its endpoint gets the sandbox's credentials. */
  readonly onSandbox: (sandbox: RunningSandbox | undefined) => void;
  /** Whether the workspace is trusted: Restricted Mode ignores the workspace's sprykerDeploy.environments. */
  readonly trusted: () => boolean;
  /** Notifications (start, stop) through the seam tests answer. */
  readonly messages: Messages;
}

/** Where environments were written, and the words that tell the user so. */
interface SettingsPlace {
  readonly target: vscode.ConfigurationTarget;
  readonly words: string;
}

/** What the sandbox wrote, so Stop takes out exactly that and puts back what it replaced. */
interface SandboxEntries {
  readonly target: vscode.ConfigurationTarget;
  readonly added: readonly EnvironmentSettings[];
  readonly replaced: readonly EnvironmentSettings[];
  readonly keyExisted: boolean;
  /** The workspace's .vscode/settings.json (and its folder) did not exist before: Stop leaves no empty one. */
  readonly createdFiles?: { readonly file: vscode.Uri; readonly folderCreated: boolean };
}

/** The sandbox's environment names: what it writes to the settings and what it serves. */
const SANDBOX_ENVIRONMENTS = ['spryker-staging', 'spryker-prod'];

export class SetupCommands implements vscode.Disposable {
  private running: { sandbox: RunningSandbox; entries?: SandboxEntries; indicator: vscode.StatusBarItem } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: SetupDeps) {}

  sandboxEndpoint(): string | undefined {
    return this.running?.sandbox.endpoint;
  }

  /** The status bar entry that shows the running sandbox (for tests: what the user reads there). */
  sandboxIndicator(): { readonly text: string; readonly tooltip: string } | undefined {
    const item = this.running?.indicator;
    return item ? { text: item.text, tooltip: typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '') } : undefined;
  }

  /**
   * Where the sandbox's environment names point now, in words: "spryker-staging and spryker-prod use
   * http://127.0.0.1:4566 (user settings)", or that they are not configured. Read from the settings as VS Code
   * merges them (workspace over user), which is what the views use.
   */
  private whatTheViewsUse(): string {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('environments');
    const layers: [unknown, string][] = [
      [inspected?.workspaceFolderValue, 'folder settings'],
      [inspected?.workspaceValue, 'workspace settings'],
      [inspected?.globalValue, 'user settings'],
    ];
    const [entries, where] = layers.find(([v]) => Array.isArray(v)) ?? [[], ''];
    const uses = SANDBOX_ENVIRONMENTS.map((name) => {
      const entry = (entries as EnvironmentSettings[]).find((e) => e?.name === name);
      return entry ? `${entry.endpoint ?? 'AWS'}` : undefined;
    });
    const names = SANDBOX_ENVIRONMENTS.join(' and ');
    if (uses.every((u) => u === undefined)) return `${names} are not configured any more`;
    if (uses.every((u) => u === uses[0])) return `${names} use ${uses[0]} (${where})`;
    return SANDBOX_ENVIRONMENTS.map((name, i) => `${name} uses ${uses[i] ?? 'nothing (not configured)'}`).join(', ') + ` (${where})`;
  }

  private settingsFileOf(target: vscode.ConfigurationTarget): { file: vscode.Uri; folder: vscode.Uri } | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (target === vscode.ConfigurationTarget.Global || !folder || vscode.workspace.workspaceFile) return undefined;
    const dir = vscode.Uri.joinPath(folder.uri, '.vscode');
    return { file: vscode.Uri.joinPath(dir, 'settings.json'), folder: dir };
  }

  private static async exists(uri: vscode.Uri): Promise<boolean> {
    return vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
  }

  /** Deletes the settings file (and its folder) Start created, when Stop left it with nothing in it. */
  private async removeEmptySettings(created: NonNullable<SandboxEntries['createdFiles']>): Promise<void> {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(created.file));
      // Only a file with no setting in it at all: `{}` with whitespace or comments.
      if (text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s/g, '') !== '{}') return;
      await vscode.workspace.fs.delete(created.file);
      if (created.folderCreated) {
        const dir = vscode.Uri.joinPath(created.file, '..');
        if ((await vscode.workspace.fs.readDirectory(dir)).length === 0) await vscode.workspace.fs.delete(dir);
      }
    } catch (e) {
      this.deps.log.warn(`[sandbox] could not tidy ${created.file.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async signIn(): Promise<void> {
    const profiles = await this.deps.aws().listProfiles();
    const current = vscode.workspace.getConfiguration(SECTION).get<string>('defaultProfile', '');
    type Item = vscode.QuickPickItem & { profile?: string; sso?: boolean };
    const items: Item[] = profiles.map((p) => ({
      label: `${p.kind === 'sso' ? '$(key)' : '$(account)'} ${p.name}`,
      description: [p.name === current ? 'current default' : '', p.kind, p.region ?? ''].filter(Boolean).join(' · '),
      detail: p.kind === 'sso' ? 'Signs in with `aws sso login` in a terminal' : undefined,
      profile: p.name,
      sso: p.kind === 'sso',
    }));
    items.push({ label: '$(refresh) Reload credentials', description: 'after signing in elsewhere (saml2aws, aws sso login)' });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Sign In / Choose AWS Profile',
      placeHolder: profiles.length ? 'Profile for environments that name none' : 'No profile in ~/.aws/config or ~/.aws/credentials',
    });
    if (!picked) return;
    if (picked.profile && picked.profile !== current) {
      await vscode.workspace.getConfiguration(SECTION).update('defaultProfile', picked.profile, vscode.ConfigurationTarget.Global);
      this.deps.log.info(`[setup] default profile set to ${picked.profile}`);
    }
    if (picked.sso && picked.profile) {
      const login = ssoLoginTerminal(picked.profile);
      const terminal = vscode.window.createTerminal({ name: login.name, shellPath: login.shellPath, shellArgs: [...login.shellArgs] });
      terminal.show();
      // The SSO cache changes when the login completes; re-reading credentials when the terminal closes.
      this.subscriptions.push(
        vscode.window.onDidCloseTerminal((t) => {
          if (t === terminal) void this.deps.store.resetCredentials();
        }),
      );
      void vscode.window.showInformationMessage(`Complete the sign-in in the terminal "AWS SSO: ${picked.profile}"; environments refresh when it closes.`, 'Refresh Now').then((a) => {
        if (a) void this.deps.store.resetCredentials();
      });
      return;
    }
    await this.deps.store.resetCredentials();
  }

  async configure(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(add) Add an environment…', id: 'add' },
        { label: '$(settings-gear) Open the settings', id: 'settings' },
        { label: '$(beaker) Start the local AWS sandbox', id: 'sandbox' },
      ],
      { title: 'Configure Spryker Deploy environments' },
    );
    if (!picked) return;
    if (picked.id === 'settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:spryker-cloud-tools.spryker-cloud-deploy`);
      return;
    }
    if (picked.id === 'sandbox') {
      await this.startSandbox({});
      return;
    }
    const existing = this.deps.store.environments().map((e) => e.name);
    const name = await vscode.window.showInputBox({
      title: 'Add a Spryker Cloud environment',
      prompt: 'Environment name as in AWS (e.g. spryker-staging). Every AWS name defaults from it; adjust in settings.json.',
      validateInput: (v) => {
        if (existing.includes(v)) return `"${v}" is already configured.`;
        try {
          resolveEnvironment({ name: v });
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (!name) return;
    const env = resolveEnvironment({ name });
    const entry: EnvironmentSettings = { name, ...(env.production ? { production: true } : {}) };
    const place = this.place(defaultTarget());
    await this.appendEnvironments([entry], place.target);
    this.deps.log.info(`[setup] added environment ${name} to the ${place.words}`);
    void vscode.window.showInformationMessage(`Added ${name} to your ${place.words}.`);
  }

  /**
   * Restricted Mode ignores the workspace's sprykerDeploy.environments: what is written there would not be used
   * (and the workspace's own entries cannot even be read to keep them), so an untrusted workspace writes to the
   * user settings instead, and says so.
   */
  private place(wanted: vscode.ConfigurationTarget): SettingsPlace {
    if (wanted === vscode.ConfigurationTarget.Global) return { target: wanted, words: 'user settings' };
    if (!this.deps.trusted()) {
      return { target: vscode.ConfigurationTarget.Global, words: 'user settings (this folder is in Restricted Mode, which ignores its workspace settings)' };
    }
    return { target: wanted, words: 'workspace settings' };
  }

  private currentEntries(target: vscode.ConfigurationTarget): { entries: readonly EnvironmentSettings[]; keyExisted: boolean } {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('environments');
    const value = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.workspaceFolderValue;
    // Whatever is there (even something malformed) belongs to someone: keep every entry as it is.
    return { entries: Array.isArray(value) ? (value as EnvironmentSettings[]) : [], keyExisted: value !== undefined };
  }

  /** Adds entries (replacing ones of the same name) and keeps every other entry; returns what it replaced. */
  private async appendEnvironments(entries: readonly EnvironmentSettings[], target: vscode.ConfigurationTarget): Promise<{ replaced: EnvironmentSettings[]; keyExisted: boolean }> {
    const { entries: current, keyExisted } = this.currentEntries(target);
    const names = new Set(entries.map((e) => e.name));
    const replaced = current.filter((e) => names.has(e?.name));
    await vscode.workspace.getConfiguration(SECTION).update('environments', [...current.filter((e) => !names.has(e?.name)), ...entries], target);
    return { replaced, keyExisted };
  }

  /** Takes out the sandbox's entries (those still pointing at it) and puts back the ones they replaced. */
  private async removeSandboxEntries(written: SandboxEntries, endpoint: string): Promise<void> {
    const { entries: current } = this.currentEntries(written.target);
    const ours = (e: EnvironmentSettings) => e?.endpoint === endpoint && written.added.some((a) => a.name === e.name);
    const kept = current.filter((e) => !ours(e));
    const back = written.replaced.filter((r) => !kept.some((k) => k?.name === r.name));
    const next = [...kept, ...back];
    await vscode.workspace.getConfiguration(SECTION).update('environments', next.length === 0 && !written.keyExisted ? undefined : next, written.target);
  }

  /** `scope` ('workspace' | 'user' | 'none') skips the question, for scripts and tests. */
  async startSandbox(target: CommandTargets['sprykerDeploy.sandbox.start']): Promise<void> {
    if (this.running) {
      void vscode.window.showInformationMessage(`The sandbox already runs at ${this.running.sandbox.endpoint}.`);
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    type Scope = vscode.QuickPickItem & { target?: vscode.ConfigurationTarget };
    const scopes: Scope[] = [
      // Restricted Mode would ignore what is written to the workspace settings: not offered then.
      ...(folder && this.deps.trusted() ? [{ label: 'This workspace', description: 'workspace settings', target: vscode.ConfigurationTarget.Workspace }] : []),
      { label: 'User settings', description: 'every window', target: vscode.ConfigurationTarget.Global },
      { label: "Don't change settings", description: 'just start it and show the endpoint' },
    ];
    const given = target.scope;
    if (given !== undefined && !['workspace', 'user', 'none'].includes(given)) throw new DeployError('invalid-input', `scope must be "workspace", "user" or "none" (got "${given}").`);
    const scope = given
      ? given === 'none'
        ? scopes[scopes.length - 1]
        : { label: given, target: given === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace }
      : await vscode.window.showQuickPick(scopes, { title: 'Start the local AWS sandbox: point the environments at it in…' });
    if (!scope) return;
    const sandbox = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local AWS sandbox…' }, async () => {
      // Commits of the open repository become the sandbox's image tags, so deploys of real commits work.
      const repo = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
      try {
        return await this.deps.sandbox().startSandbox({ port: 0, ...(repo ? { repo } : {}) });
      } catch (e) {
        if (!repo) throw e;
        this.deps.log.warn(`[sandbox] ${repo} is not usable as the commit history (${e instanceof Error ? e.message : String(e)}); using generated commits`);
        return this.deps.sandbox().startSandbox({ port: 0 });
      }
    });
    const indicator = vscode.window.createStatusBarItem('sprykerDeploy.sandbox', vscode.StatusBarAlignment.Left, 0);
    indicator.name = 'Spryker Deploy: Local Sandbox';
    indicator.text = `$(server-environment) Sandbox :${new URL(sandbox.endpoint).port}`;
    indicator.command = { command: 'sprykerDeploy.sandbox.stop', title: 'Stop the local sandbox' };
    this.running = { sandbox, indicator };
    this.deps.onSandbox(sandbox);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.sandboxRunning', true);
    this.deps.log.info(`[sandbox] running at ${sandbox.endpoint} (${sandbox.region})`);
    const place = scope.target !== undefined ? this.place(scope.target) : undefined;
    const usedBefore = this.whatTheViewsUse();
    if (place) {
      const files = this.settingsFileOf(place.target);
      const createdFiles = files && !(await SetupCommands.exists(files.file)) ? { file: files.file, folderCreated: !(await SetupCommands.exists(files.folder)) } : undefined;
      const added = SANDBOX_ENVIRONMENTS.map((name) => ({ name, endpoint: sandbox.endpoint, region: sandbox.region }));
      const { replaced, keyExisted } = await this.appendEnvironments(added, place.target);
      this.running.entries = { target: place.target, added, replaced, keyExisted, ...(createdFiles ? { createdFiles } : {}) };
    }
    const uses = this.whatTheViewsUse();
    indicator.tooltip = `Local AWS sandbox at ${sandbox.endpoint}, started from this window.\n${uses}.\nClick to stop it${place ? ' and take its environments out of your settings' : ''}.`;
    indicator.show();
    // Not awaited: the command is done once the sandbox runs, whether or not anyone answers the toast. No Stop
    // button here: a toast outlives the sandbox in the notification list; the status bar entry stops it.
    const before = place && usedBefore !== uses ? ` (before: ${usedBefore})` : '';
    void this.deps.messages
      .show('info', `Local AWS sandbox running at ${sandbox.endpoint}: ${place ? `${uses}${before}` : `settings unchanged; ${uses}`}. Stop it from the status bar (Sandbox :${new URL(sandbox.endpoint).port}).`, 'Copy Endpoint')
      .then(async (picked) => {
        if (picked === 'Copy Endpoint') await vscode.env.clipboard.writeText(sandbox.endpoint);
      });
  }

  async stopSandbox(): Promise<void> {
    const running = this.running;
    if (!running) throw new DeployError('invalid-input', 'No sandbox was started in this window.');
    this.running = undefined;
    running.indicator.dispose();
    await running.sandbox.stop();
    this.deps.onSandbox(undefined);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.sandboxRunning', false);
    if (running.entries) {
      await this.removeSandboxEntries(running.entries, running.sandbox.endpoint);
      if (running.entries.createdFiles) await this.removeEmptySettings(running.entries.createdFiles);
    }
    const uses = this.whatTheViewsUse();
    this.deps.log.info(`[sandbox] stopped${running.entries ? '; its environments taken out of the settings' : ''}; ${uses}`);
    void this.deps.messages.show('info', `Stopped the local sandbox at ${running.sandbox.endpoint}${running.entries ? ' and took its environments out of your settings' : ''}: ${uses}.`);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.running?.indicator.dispose();
    void this.running?.sandbox.stop();
  }
}
