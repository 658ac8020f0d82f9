// The command boundary: one test per real argument shape, as VS Code 1.139, the git extension and GitLens pass
// them (shapes read from their sources and from code-server's workbench), plus what is refused.
import * as assert from 'node:assert/strict';
import { DeployError } from '../../../src/core/errors';
import { defaultEnvironment } from '../../../src/core/environments';
import type { PendingApproval } from '../../../src/core/model';
import { commandTarget, commitOf, GRAPH_HOVER_MARKER } from '../../../src/vscode/commands/commandTargets';
import type { EnvTreeNode } from '../../../src/vscode/tree/nodes';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const prod = defaultEnvironment('spryker-prod');
const DEPLOY_TO = 'sprykerDeploy.commit.deployTo';

/** The git extension's SourceControl as the extension host revives it for another extension's command. */
const gitSourceControl = {
  id: 'git',
  label: 'Git',
  rootUri: { scheme: 'file', authority: '', path: '/work/project', query: '', fragment: '', fsPath: '/work/project' },
  inputBox: { value: '' },
  count: 0,
};
/** A Source Control Graph row (ISCMHistoryItem as the workbench serialises it). */
const historyItem = {
  id: A,
  parentIds: [B],
  subject: 'Fix the cart',
  message: 'Fix the cart\n\nBody',
  displayId: 'aaaaaaa',
  author: 'Jane Doe',
  authorEmail: 'jane@example.com',
  timestamp: 1_760_000_000_000,
  references: [{ id: 'refs/heads/main', name: 'main', revision: A, category: 'branches' }],
};
const approval: PendingApproval = { pipelineName: 'NORMAL_Deploy_Spryker_spryker-prod', stageName: 'Please_approve', actionName: 'Approval', token: 't-1', executionId: 'e-1', version: A } as PendingApproval;

describe('command targets: one adapter per caller', () => {
  it('palette: no arguments means ask for everything', () => {
    assert.deepEqual(commandTarget(DEPLOY_TO, []), { caller: 'palette' });
    assert.deepEqual(commandTarget('sprykerDeploy.deploy.head', [undefined]), { caller: 'palette' });
  });

  it('Source Control Graph context menu: (provider, historyItem) deploys the history item, not the provider id "git"', () => {
    const t = commandTarget(DEPLOY_TO, [gitSourceControl, historyItem]);
    assert.deepEqual(t, { caller: 'graph-menu', commit: A });
    assert.equal(commitOf(t), A);
  });

  it('Source Control Graph hover: our marker, then the hash the git extension appends', () => {
    const t = commandTarget(DEPLOY_TO, [GRAPH_HOVER_MARKER, A]);
    assert.deepEqual(t, { caller: 'graph-hover', commit: A });
  });

  it('GitLens view commit node: .commit.sha', () => {
    const node = { type: 'commit', contextValue: 'gitlens:commit+current', commit: { sha: A, repoPath: '/work/project', message: 'x' } };
    assert.deepEqual(commandTarget(DEPLOY_TO, [node]), { caller: 'gitlens', commit: A });
  });

  it('GitLens revision reference: .ref.ref (and .ref.sha)', () => {
    assert.deepEqual(commandTarget(DEPLOY_TO, [{ ref: { refType: 'revision', repoPath: '/p', ref: A, name: 'aaaaaaa' } }]), { caller: 'gitlens', commit: A });
    assert.deepEqual(commandTarget(DEPLOY_TO, [{ ref: { sha: B } }]), { caller: 'gitlens', commit: B });
  });

  it('GitLens Commit Graph webview context: webviewItemValue.ref', () => {
    const context = { webview: 'gitlens.graph', webviewInstance: 'i', webviewItem: 'gitlens:commit+HEAD', webviewItemValue: { type: 'commit', ref: { refType: 'revision', repoPath: '/p', ref: A } } };
    assert.deepEqual(commandTarget(DEPLOY_TO, [context]), { caller: 'gitlens', commit: A });
  });

  it('our Commits view: (commitNode) and (commitNode, selection[])', () => {
    const node = { kind: 'commit', commit: { sha: B, subject: 's', author: 'a', parents: [] } };
    assert.deepEqual(commandTarget(DEPLOY_TO, [node]), { caller: 'commits', commit: B });
    assert.deepEqual(commandTarget(DEPLOY_TO, [node, [node]]), { caller: 'commits', commit: B });
  });

  it('our Environments tree: the node names its environment; version, container and approval nodes their commit', () => {
    const envNode: EnvTreeNode = { kind: 'environment', env: prod, refreshing: false };
    assert.deepEqual(commandTarget('sprykerDeploy.deploy.head', [envNode]), { caller: 'tree', environment: 'spryker-prod', node: envNode });
    const versionNode: EnvTreeNode = { kind: 'version', env: prod, role: 'deployed', version: A, parameter: '/spryker-prod/last_deployed_version' };
    assert.equal(commandTarget('sprykerDeploy.version.copy', [versionNode]).commit, A);
    const approvalNode: EnvTreeNode = { kind: 'approval', env: prod, approval };
    const t = commandTarget('sprykerDeploy.approval.openPanel', [approvalNode]);
    assert.equal(t.environment, 'spryker-prod');
    assert.equal(t.approval, approval);
  });

  it('a hex-looking environment name stays an environment name', () => {
    assert.deepEqual(commandTarget('sprykerDeploy.approval.openPanel', ['deadbeef']), { caller: 'script', environment: 'deadbeef' });
  });

  it('scripts and our notifications: an options object, alone or after a caller\'s arguments', () => {
    assert.deepEqual(commandTarget('sprykerDeploy.approval.approve', [{ environment: 'spryker-prod', approval }]), { caller: 'script', environment: 'spryker-prod', approval });
    assert.deepEqual(commandTarget('sprykerDeploy.rollback', [{ environment: 'spryker-prod', version: B }]), { caller: 'script', environment: 'spryker-prod', commit: B });
    assert.deepEqual(commandTarget(DEPLOY_TO, [{ ref: { sha: A } }, { environment: 'spryker-staging' }]), { caller: 'gitlens', commit: A, environment: 'spryker-staging' });
  });

  it('refuses shapes it does not know instead of guessing, naming the command', () => {
    const refused = (args: unknown[]) =>
      assert.throws(() => commandTarget(DEPLOY_TO, args), (e: DeployError) => e.kind === 'invalid-input' && /sprykerDeploy\.commit\.deployTo was called with arguments it does not understand/.test(e.message));
    refused([gitSourceControl]); // the provider without its history item
    refused([{ id: A }]); // an id alone is not a history item
    refused([{ environment: 'x', surprise: true }]);
    refused([A, B]);
  });

  it('validates the commit only when asked, with a clear refusal', () => {
    assert.throws(() => commitOf(commandTarget(DEPLOY_TO, [GRAPH_HOVER_MARKER, 'abc123'])), (e: DeployError) => e.kind === 'invalid-input' && /^Refused to deploy: .*short commit hash/.test(e.message));
    assert.throws(() => commitOf(commandTarget(DEPLOY_TO, [{ ref: { sha: 'HEAD~1' } }])), (e: DeployError) => e.kind === 'invalid-input');
    assert.equal(commitOf(commandTarget(DEPLOY_TO, [GRAPH_HOVER_MARKER, A.toUpperCase()])), A);
    assert.equal(commitOf({}), undefined);
  });
});
