// Getting connected: sign in / choose a profile, configure environments, start the local sandbox.

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import { resolveEnvironment, type EnvironmentSettings } from '../../core/environments';
import type { AwsBundle, RunningSandbox, SandboxBundle } from '../aws/lazyBundles';
import type { CommandTargets } from '../commands/commandTargets';
import { defaultTarget, SECTION } from '../settings';
import { ssoLoginTerminal } from './ssoLogin';
import type { EnvironmentStore } from '../contracts';

export interface SetupDeps {
  readonly store: EnvironmentStore;
  readonly aws: () => AwsBundle;
  readonly sandbox: () => SandboxBundle;
  readonly log: vscode.LogOutputChannel;
  /** Called when a sandbox starts or stops, so its endpoint gets the sandbox's credentials. */
  readonly onSandbox: (sandbox: RunningSandbox | undefined) => void;
}

export class SetupCommands implements vscode.Disposable {
  private running: { sandbox: RunningSandbox; restore?: { target: vscode.ConfigurationTarget; value: unknown } } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: SetupDeps) {}

  sandboxEndpoint(): string | undefined {
    return this.running?.sandbox.endpoint;
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
    await this.appendEnvironments([entry], defaultTarget());
    this.deps.log.info(`[setup] added environment ${name}`);
  }

  private async appendEnvironments(entries: readonly EnvironmentSettings[], target: vscode.ConfigurationTarget): Promise<void> {
    const c = vscode.workspace.getConfiguration(SECTION);
    const inspected = c.inspect<EnvironmentSettings[]>('environments');
    const current =
      (target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.workspaceFolderValue) ?? [];
    const names = new Set(entries.map((e) => e.name));
    await c.update('environments', [...current.filter((e) => !names.has(e.name)), ...entries], target);
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
      ...(folder ? [{ label: 'This workspace', description: 'workspace settings', target: vscode.ConfigurationTarget.Workspace }] : []),
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
    this.running = { sandbox };
    this.deps.onSandbox(sandbox);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.sandboxRunning', true);
    this.deps.log.info(`[sandbox] running at ${sandbox.endpoint} (${sandbox.region})`);
    if (scope.target !== undefined) {
      const c = vscode.workspace.getConfiguration(SECTION);
      const inspected = c.inspect('environments');
      const previous = scope.target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
      this.running.restore = { target: scope.target, value: previous };
      await this.appendEnvironments(
        ['spryker-staging', 'spryker-prod'].map((name) => ({ name, endpoint: sandbox.endpoint, region: sandbox.region })),
        scope.target,
      );
    }
    // Not awaited: the command is done once the sandbox runs, whether or not anyone answers the toast.
    void vscode.window
      .showInformationMessage(
        `Local AWS sandbox running at ${sandbox.endpoint} (environments spryker-staging and spryker-prod${scope.target !== undefined ? ', now configured' : ''}).`,
        'Copy Endpoint',
        'Stop',
      )
      .then(async (picked) => {
        if (picked === 'Copy Endpoint') await vscode.env.clipboard.writeText(sandbox.endpoint);
        if (picked === 'Stop' && this.running?.sandbox === sandbox) await this.stopSandbox();
      });
  }

  async stopSandbox(): Promise<void> {
    const running = this.running;
    if (!running) throw new DeployError('invalid-input', 'No sandbox was started in this window.');
    this.running = undefined;
    await running.sandbox.stop();
    this.deps.onSandbox(undefined);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.sandboxRunning', false);
    if (running.restore) await vscode.workspace.getConfiguration(SECTION).update('environments', running.restore.value, running.restore.target);
    this.deps.log.info('[sandbox] stopped; settings restored');
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.running?.sandbox.stop();
  }
}
