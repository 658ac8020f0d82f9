// Composition root: builds the parts of the extension, wires them together and registers them. No logic here.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsPortsFactory } from './core/ports';
import { registerApprovalPanel } from './vscode/approval/registerApprovalPanel';
import { ExtensionPorts } from './vscode/aws/extensionPorts';
import { lazyBundle, type AwsBundle, type LeanBundle, type RunningSandbox, type SandboxBundle } from './vscode/aws/lazyBundles';
import { commandTarget, commitOf, type CommandId, type CommandTargets } from './vscode/commands/commandTargets';
import { ErrorHandler } from './vscode/commands/errorHandler';
import { CommitsTreeProvider } from './vscode/commits/commitsTreeProvider';
import { ModalConfirmer, SwitchableConfirmer } from './vscode/confirmer';
import { DeployCommands } from './vscode/deploy/deployCommands';
import { noRepositoryReason } from './vscode/git/availability';
import { GitBridgeProvider } from './vscode/git/gitBridge';
import { chooseRepository, repositoryDescription } from './vscode/git/chooseRepository';
import { registerDeployHover } from './vscode/git/historyItemHover';
import { fetchFullHistory } from './vscode/git/shallowClone';
import { BuildLogDocuments, InspectCommands, LOG_SCHEME } from './vscode/inspect/inspectCommands';
import { Messages } from './vscode/messages';
import { ComparisonDocuments, COMPARISON_SCHEME, PromoteCommands } from './vscode/promote/promoteCommands';
import { HistoryCommands } from './vscode/history/historyCommands';
import { DeployNotifier } from './vscode/notifier';
import { pickEnvironment } from './vscode/pickers/environmentPicker';
import { confirmationSettings, loadEnvironments, notificationSettings, pollingIntervals, SECTION, statusBarSetting } from './vscode/settings';
import { SetupCommands } from './vscode/setup/setupCommands';
import { ProductionStatusBar } from './vscode/statusBar/productionStatusBar';
import { PollingEnvironmentStore } from './vscode/store/environmentStore';
import { LastKnownFile } from './vscode/store/lastKnownFile';
import { refreshFailure } from './vscode/store/refreshOutcome';
import { EnvironmentsTreeProvider } from './vscode/tree/environmentsTreeProvider';
import { StartupSequence } from './vscode/startupSequence';
import { StartupTimeline } from './vscode/startupTimeline';
import { systemClock } from './vscode/store/events';
import { syncViewContext } from './vscode/viewContext';
import { createTestApi, FollowCancellation, WorkspaceTrust, type TestApi } from './vscode/testApi';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const push = (...d: vscode.Disposable[]) => context.subscriptions.push(...d);
  const log = vscode.window.createOutputChannel('Spryker Deploy', { log: true });
  push(log);
  const timeline = new StartupTimeline(log);
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const trust = new WorkspaceTrust();
  const canModify = () => trust.canModify();

  // The AWS layer is compiled from V8's code kept by an earlier window: compiling it held the extension host for
  // 100-440 ms before a window's first read.
  const storage = context.globalStorageUri;
  const codeCache = storage.scheme === 'file' ? { dir: path.join(storage.fsPath, 'v8'), saveAfterMs: 5_000, log: (line: string) => log.info(line) } : undefined;
  const aws = lazyBundle<AwsBundle>(__dirname, 'aws.js', codeCache);
  const sandboxBundle = lazyBundle<SandboxBundle>(__dirname, 'sandbox.js');
  const awsCalls = { count: 0 };
  const ports = new ExtensionPorts({
    aws,
    lean: lazyBundle<LeanBundle>(__dirname, 'lean.js', codeCache),
    onCall: (info) => {
      awsCalls.count++;
      log.trace(`[aws] ${info.service}.${info.operation} ${info.ok ? 'ok' : (info.error ?? 'failed')} ${Math.round(info.ms)} ms`);
    },
    log,
    mark: (step, detail) => timeline.mark(step, detail),
    environment: process.env,
  });
  const portsFactory = (): AwsPortsFactory => ports.factory;
  const onSandbox = (sandbox: RunningSandbox | undefined) => ports.setSandbox(sandbox);

  // What an earlier window last read shows at once, marked stale, until this window's first read answers.
  const lastKnownFile = storage.scheme === 'file' ? path.join(storage.fsPath, 'last-known.json') : undefined;
  const lastKnown = new LastKnownFile(lastKnownFile, process.env.AWS_PROFILE, log);
  push(lastKnown);
  const store = new PollingEnvironmentStore({ log, loadEnvironments, portsFactory, intervals: pollingIntervals, timeline, lastKnown });
  push(store);
  const seeded = store.environments().filter((e) => store.status(e.name)).length;
  timeline.mark('last known state read', `${seeded} of ${store.environments().length} environment(s)`);
  const git = new GitBridgeProvider(log, {
    deployedVersions: () => store.environments().flatMap((e) => [store.status(e.name)?.lastDeployedVersion, store.status(e.name)?.desiredVersion]).filter((v): v is string => v !== undefined),
    onDidChange: store.onDidChange,
  });
  push(git);
  const currentGit = () => git.current();

  const environmentsTree = new EnvironmentsTreeProvider(store, currentGit, canModify, timeline);
  const commitsTree = new CommitsTreeProvider(store, currentGit, canModify);
  const environmentsView = vscode.window.createTreeView('sprykerDeploy.environments', { treeDataProvider: environmentsTree, showCollapseAll: true });
  const commitsView = vscode.window.createTreeView('sprykerDeploy.commits', { treeDataProvider: commitsTree });
  environmentsTree.attach(environmentsView);
  push(environmentsTree, commitsTree, environmentsView, commitsView);
  // When the first read starts and when Git is asked for (both hold the extension host VS Code asks for our rows).
  const watched = (id: string, view: vscode.TreeView<unknown>) => ({ id, get visible() { return view.visible; }, onDidChangeVisibility: view.onDidChangeVisibility });
  const startup = new StartupSequence({
    clock: systemClock,
    kept: seeded > 0 && seeded === store.environments().length,
    hasEnvironments: store.environments().length > 0,
    warmUp: () => ports.warmUp(store.environments()),
    rowsDrawn: environmentsTree.rowsDrawn,
    freshRowsDrawn: environmentsTree.freshRowsDrawn,
    views: [watched('Environments', environmentsView), watched('Commits', commitsView)],
    setViewVisible: (id, visible) => store.setViewVisible(id, visible),
    startGit: () =>
      git.start().then(() => {
        const hover = registerDeployHover(git.gitApi(), () => canModify() && store.environments().length > 0);
        if (hover) push(hover);
        log.info(`[git] ${git.state()}${hover ? '; Source Control Graph hover registered' : '; no history item hover in this VS Code'}`);
      }),
    gitPending: () => git.state() === 'pending',
    mark: (step) => timeline.mark(step),
  });
  push(startup);
  const gitAsked = (atMostMs: number) => startup.gitAsked(atMostMs);
  store.setWindowFocused(vscode.window.state.focused);
  push(vscode.window.onDidChangeWindowState((s) => store.setWindowFocused(s.focused)));
  push(syncViewContext(store, environmentsView, environmentsTree, canModify, log));

  const confirmer = new SwitchableConfirmer(new ModalConfirmer(confirmationSettings, log));
  const messages = new Messages();
  // A notification names the commit's subject: in a window's first seconds it waits for Git a little.
  const gitForNotification = async () => {
    await gitAsked(3_000);
    return git.current();
  };
  const notifier = new DeployNotifier(gitForNotification, notificationSettings, canModify, log, messages, async (env, executionId) => (await store.service(env)).endOf(executionId));
  push(
    store.onDidTransition((t) => {
      const env = store.environment(t.env);
      if (env) notifier.heard(env, t, store.status(t.env));
    }),
  );
  const panels = registerApprovalPanel({
    extensionUri: context.extensionUri,
    store,
    git: currentGit,
    noRepositoryReason: () => noRepositoryReason(git.state(), vscode.workspace.isTrusted),
    confirmer,
    log,
    canModify,
  });
  push(panels);

  // `deploys` is built below; the handler only calls it when the user picks Restore.
  const errors = new ErrorHandler({ log, messages, restore: (e) => deploys.restoreAfterFailedStart(e), disableMaintenance: (env) => history.switchMaintenance({ environment: env }, 'off', { clicked: true }) });
  const followCancellation = new FollowCancellation();
  push(followCancellation);
  const deploys = new DeployCommands({
    store,
    git: currentGit,
    confirmer,
    notifier,
    log,
    canModify,
    messages,
    maintenanceChanged: (env) => environmentsTree.refreshMaintenance(env),
    // `history` is built below; this runs only when the user clicks Disable Maintenance.
    disableMaintenance: (env) => history.switchMaintenance({ environment: env }, 'off', { clicked: true }),
    ...(testMode ? { followCancellation: () => followCancellation.token } : {}),
  });
  const logDocuments = new BuildLogDocuments();
  push(vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, logDocuments));
  const comparisons = new ComparisonDocuments();
  push(vscode.workspace.registerTextDocumentContentProvider(COMPARISON_SCHEME, comparisons));
  const promotions = new PromoteCommands({ store, git: currentGit, deploys, documents: comparisons, log, canModify });
  const history = new HistoryCommands({
    store,
    confirmer,
    openExecution: (env, entry, previousVersion) => panels.openExecution(env, entry, previousVersion),
    log,
    canModify,
    maintenanceChanged: (env) => environmentsTree.refreshMaintenance(env),
  });
  const inspect = new InspectCommands(store, logDocuments, log);
  const setup = new SetupCommands({ store, aws, sandbox: sandboxBundle, log, onSandbox, trusted: canModify, messages });
  push(setup);
  const statusBar = new ProductionStatusBar(store, currentGit, statusBarSetting);
  push(statusBar);

  // Each command receives its typed target: the caller's arguments are understood once, at the boundary.
  const register = <K extends CommandId>(id: K, title: string, handler: (target: CommandTargets[K]) => Promise<unknown>) =>
    push(
      errors.register(id, title, async (...args) => {
        // A command run in a window's first seconds may need the repository: it waits for Git, at most 10 s.
        await gitAsked(10_000);
        return handler(commandTarget(id, args));
      }),
    );
  register('sprykerDeploy.refresh', 'Refresh', async () => {
    commitsTree.refresh();
    await store.refresh();
    const failure = refreshFailure(store.environments().map((e) => ({ name: e.name, status: store.status(e.name), error: store.error(e.name) })), new Date());
    if (failure) throw failure;
  });
  register('sprykerDeploy.deploy.head', 'Deploy HEAD', (t) => deploys.deployHead(t));
  register('sprykerDeploy.deploy.commit', 'Deploy commit', (t) => deploys.deployCommit(t));
  register('sprykerDeploy.commit.deployTo', 'Deploy commit', (t) => deploys.deployCommit(t));
  register('sprykerDeploy.rollback', 'Roll back', (t) => deploys.rollback(t));
  register('sprykerDeploy.approval.approve', 'Approve', (t) => deploys.approve(t));
  register('sprykerDeploy.approval.reject', 'Reject', (t) => deploys.reject(t));
  register('sprykerDeploy.approval.openPanel', 'Open approval panel', async (t) => {
    const env = await pickEnvironment(store, t.environment, 'Open Approval Panel…');
    if (env) await panels.open(env.name);
  });
  register('sprykerDeploy.console.open', 'Open in AWS console', (t) => inspect.openInConsole(t));
  register('sprykerDeploy.pipeline.showLogs', 'Show pipeline logs', (t) => inspect.showLogs(t));
  register('sprykerDeploy.pipeline.retry', 'Retry the failed stage', (t) => deploys.retry(t));
  register('sprykerDeploy.desiredVersion.restore', 'Restore desired version', (t) => deploys.restoreDesired(t));
  register('sprykerDeploy.signIn', 'Sign in', () => setup.signIn());
  register('sprykerDeploy.environments.configure', 'Configure environments', () => setup.configure());
  register('sprykerDeploy.sandbox.start', 'Start sandbox', (t) => setup.startSandbox(t));
  register('sprykerDeploy.sandbox.stop', 'Stop sandbox', () => setup.stopSandbox());
  register('sprykerDeploy.commit.open', 'Open commit', async (t) => {
    const sha = commitOf(t, 'open the commit');
    const bridge = git.current();
    if (!sha || !bridge) throw new Error(!sha ? 'No commit given.' : 'No Git repository is open.');
    await bridge.openCommit(sha);
  });
  register('sprykerDeploy.version.copy', 'Copy version', async (t) => {
    const sha = commitOf(t, 'copy the version');
    if (sha) await vscode.env.clipboard.writeText(sha);
  });
  register('sprykerDeploy.statusBar.showActions', 'Status bar actions', () => statusBar.showActions(canModify()));
  register('sprykerDeploy.git.chooseRepository', 'Choose repository', (t) => chooseRepository(git, t.repository));
  register('sprykerDeploy.git.fetchFullHistory', 'Fetch the full history', async () => {
    await fetchFullHistory(git.current());
    commitsTree.refresh();
    environmentsTree.refreshAll();
  });
  register('sprykerDeploy.log.show', 'Show log', async () => log.show());
  register('sprykerDeploy.environments.compare', 'Compare environments', (t) => promotions.compare(t));
  register('sprykerDeploy.environments.compareHead', 'Compare HEAD', (t) => promotions.compareBranch(t));
  register('sprykerDeploy.environments.promote', 'Promote', (t) => promotions.promote(t));
  register('sprykerDeploy.maintenance.enable', 'Enable maintenance mode', (t) => history.switchMaintenance(t, 'on'));
  register('sprykerDeploy.maintenance.disable', 'Disable maintenance mode', (t) => history.switchMaintenance(t, 'off'));
  register('sprykerDeploy.history.show', 'Show history', (t) => history.show(t));
  register('sprykerDeploy.history.open', 'Open execution', (t) => history.open(t));

  push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.environments`) || e.affectsConfiguration(`${SECTION}.defaultProfile`) || e.affectsConfiguration(`${SECTION}.defaultRegion`)) store.reload();
      if (e.affectsConfiguration(SECTION)) void statusBar.update();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      store.reload();
      environmentsTree.refreshAll();
      commitsTree.refresh();
    }),
    git.onDidChange(() => {
      commitsView.description = repositoryDescription(git.repositoryChoice());
      commitsTree.refresh();
      environmentsTree.gitChanged();
      void statusBar.update();
    }),
  );
  timeline.mark('activated');
  log.info(`[activate] ${store.environments().length} environment(s); ${canModify() ? 'trusted' : 'untrusted: read-only'} workspace`);

  return testMode
    ? createTestApi({ store, confirmer, awsCalls, statusBar, panels, deploys, promotions, history, git, trees: { environments: environmentsTree, commits: commitsTree }, followCancellation, trust, messages, setup, lastKnownFile })
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
