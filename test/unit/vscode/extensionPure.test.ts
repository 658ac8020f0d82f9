// The extension layer's pure decisions: when to poll, what to notify, which welcome view, what the menus
// offer, how nodes read, what errors say, console links, the status bar.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import { DeployError } from '../../../src/core/errors';
import { defaultEnvironment } from '../../../src/core/environments';
import type { EnvironmentStatus, PartError, PipelineStatus } from '../../../src/core/model';
import { commandTarget } from '../../../src/vscode/commands/commandTargets';
import { describeError } from '../../../src/vscode/commands/errorMessages';
import { commitMarks } from '../../../src/vscode/commits/commitMarks';
import { presentCommit } from '../../../src/vscode/commits/commitPresentation';
import { describeChange } from '../../../src/vscode/deploy/changeDescription';
import { whoDeployed, whoFromArn } from '../../../src/core/history';
import { finishedNotice, followStoppedMessage } from '../../../src/vscode/notifierText';
import { consoleTarget, isCustomEndpoint, pipelineConsoleUrl } from '../../../src/vscode/inspect/consoleLinks';
import { ssoLoginTerminal } from '../../../src/vscode/setup/ssoLogin';
import { statusBarEnvironment, statusBarView } from '../../../src/vscode/statusBar/statusBarModel';
import { duePolls, environmentIntervalMs, intervalMs, isBusy, nextPoll } from '../../../src/vscode/store/pollPolicy';
import { detectTransitions } from '../../../src/vscode/store/transitions';
import { computeViewState } from '../../../src/vscode/store/viewState';
import { StartupTimeline } from '../../../src/vscode/startupTimeline';
import { contextTokens } from '../../../src/vscode/tree/contextValue';
import { childrenOf, nodeId } from '../../../src/vscode/tree/nodes';
import { environmentSummary, errorWords, md, present } from '../../../src/vscode/tree/presentation';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const prod = defaultEnvironment('spryker-prod');
const staging = defaultEnvironment('spryker-staging');

function status(over: Partial<EnvironmentStatus> = {}, pipeline?: Partial<PipelineStatus>): EnvironmentStatus {
  return {
    name: 'spryker-prod',
    production: true,
    region: 'eu-central-1',
    fetchedAt: new Date('2026-11-26T10:00:00Z'),
    desiredVersion: A,
    lastDeployedVersion: A,
    services: [],
    errors: [],
    ...(pipeline ? { pipeline: { name: prod.pipelines.normal, stages: [], ...pipeline } } : {}),
    ...over,
  };
}
const approval = { pipelineName: prod.pipelines.normal, stageName: 'Please_approve', actionName: 'Approval', token: 't1', executionId: 'e1', version: B };

describe('poll policy', () => {
  const base = { activeMs: 5000, idleMs: 60000, anyActive: false, anyWatched: false };
  it('pauses when no view is visible and the window is unfocused', () => {
    assert.equal(nextPoll({ ...base, viewVisible: false, windowFocused: false, engaged: true })?.delayMs, undefined);
  });
  it('does not poll for a focused window before the user engaged (the status bar shows the cache)', () => {
    assert.equal(nextPoll({ ...base, viewVisible: false, windowFocused: true, engaged: false })?.delayMs, undefined);
    assert.equal(nextPoll({ ...base, viewVisible: false, windowFocused: true, engaged: true })?.delayMs, 60000);
  });
  it('polls fast while something is active, slow otherwise', () => {
    assert.equal(nextPoll({ ...base, viewVisible: true, windowFocused: false, engaged: false, anyActive: true })?.delayMs, 5000);
    assert.equal(nextPoll({ ...base, viewVisible: true, windowFocused: false, engaged: false })?.delayMs, 60000);
  });
  it('keeps polling the watched environments fast while nobody looks at the views, and only them', () => {
    const hidden = { ...base, viewVisible: false, windowFocused: false, engaged: true };
    assert.deepEqual(nextPoll({ ...hidden, anyActive: true, anyWatched: true }), { delayMs: 5000, scope: 'watched' });
    assert.deepEqual(nextPoll({ ...hidden, windowFocused: true, engaged: false, anyActive: true, anyWatched: true }), { delayMs: 5000, scope: 'watched' });
    assert.equal(nextPoll({ ...hidden, anyActive: true }), undefined, 'a busy pipeline nobody watches costs nothing');
    assert.deepEqual(nextPoll({ ...hidden, viewVisible: true, anyActive: true, anyWatched: true }), { delayMs: 5000, scope: 'all' });
  });
  it('polls each environment at its own rate: a deploy on staging does not make prod poll fast', () => {
    const looking = { viewVisible: true, windowFocused: true, engaged: true, activeMs: 5000, idleMs: 60000 };
    assert.equal(environmentIntervalMs(looking, { busy: true, watched: false }), 5000);
    assert.equal(environmentIntervalMs(looking, { busy: false, watched: false }), 60000);
    const hidden = { ...looking, viewVisible: false, windowFocused: false };
    assert.equal(environmentIntervalMs(hidden, { busy: true, watched: false }), undefined);
    assert.equal(environmentIntervalMs(hidden, { busy: false, watched: true }), 5000);
    // Over two minutes with staging deploying: staging every 5 s, prod once a minute.
    const last = new Map<string, number>();
    const polls = { staging: 0, prod: 0 };
    for (let now = 0; now <= 120_000; now += 1000) {
      const envs = [
        { name: 'staging', intervalMs: 5000, lastPolledAt: last.get('staging') },
        { name: 'prod', intervalMs: 60000, lastPolledAt: last.get('prod') },
      ];
      for (const name of duePolls(now, envs).due) {
        last.set(name, now);
        polls[name as 'staging' | 'prod']++;
      }
    }
    assert.deepEqual(polls, { staging: 25, prod: 3 });
  });
  it('wakes up for the earliest environment due, and not at all when none is polled', () => {
    assert.deepEqual(duePolls(10_000, [{ name: 'a', intervalMs: 5000, lastPolledAt: 8000 }, { name: 'b', intervalMs: 60000, lastPolledAt: 0 }]), { due: [], nextAt: 13_000 });
    assert.deepEqual(duePolls(10_000, [{ name: 'new', intervalMs: 60000, lastPolledAt: undefined }]), { due: ['new'], nextAt: 10_000 });
    assert.deepEqual(duePolls(10_000, [{ name: 'hidden', intervalMs: undefined, lastPolledAt: 0 }]), { due: [], nextAt: undefined });
  });
  it('treats a running execution or a waiting approval as busy', () => {
    assert.equal(isBusy(status({}, { status: 'InProgress' })), true);
    assert.equal(isBusy(status({}, { status: 'Succeeded', pendingApproval: approval })), true);
    assert.equal(isBusy(status({}, { status: 'Succeeded' })), false);
    assert.equal(isBusy(undefined), false);
  });
  it('clamps interval settings', () => {
    assert.equal(intervalMs(0.1, 5, 1, 300), 1000);
    assert.equal(intervalMs('x', 5, 1, 300), 5000);
    assert.equal(intervalMs(10, 5, 1, 300), 10000);
  });
});

describe('status transitions', () => {
  it('reports a new approval once per token', () => {
    const waiting = status({}, { status: 'InProgress', executionId: 'e1', pendingApproval: approval });
    assert.deepEqual(detectTransitions(status({}, { status: 'InProgress', executionId: 'e1' }), waiting).map((t) => t.kind), ['approval-waiting']);
    assert.deepEqual(detectTransitions(waiting, waiting), []);
  });
  it('reports the end of an execution it saw running, not history', () => {
    const running = status({}, { status: 'InProgress', executionId: 'e1' });
    const done = status({ desiredVersion: B }, { status: 'Succeeded', executionId: 'e1' });
    assert.deepEqual(detectTransitions(running, done), [{ kind: 'execution-finished', env: 'spryker-prod', executionId: 'e1', status: 'Succeeded', version: B }]);
    assert.deepEqual(detectTransitions(undefined, done), []);
    assert.deepEqual(detectTransitions(status(), done), [], 'a first read of the pipeline (the earlier one had none) is history too');
  });
  const stage = (name: string, executionId: string, s: 'InProgress' | 'Succeeded' | 'Failed', at?: Date) => ({
    name,
    executionId,
    status: s,
    actions: [{ name: `${name}_action`, status: s, ...(at ? { lastStatusChange: at } : {}) }],
  });
  it('reports an execution that ran and ended between two polls', () => {
    const before = status({}, { status: 'Succeeded', executionId: 'e0', stages: [stage('Source', 'e0', 'Succeeded'), stage('Deploy', 'e0', 'Succeeded')] });
    const after = status({ desiredVersion: B }, { status: 'Failed', executionId: 'e1', stages: [stage('Source', 'e1', 'Failed'), stage('Deploy', 'e0', 'Succeeded')] });
    assert.deepEqual(detectTransitions(before, after), [{ kind: 'execution-finished', env: 'spryker-prod', executionId: 'e1', status: 'Failed', version: B }]);
  });
  it('reports a retried execution that ended again, and an older one that vanished as superseded (without the newer version)', () => {
    const first = new Date('2026-11-26T10:00:00Z');
    const failed = (at: Date) => status({}, { status: 'Failed', executionId: 'e1', outcome: { kind: 'failed', stage: 'Deploy', at }, stages: [stage('Source', 'e1', 'Succeeded'), stage('Deploy', 'e1', 'Failed', at)] });
    assert.deepEqual(detectTransitions(failed(first), failed(first)), []);
    assert.equal(detectTransitions(failed(first), failed(new Date(first.getTime() + 60_000)))[0]?.kind, 'execution-finished');
    const waiting = status({}, { status: 'InProgress', executionId: 'e2', stages: [stage('Source', 'e2', 'Succeeded'), stage('Deploy', 'e1', 'InProgress')] });
    const taken = status({ desiredVersion: B }, { status: 'InProgress', executionId: 'e2', stages: [stage('Source', 'e2', 'Succeeded'), stage('Deploy', 'e2', 'InProgress')] });
    assert.deepEqual(detectTransitions(waiting, taken), [{ kind: 'execution-finished', env: 'spryker-prod', executionId: 'e1', status: 'Superseded' }]);
  });
});

describe('view state', () => {
  const none = () => undefined;
  it('distinguishes no environments, config errors, signed out, errors and ready', () => {
    const expired = new DeployError('credentials-expired', 'expired');
    assert.equal(computeViewState({ environments: [], hasStatus: () => false, error: none }), 'noEnvironments');
    assert.equal(computeViewState({ configError: new DeployError('invalid-input', 'bad'), environments: [], hasStatus: () => false, error: none }), 'configError');
    assert.equal(computeViewState({ environments: ['a', 'b'], hasStatus: () => false, error: () => expired }), 'signedOut');
    assert.equal(computeViewState({ environments: ['a'], hasStatus: () => false, error: () => new DeployError('network', 'down') }), 'error');
    assert.equal(computeViewState({ environments: ['a'], hasStatus: () => false, error: none }), 'loading');
    assert.equal(computeViewState({ environments: ['a'], hasStatus: () => true, error: () => expired }), 'ready');
  });
});

describe('tree nodes', () => {
  it('offers deploy/approve tokens only when the workspace may modify', () => {
    const node = { kind: 'environment' as const, env: prod, status: status({}, { status: 'InProgress', pendingApproval: approval }), refreshing: false };
    const trusted = contextTokens(node, { canModify: true });
    assert.ok(['canDeploy', 'canApprove', 'hasApproval', 'isProduction', 'hasPipeline'].every((t) => trusted.includes(t)));
    const untrusted = contextTokens(node, { canModify: false });
    assert.ok(!untrusted.includes('canDeploy') && !untrusted.includes('canApprove') && untrusted.includes('hasApproval'));
  });
  it('offers Open in AWS Console only for environments in AWS, not behind the sandbox or another endpoint', () => {
    const sandboxEnv = { ...prod, endpoint: 'http://127.0.0.1:4566' };
    const s = status({}, { status: 'Succeeded' });
    assert.ok(contextTokens({ kind: 'environment', env: prod, status: s, refreshing: false }, { canModify: true }).includes('hasConsole'));
    const kids = childrenOf({ kind: 'environment', env: sandboxEnv, status: s, refreshing: false }, () => undefined);
    for (const node of [{ kind: 'environment' as const, env: sandboxEnv, status: s, refreshing: false }, ...kids]) {
      assert.ok(!contextTokens(node, { canModify: true }).includes('hasConsole'), `${node.kind} offers the console on the sandbox`);
    }
  });
  it('an environment whose credentials expired offers Sign In: a click on the row and a button on it', () => {
    const error = new DeployError('credentials-expired', 'The SSO session has expired.');
    const node = { kind: 'environment' as const, env: prod, status: status({}, { status: 'Succeeded' }), error, refreshing: false };
    const row = present(node, { canModify: true });
    assert.match(row.description ?? '', /Credentials expired$/);
    assert.deepEqual(row.command, { id: 'sprykerDeploy.signIn', title: 'Sign In' });
    assert.ok(row.contextValue.split(' ').includes('needsSignIn'));
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
    const inline = manifest.contributes.menus['view/item/context'].find((m) => m.command === 'sprykerDeploy.signIn' && m.group?.startsWith('inline'));
    assert.match(inline?.when ?? '', /needsSignIn/);
    const healthy = present({ ...node, error: undefined }, { canModify: true });
    assert.equal(healthy.command, undefined);
    assert.ok(!healthy.contextValue.includes('needsSignIn'));
  });
  it('summarises an environment as deployed → desired · state', () => {
    assert.equal(environmentSummary(status({ desiredVersion: B }, { status: 'InProgress', pendingApproval: approval })), 'aaaaaaa → bbbbbbb · Waiting for approval');
    assert.equal(environmentSummary(status({}, { status: 'Succeeded' })), 'aaaaaaa · Up to date');
  });
  it('builds versions, pipeline with the approval first, and services; ids are stable paths', () => {
    const s = status({ desiredVersion: B }, { status: 'InProgress', pendingApproval: approval, stages: [{ name: 'Please_approve', actions: [{ name: 'Approval', token: 't1', status: 'InProgress' }] }] });
    const env = { kind: 'environment' as const, env: prod, status: s, refreshing: false };
    const commit = { sha: B, subject: 'Fix cart', author: 'Jane', parents: [] };
    const kids = childrenOf(env, (sha) => (sha === B ? commit : undefined));
    assert.deepEqual(kids.map((k) => k.kind), ['version', 'version', 'pipeline', 'services', 'maintenance', 'history']);
    const desired = present(kids[0], { canModify: true });
    assert.equal(desired.description, 'bbbbbbb Fix cart');
    assert.match(desired.tooltip, new RegExp(B));
    const pipelineKids = childrenOf(kids[2], () => undefined);
    assert.deepEqual(pipelineKids.map((k) => k.kind), ['approval', 'stage']);
    assert.equal(nodeId(pipelineKids[1]), 'env:spryker-prod/pipeline/stage:Please_approve');
    assert.equal(present(pipelineKids[0], { canModify: true }).icon.id, 'bell-dot');
  });
  it('maintenance: on since when and by whom, with Disable offered only where AWS may be changed; history is expandable', () => {
    const s = status({ desiredVersion: B }, { status: 'Succeeded', stages: [] });
    const env = { kind: 'environment' as const, env: prod, status: s, refreshing: false };
    const since = new Date(Date.now() - 5 * 60_000);
    const kids = childrenOf(env, () => undefined, { maintenance: { kind: 'on', since, by: 'jane.doe' } });
    const maintenance = present(kids[4], { canModify: true });
    assert.equal(maintenance.description, 'on · 5 min ago · jane.doe');
    assert.match(maintenance.contextValue, /\bcanDisableMaintenance\b/);
    assert.doesNotMatch(present(kids[4], { canModify: false }).contextValue, /Maintenance/);
    assert.equal(present(kids[5], { canModify: true }).collapsible, 'collapsed');
    assert.equal(present(childrenOf(env, () => undefined)[4], { canModify: true }).description, 'not read');
  });
  it('shows the stages after a waiting approval as not started in the execution shown, not with the previous execution\'s "Succeeded"', () => {
    const s = status({ desiredVersion: B }, {
      status: 'InProgress',
      executionId: 'e2',
      pendingApproval: { ...approval, executionId: 'e2' },
      stages: [
        { name: 'Build', status: 'Succeeded', executionId: 'e2', actions: [{ name: 'Build', status: 'Succeeded' }] },
        { name: 'Please_approve', status: 'InProgress', executionId: 'e2', actions: [{ name: 'Approval', token: 't1', status: 'InProgress' }] },
        { name: 'Deploy', status: 'Succeeded', executionId: 'e1', actions: [{ name: 'Deploy', status: 'Succeeded' }] },
      ],
    });
    const pipeline = childrenOf({ kind: 'environment', env: prod, status: s, refreshing: false }, () => undefined)[2];
    const stages = childrenOf(pipeline, () => undefined).filter((k) => k.kind === 'stage');
    assert.deepEqual(stages.map((k) => present(k, { canModify: true }).description), ['Succeeded', 'Waiting for approval', 'not started']);
    const deploy = present(stages[2], { canModify: true });
    assert.equal(deploy.icon.id, 'circle-outline');
    assert.match(deploy.tooltip, /not started in execution `e2`/);
    assert.match(deploy.tooltip, /Last ran in execution `e1`: Succeeded/);
    const deployAction = childrenOf(stages[2], () => undefined)[0]!;
    assert.equal(present(deployAction, { canModify: true }).description, 'not started');
    assert.match(present(childrenOf(stages[0], () => undefined)[0]!, { canModify: true }).description ?? '', /^Succeeded/);
  });
  it('shows an approval stage rejected or expired as Rejected / Expired with the decided icon, not as Failed; a build stage that failed stays Failed', () => {
    const ended = (outcome: PipelineStatus['outcome'], failedStage: string) => {
      const s = status({ desiredVersion: B }, {
        status: 'Failed',
        executionId: 'e2',
        ...(outcome ? { outcome } : {}),
        stages: [
          { name: 'Build', status: failedStage === 'Build' ? 'Failed' : 'Succeeded', executionId: 'e2', actions: [{ name: 'Build', status: failedStage === 'Build' ? 'Failed' : 'Succeeded' }] },
          {
            name: 'Please_approve',
            status: failedStage === 'Please_approve' ? 'Failed' : 'Succeeded',
            executionId: 'e2',
            actions: [{ name: 'Approval', status: failedStage === 'Please_approve' ? 'Failed' : 'Succeeded' }],
          },
        ],
      });
      const pipeline = childrenOf({ kind: 'environment', env: prod, status: s, refreshing: false }, () => undefined)[2];
      const stage = childrenOf(pipeline, () => undefined).filter((k) => k.kind === 'stage')[failedStage === 'Build' ? 0 : 1];
      const action = childrenOf(stage, () => undefined)[0]!;
      return { stage: present(stage, { canModify: true }), action: present(action, { canModify: true }) };
    };
    const rejected = ended({ kind: 'rejected', by: 'jane' }, 'Please_approve');
    assert.equal(rejected.stage.description, 'Rejected');
    assert.equal(rejected.stage.icon.id, 'circle-slash');
    assert.match(rejected.stage.tooltip, /Rejected \(CodePipeline reports the stage as Failed\)/);
    assert.match(rejected.action.description ?? '', /^Rejected/);
    assert.equal(rejected.action.icon.id, 'circle-slash');
    const expired = ended({ kind: 'expired', stage: 'Please_approve' }, 'Please_approve');
    assert.equal(expired.stage.description, 'Expired');
    assert.match(expired.action.description ?? '', /^Expired/);
    const failed = ended({ kind: 'failed', stage: 'Build' }, 'Build');
    assert.equal(failed.stage.description, 'Failed');
    assert.equal(failed.stage.icon.id, 'error');
    assert.match(failed.action.description ?? '', /^Failed/);
  });
  it('escapes Markdown in subjects', () => {
    assert.equal(md('a *b* [c](d)'), 'a \\*b\\* \\[c\\]\\(d\\)');
  });
  it('marks commits with the environments that run or await them', () => {
    const marks = commitMarks(B, [status({ name: 'spryker-prod', lastDeployedVersion: B }), status({ name: 'spryker-staging', desiredVersion: B, lastDeployedVersion: A })]);
    assert.deepEqual(marks, [{ env: 'spryker-prod', role: 'deployed' }, { env: 'spryker-staging', role: 'desired' }]);
  });
  it('puts the environments at the start of a commit row\'s label, in words, with a codicon for the strongest mark', () => {
    const commit = { sha: B, subject: 'Fix cart', author: 'Jane', parents: [] };
    const deployed = presentCommit(commit, [{ env: 'spryker-prod', role: 'deployed' }, { env: 'spryker-staging', role: 'approval' }], { canModify: true });
    assert.equal(deployed.label, 'spryker-prod, spryker-staging awaits approval: Fix cart');
    assert.equal(deployed.description, 'bbbbbbb · Jane');
    assert.doesNotMatch(`${deployed.label} ${deployed.description}`, /\p{Extended_Pictographic}/u, 'no emoji (an empty box without an emoji font)');
    assert.equal(deployed.icon?.id, 'bell-dot');
    assert.deepEqual(presentCommit(commit, [{ env: 'spryker-prod', role: 'deployed' }], { canModify: true }).icon, { id: 'cloud', color: 'testing.iconPassed' });
    assert.equal(presentCommit(commit, [], { canModify: true }).label, 'Fix cart');
  });
});

describe('error messages', () => {
  it('maps kinds to one action', () => {
    assert.equal(describeError(new DeployError('credentials-expired', 'x', { profile: 'p' }), 'Deploy').action?.label, 'Sign In');
    assert.equal(describeError(new DeployError('throttled', 'x'), 'Deploy').action?.label, 'Retry');
    assert.equal(describeError(new DeployError('cancelled', 'x'), 'Deploy').silent, true);
    assert.equal(describeError(new DeployError('network', 'x'), 'Deploy').action?.label, 'Show Log');
    assert.equal(describeError(new DeployError('network', 'x', { readOnly: true }), 'Refresh').action?.label, 'Retry', 'only reading: trying again changes nothing');
  });
  it('offers Open Settings for a settings error by its kind, not by the words of its message', () => {
    assert.equal(describeError(new DeployError('invalid-settings', 'Environment "e": unknown setting "x".'), 'Deploy').action?.id, 'openSettings');
    assert.equal(describeError(new DeployError('invalid-settings', 'No environment is configured.'), 'Deploy').action?.id, 'openSettings');
    // Mentions a setting, but the fix is not in the settings: a malformed hash typed by the user.
    assert.equal(describeError(new DeployError('invalid-input', 'The "version" setting of the input box must be a full hash.'), 'Deploy').action, undefined);
  });
  it('a settings error in the tree names itself, and every kind has words', () => {
    assert.equal(errorWords('invalid-settings'), 'Settings invalid');
    assert.equal(errorWords('not-signed-in'), 'Not signed in');
  });
  it('says whether desired_version was restored after a failed start', () => {
    const restored = describeError(new DeployError('start-failed', 'Start failed.', { restored: { ok: true, parameter: '/p/desired_version', value: A } }), 'Deploy');
    assert.match(restored.message, /was restored/);
    const notRestored = describeError(new DeployError('start-failed', 'Start failed.', { restored: { ok: false, parameter: '/p/desired_version', value: A, error: 'denied' } }), 'Deploy');
    assert.match(notRestored.message, /could NOT be restored/);
    assert.equal(notRestored.action?.id, 'restore');
  });
});

describe('confirmation text', () => {
  it('says environment, from → to with subjects, parameter and pipeline', () => {
    const { title, detail } = describeChange({
      env: prod,
      version: B,
      kind: 'deploy',
      preflight: { version: B, desiredVersion: A, lastDeployedVersion: A, missingImages: [], alreadyDeployed: false },
      commitOf: (sha) => (sha === B ? { sha: B, subject: 'Fix cart', author: 'Jane', parents: [] } : undefined),
      change: { added: [1, 2, 3].map((i) => ({ sha: String(i).repeat(40), subject: `Change ${i}`, author: 'Jane', parents: [] })), undone: [], files: 7 },
    });
    assert.equal(title, 'Deploy spryker-prod (PRODUCTION) to bbbbbbb?');
    assert.match(detail, /aaaaaaa → bbbbbbb "Fix cart"/);
    assert.match(detail, /\/spryker-prod\/desired_version = b{40}/);
    assert.match(detail, /NORMAL_Deploy_Spryker_spryker-prod \(normal deploy/);
    assert.match(detail, /^Adds 3 commits, 7 files changed\.$/m);
    assert.doesNotMatch(detail, /DESTRUCTIVE/);
  });

  it('deploying an ancestor of the running version is a rollback: it says so and lists the commits it undoes, newest first, and the files', () => {
    const undone = [
      { sha: 'c'.repeat(40), subject: 'Newest change', author: 'Ann', parents: [] },
      { sha: 'd'.repeat(40), subject: 'Older change', author: 'Bob', parents: [] },
    ];
    const { title, detail } = describeChange({
      env: prod,
      version: A,
      kind: 'deploy',
      preflight: { version: A, desiredVersion: B, lastDeployedVersion: B, missingImages: [], alreadyDeployed: false },
      commitOf: () => undefined,
      change: { added: [], undone, files: 4 },
    });
    assert.equal(title, 'Roll back spryker-prod (PRODUCTION) to aaaaaaa?');
    const lines = detail.split('\n');
    const at = lines.indexOf('Rolls back 2 commits, 4 files changed; removed, newest first:');
    assert.ok(at >= 0, detail);
    assert.deepEqual(lines.slice(at + 1, at + 3), ['  − ccccccc Newest change (Ann)', '  − ddddddd Older change (Bob)']);
    assert.doesNotMatch(detail, /0 commit/);
  });

  it('puts the risk line in and the schema warning first on a rollback across a schema change', () => {
    const risk = {
      summary: { categories: [{ id: 'schema' as const, title: 'Database schema', files: ['src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml'] }], notes: [] },
      goesBack: true,
      rollbackWarning: 'Warning: this rollback crosses a database schema change (src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml): the database stays migrated to the newer schema; the older code may not run against it.',
    };
    const { detail } = describeChange({
      env: prod,
      version: A,
      kind: 'rollback',
      preflight: { version: A, desiredVersion: B, lastDeployedVersion: B, missingImages: [], alreadyDeployed: false },
      commitOf: () => undefined,
      risk,
      repository: true,
    });
    assert.match(detail.split('\n')[0], /^Warning: this rollback crosses a database schema change \(src\/Pyz\/Zed\/Sales/);
    assert.match(detail, /^Risk: database schema \(1 file\)\.$/m);
  });

  it('says the risk is unknown, not absent, when the repository cannot tell, and "nothing risky" when it can', () => {
    const base = { env: prod, version: B, kind: 'deploy' as const, preflight: { version: B, desiredVersion: A, lastDeployedVersion: A, missingImages: [], alreadyDeployed: false }, commitOf: () => undefined };
    assert.match(describeChange({ ...base, repository: true }).detail, /Risk: unknown \(the local repository lacks one of the versions/);
    assert.match(describeChange({ ...base, repository: false }).detail, /Risk: unknown \(no Git repository is open\)/);
    assert.match(describeChange({ ...base, repository: true, risk: { summary: { categories: [], notes: [] }, goesBack: false } }).detail, /Risk: nothing risky changed/);
  });
});

describe('confirmation for a commit without images', () => {
  it('offers to deploy anyway and says the pipeline builds them first and takes longer', () => {
    const { title, detail } = describeChange({
      env: staging,
      version: B,
      kind: 'deploy',
      preflight: { version: B, desiredVersion: A, lastDeployedVersion: A, missingImages: ['spryker-staging-b2c-yves', 'spryker-staging-b2c-zed'], alreadyDeployed: false },
      commitOf: () => undefined,
    });
    assert.equal(title, 'Deploy spryker-staging to bbbbbbb? Its images are not built yet.');
    assert.match(detail, /^No image is tagged bbbbbbb yet in 2 repositories \(spryker-staging-b2c-yves, spryker-staging-b2c-zed\)\./);
    assert.match(detail, /Build_and_Prepare stage builds and pushes them first, so this deploy takes longer/);
  });
});

describe('console links and status bar', () => {
  it('links the pipeline view and ARNs, and knows a sandbox endpoint', () => {
    assert.equal(pipelineConsoleUrl('eu-central-1', 'P'), 'https://eu-central-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/P/view?region=eu-central-1');
    const task = consoleTarget({ kind: 'task', env: prod, task: { id: 't', lastStatus: 'RUNNING', images: [], taskDefinition: 'arn:aws:ecs:eu-central-1:1:task-definition/x:3' }, serviceName: 's' }, prod);
    assert.match(task.url, /^https:\/\/console\.aws\.amazon\.com\/go\/view\?region=eu-central-1&arn=arn%3Aaws%3Aecs/);
    assert.equal(isCustomEndpoint({ ...prod, endpoint: 'http://127.0.0.1:4566' }), true);
    assert.equal(isCustomEndpoint(prod), false);
  });
  it('shows the version, a spinner while deploying and attention while an approval waits', () => {
    assert.equal(statusBarView({ env: prod, status: status({}, { status: 'Succeeded' }) }).text, '$(cloud) spryker-prod aaaaaaa');
    assert.match(statusBarView({ env: prod, status: status({ desiredVersion: B }, { status: 'InProgress' }) }).text, /^\$\(sync~spin\) spryker-prod: deploying bbbbbbb/);
    const waiting = statusBarView({ env: prod, status: status({}, { status: 'InProgress', pendingApproval: approval }) });
    assert.equal(waiting.background, 'warning');
    // Seeded from an earlier window's snapshot and not read again yet: marked stale, without the warning colour.
    const seeded = status({}, { status: 'Succeeded' });
    const kept = statusBarView({ env: prod, status: { ...seeded, stale: [{ part: 'parameters', asOf: seeded.fetchedAt }] }, now: new Date(seeded.fetchedAt.getTime() + 180_000) });
    assert.equal(kept.text, '$(history) spryker-prod aaaaaaa (stale)');
    assert.equal(kept.background, undefined);
    assert.match(kept.tooltip, /earlier window: not read again yet[\s\S]*\(3 min ago\)/);
    assert.equal(statusBarEnvironment([staging, prod], '')?.name, 'spryker-prod');
    assert.equal(statusBarEnvironment([staging, prod], 'spryker-staging')?.name, 'spryker-staging');
  });
});

describe('rollback pick', () => {
  it('says who deployed a version: the approvers and the starter from the history, never the build role', () => {
    const role = 'arn:aws:sts::123456789012:assumed-role/codebuild-spryker-prod-service-role/AWSCodeBuild-3935ecfd-1b2c-4d5e-8f90-123456789abc';
    const entry = { startedBy: 'john.roe', decisions: [{ action: 'Approval', decision: 'Approved' as const, by: 'jane.doe' }] };
    assert.equal(whoDeployed(entry, role), 'approved by jane.doe, started by john.roe');
    assert.equal(whoDeployed({ decisions: [{ action: 'QA', decision: 'Approved' as const, by: 'qa.lead' }, { action: 'PO', decision: 'Approved' as const, by: 'po' }] }, role), 'approved by qa.lead and po');
    assert.equal(whoDeployed(undefined, role), undefined, 'the build role is nobody');
    assert.equal(whoDeployed({ decisions: [] }, 'arn:aws:sts::1:assumed-role/SprykerDeploy/jane.doe'), 'by jane.doe (SprykerDeploy)');
  });
  it('names the person behind an assumed-role ARN', () => {
    assert.equal(whoFromArn('arn:aws:sts::000000000000:assumed-role/SprykerDeploy/jane.doe'), 'jane.doe (SprykerDeploy)');
    assert.equal(whoFromArn('arn:aws:iam::1:user/ops/john'), 'john');
    assert.equal(whoFromArn('someone'), 'someone');
  });
});

describe('stopping to follow a deploy', () => {
  it('says the deploy goes on and where to watch it', () => {
    const message = followStoppedMessage('spryker-prod', 'exec-1', A);
    assert.match(message, /^Stopped following the deployment of aaaaaaa to spryker-prod\./);
    assert.match(message, /not cancelled/);
    assert.match(message, /keeps running/);
    assert.match(message, /Environments view or the approval panel/);
    assert.match(followStoppedMessage('spryker-prod', 'exec-1', undefined), /execution exec-1 of spryker-prod/);
  });
});

describe('finished deployments', () => {
  const base = { envName: 'spryker-staging', what: 'bbbbbbb "Fix cart"', desiredParameter: '/spryker-staging/desired_version', rolledBack: [] as string[] };
  const failed = { kind: 'failed' as const, stage: 'Run_install', action: 'Run_install', message: 'Build terminated with state: FAILED' };

  it('tells a failure as an error naming stage and reason, with Show Log, Retry and Roll Back', () => {
    const n = finishedNotice({ ...base, outcome: failed, desiredVersion: B, deployedVersion: A, canModify: true });
    assert.equal(n.severity, 'error');
    assert.equal(n.message, 'spryker-staging: deployment of bbbbbbb "Fix cart" failed at Run_install: Build terminated with state: FAILED.');
    assert.deepEqual(n.actions, ['Show Log', 'Retry', 'Roll Back']);
  });
  it('offers only Show Log after a failure in an untrusted workspace', () => {
    assert.deepEqual(finishedNotice({ ...base, outcome: failed, canModify: false }).actions, ['Show Log']);
  });
  it('says which services ECS rolled back and that the deployed version runs there', () => {
    const n = finishedNotice({ ...base, outcome: { ...failed, stage: 'Deploy_Spryker_services' }, deployedVersion: A, canModify: true, rolledBack: ['spryker-staging-yves'] });
    assert.match(n.message, /ECS rolled back spryker-staging-yves: aaaaaaa runs there\.$/);
  });
  it('tells a rejection as a neutral fact with who and why, and offers to restore desired_version', () => {
    const n = finishedNotice({ ...base, outcome: { kind: 'rejected', by: 'jane.doe', comment: 'not today' }, desiredVersion: B, deployedVersion: A, canModify: true });
    assert.equal(n.severity, 'info');
    assert.equal(n.message, 'spryker-staging: deployment of bbbbbbb "Fix cart" rejected by jane.doe: not today. /spryker-staging/desired_version still holds bbbbbbb; aaaaaaa is deployed.');
    assert.deepEqual(n.actions, ['Restore aaaaaaa']);
    assert.deepEqual(finishedNotice({ ...base, outcome: { kind: 'rejected' }, desiredVersion: A, deployedVersion: A, canModify: true }).actions, [], 'nothing to restore');
    assert.deepEqual(finishedNotice({ ...base, outcome: { kind: 'rejected' }, desiredVersion: B, deployedVersion: A, canModify: false }).actions, [], 'read-only');
  });
  it('tells a stop with its reason and a supersession with the newer execution and who started it', () => {
    const stopped = finishedNotice({ ...base, outcome: { kind: 'stopped', stage: 'Please_approve', reason: 'Hotfix first' }, desiredVersion: B, deployedVersion: A, canModify: true });
    assert.equal(stopped.severity, 'warning');
    assert.match(stopped.message, /^spryker-staging: deployment of bbbbbbb "Fix cart" was stopped at Please_approve: Hotfix first\. /);
    assert.deepEqual(stopped.actions, ['Restore aaaaaaa']);
    const superseded = finishedNotice({ ...base, outcome: { kind: 'superseded', by: 'e2', startedBy: 'jane.doe' }, canModify: true });
    assert.equal(superseded.message, 'spryker-staging: deployment of bbbbbbb "Fix cart" was superseded by execution e2 (started by jane.doe).');
    assert.equal(superseded.severity, 'info');
  });
  it('tells an expired approval as a warning that nothing was deployed', () => {
    const n = finishedNotice({ ...base, outcome: { kind: 'expired', stage: 'Please_approve' }, desiredVersion: B, deployedVersion: A, canModify: true });
    assert.equal(n.severity, 'warning');
    assert.match(n.message, /the approval of .* expired; nothing was deployed/);
  });
  it('shows a rejection neutrally in the tree and the status bar, a failure with its stage', () => {
    const rejected = status({ desiredVersion: B }, { status: 'Failed', executionId: 'e1', outcome: { kind: 'rejected', by: 'jane.doe', comment: 'not today' } });
    assert.match(environmentSummary(rejected), /Rejected by jane\.doe/);
    assert.doesNotMatch(environmentSummary(rejected), /failed/i);
    const bar = statusBarView({ env: prod, status: rejected });
    assert.match(bar.text, /^\$\(circle-slash\)/);
    assert.notEqual(bar.background, 'error');
    const broken = status({ desiredVersion: B }, { status: 'Failed', executionId: 'e1', outcome: failed });
    assert.match(environmentSummary(broken), /Failed at Run_install/);
    assert.equal(statusBarView({ env: prod, status: broken }).background, 'error');
    assert.ok(contextTokens({ kind: 'pipeline', env: prod, name: prod.pipelines.normal, pipeline: broken.pipeline }, { canModify: true }).includes('canRetry'));
    assert.ok(!contextTokens({ kind: 'pipeline', env: prod, name: prod.pipelines.normal, pipeline: rejected.pipeline }, { canModify: true }).includes('canRetry'));
  });
});

describe('after a deploy that failed part-way (tree, notification)', () => {
  const C = 'c'.repeat(40);
  const svc = (name: string, runs: string, drift: 'in-sync' | 'failed-deploy', failed = false) => ({
    name,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    deployments: [{ id: `ecs-svc/${name}`, status: 'PRIMARY', taskDefinition: `${name}:1`, desiredCount: 1, runningCount: 1, pendingCount: 0, images: [] }],
    images: [{ container: 'app', image: `r:${runs}`, tag: runs }],
    tasks: [],
    runningVersions: [runs],
    drift,
    ...(failed ? { failedDeployment: { id: 'ecs-svc/9', status: 'INACTIVE', taskDefinition: `${name}:2`, rolloutState: 'FAILED' as const, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', desiredCount: 0, runningCount: 0, pendingCount: 0, images: [] } } : {}),
    ...(failed ? { events: [{ message: '(service yves) rolling back to deployment ecs-svc/1.' }] } : {}),
  });
  const split = status(
    { desiredVersion: B, lastDeployedVersion: A, services: [svc('spryker-prod-yves', A, 'in-sync', true), svc('spryker-prod-zed', B, 'failed-deploy'), svc('spryker-prod-glue', B, 'failed-deploy')] },
    { status: 'Failed', executionId: 'e1', outcome: { kind: 'failed', stage: 'Deploy_Spryker_services', message: 'circuit breaker' } },
  );
  const envNode = { kind: 'environment' as const, env: prod, status: split, refreshing: false };

  it('the environment row says what runs where, not "drifted"; a "Runs now" row leads with the parameters and what to do', () => {
    const summary = environmentSummary(split);
    assert.equal(summary, 'aaaaaaa → bbbbbbb · Failed at Deploy_Spryker_services · services: 2 on bbbbbbb, 1 rolled back to aaaaaaa');
    const plain = (markdown: string) => markdown.replace(/\\(.)/g, '$1');
    const tip = plain(present(envNode, { canModify: true }).tooltip);
    assert.match(tip, /Runs now: bbbbbbb \(the version of the failed deploy\)/);
    assert.match(tip, /What to do:\*\* Roll Back to aaaaaaa/);
    const [first] = childrenOf(envNode, () => undefined);
    assert.equal(first.kind, 'runs-now');
    const row = present(first, { canModify: true });
    assert.equal(row.label, 'Runs now');
    assert.equal(row.description, '2 on bbbbbbb, 1 rolled back to aaaaaaa');
    assert.match(plain(row.tooltip), /desired_version holds bbbbbbb/);
    assert.ok(['canRollback', 'canRetry', 'hasLog'].every((t) => row.contextValue.split(' ').includes(t)), row.contextValue);
    assert.ok(!present(first, { canModify: false }).contextValue.includes('canRollback'));
    // Roll Back from the row preselects the last good version.
    assert.equal(commandTarget('sprykerDeploy.rollback', [first]).commit, A);
    const services = childrenOf(envNode, () => undefined).find((n) => n.kind === 'services')!;
    assert.equal(present(services, { canModify: true }).description, '3 · 2 on the failed version · 1 rolled back');
    const zed = childrenOf(services, () => undefined).find((n) => n.kind === 'service' && n.service.name === 'spryker-prod-zed')!;
    assert.doesNotMatch(present(zed, { canModify: true }).tooltip, /another version than the deployed one/);
    assert.equal(status({ desiredVersion: C }, { status: 'Succeeded' }).services.length, 0);
  });

  it('a rolled-back service lists its stopped tasks (read when shown) and its ECS events; a healthy one neither', () => {
    const services = childrenOf(envNode, () => undefined).find((n) => n.kind === 'services')!;
    const [yves, zed] = childrenOf(services, () => undefined);
    const kids = childrenOf(yves, () => undefined);
    assert.deepEqual(kids.slice(0, 2).map((k) => k.kind), ['stopped-tasks', 'service-events']);
    assert.equal(present(kids[0], { canModify: true }).collapsible, 'expanded');
    const events = childrenOf(kids[1], () => undefined);
    assert.equal(present(events[0], { canModify: true }).label, '(service yves) rolling back to deployment ecs-svc/1.');
    assert.ok(!childrenOf(zed, () => undefined).some((k) => k.kind === 'stopped-tasks' || k.kind === 'service-events'));
    const stopped = present(
      { kind: 'stopped-task', env: prod, serviceName: 'spryker-prod-yves', task: { id: 't1', taskDefinition: 'yves:2', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'yves', exitCode: 1 }] } },
      { canModify: true },
    );
    assert.equal(stopped.label, 'Essential container in task exited');
    assert.equal(stopped.description, 'yves exit 1');
    assert.match(stopped.tooltip, /Container yves: exit code 1/);
  });

  it('the failure notification says what runs, how the parameters disagree and what to do', () => {
    const n = finishedNotice({
      envName: 'spryker-prod',
      what: 'bbbbbbb',
      outcome: { kind: 'failed', stage: 'Deploy_Spryker_services', message: 'circuit breaker' },
      desiredVersion: B,
      deployedVersion: A,
      desiredParameter: '/spryker-prod/desired_version',
      canModify: true,
      rolledBack: ['spryker-prod-yves'],
      leftovers: { short: '', runsNow: 'Runs now: X.', parameters: 'P.', advice: 'Roll Back to aaaaaaa.' },
    });
    assert.equal(n.message, 'spryker-prod: deployment of bbbbbbb failed at Deploy_Spryker_services: circuit breaker. Runs now: X. P. Roll Back to aaaaaaa.');
    assert.deepEqual(n.actions, ['Show Log', 'Retry', 'Roll Back']);
  });
});

describe('read-only mode in the manifest', () => {
  const CHANGING = ['sprykerDeploy.deploy.head', 'sprykerDeploy.deploy.commit', 'sprykerDeploy.commit.deployTo', 'sprykerDeploy.rollback', 'sprykerDeploy.approval.approve', 'sprykerDeploy.approval.reject'];
  it('shows the commands that change AWS only where the workspace may modify (a context key or a can* token)', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    let checked = 0;
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries.filter((e) => CHANGING.includes(e.command))) {
        checked++;
        const when = entry.when ?? '';
        // Tree menus hold the token regex as text (`viewItem =~ /\bcanDeploy\b/`), hence the escaped backslashes.
        assert.ok(when === 'false' || /\bsprykerDeploy\.canModify\b/.test(when) || /\\b(canDeploy|canRollback|canApprove)\\b/.test(when), `${menu}: ${entry.command} shows in read-only mode (when: "${when}")`);
      }
    }
    assert.ok(checked >= CHANGING.length, `only ${checked} menu entries checked`);
  });

  it('offers Deploy HEAD only where a Git repository is open (it has no HEAD in a folder that is none)', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const entries = Object.values(manifest.contributes.menus).flatMap((m) => m.filter((e) => e.command === 'sprykerDeploy.deploy.head'));
    assert.ok(entries.length >= 3, 'palette, view title and item menus');
    for (const e of entries) assert.match(e.when ?? '', /&& sprykerDeploy\.git == ready$/, `when: "${e.when}"`);
  });

  it('gives the Commits view Restricted Mode as the cause when Git is off in an untrusted folder, not a disabled Git extension', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { viewsWelcome: { view: string; contents: string; when: string }[] } };
    const unavailable = manifest.contributes.viewsWelcome.filter((w) => w.view === 'sprykerDeploy.commits' && w.when.includes('sprykerDeploy.git == unavailable'));
    assert.deepEqual(unavailable.map((w) => /isWorkspaceTrusted/.exec(w.when) && (w.when.includes('!isWorkspaceTrusted') ? 'untrusted' : 'trusted')).sort(), ['trusted', 'untrusted']);
    const untrusted = unavailable.find((w) => w.when.includes('!isWorkspaceTrusted'));
    assert.match(untrusted?.contents ?? '', /Restricted Mode/);
    assert.match(untrusted?.contents ?? '', /command:workbench\.trust\.manage/);
    assert.doesNotMatch(untrusted?.contents ?? '', /disabled or unavailable/);
  });

  it('says that Restricted Mode ignores the workspace settings\' environments when none is configured in an untrusted folder', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { viewsWelcome: { view: string; contents: string; when: string }[] } };
    const none = manifest.contributes.viewsWelcome.filter((w) => w.view === 'sprykerDeploy.environments' && w.when.includes('sprykerDeploy.state == noEnvironments'));
    // Exactly one of the two shows in any trust state: one needs a trusted folder, the other an untrusted one.
    assert.deepEqual(none.map((w) => (w.when.includes('!isWorkspaceTrusted') ? 'untrusted' : w.when.includes('isWorkspaceTrusted') ? 'trusted' : 'either')).sort(), ['trusted', 'untrusted']);
    const untrusted = none.find((w) => w.when.includes('!isWorkspaceTrusted'));
    assert.match(untrusted?.contents ?? '', /Restricted Mode, which ignores its workspace settings/);
    assert.match(untrusted?.contents ?? '', /command:workbench\.trust\.manage/);
    // Configuring still works there: it writes to user settings (setupCommands), so it stays offered.
    assert.match(untrusted?.contents ?? '', /command:sprykerDeploy\.environments\.configure/);
  });
});

describe('SSO sign-in terminal', () => {
  it('starts aws with the profile as one argument, without a shell command line to quote', () => {
    for (const profile of ['dev', "it's prod", 'a b;rm -rf ~', '$(whoami)']) {
      const t = ssoLoginTerminal(profile);
      assert.equal(t.shellPath, 'aws');
      assert.deepEqual(t.shellArgs, ['sso', 'login', '--profile', profile]);
    }
  });
});

describe('settings a workspace cannot weaken', () => {
  it('declares confirm.* and polling.* application-scoped, so a repository settings file cannot lower them', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    const guarded = Object.entries(manifest.contributes.configuration.properties).filter(([key]) => /^sprykerDeploy\.(confirm|polling)\./.test(key));
    assert.deepEqual(
      guarded.map(([key]) => key).sort(),
      ['sprykerDeploy.confirm.nonProduction', 'sprykerDeploy.confirm.production', 'sprykerDeploy.polling.activeSeconds', 'sprykerDeploy.polling.idleSeconds'],
    );
    for (const [key, schema] of guarded) assert.equal(schema.scope, 'application', `${key} can be set by a workspace`);
  });
});

describe('outage: the last known state, marked stale', () => {
  const readAt = new Date('2026-11-26T10:00:00Z');
  const now = new Date('2026-11-26T10:07:30Z');
  const error: PartError = { part: 'parameters', code: 'network', message: 'Cannot reach AWS for SSM GetParameters (ECONNRESET)' };
  const kept = status(
    {
      fetchedAt: new Date('2026-11-26T10:07:00Z'),
      errors: [error, { ...error, part: 'pipeline' }, { ...error, part: 'services' }],
      stale: [
        { part: 'parameters', asOf: readAt, error },
        { part: 'pipeline', asOf: readAt, error: { ...error, part: 'pipeline' } },
        { part: 'services', asOf: readAt, error: { ...error, part: 'services' } },
      ],
    },
    { status: 'Succeeded' },
  );

  it('the environment row keeps its versions and says how old they are and why (never "Never deployed")', () => {
    const row = present({ kind: 'environment', env: prod, status: kept, refreshing: false }, { canModify: true }, now);
    assert.equal(row.description, 'aaaaaaa · Up to date · last read 7 min ago · Network error');
    assert.match(row.tooltip, /Shown as last read 2026-11-26 10:00 UTC; AWS could not be reached since: Cannot reach AWS/);
  });

  it('the version, pipeline and services rows show the kept values marked stale; their age and reason, alike for all, are said once on the environment row', () => {
    const [age, desired, , pipeline, services] = childrenOf({ kind: 'environment', env: prod, status: kept, refreshing: false }, () => undefined);
    // First, a row of its own says how old and why, where the sidebar's width does not cut it off.
    assert.equal(age.kind, 'kept');
    const ageRow = present(age, { canModify: true }, now);
    assert.equal(ageRow.label, 'Last read 7 min ago');
    assert.equal(ageRow.description, 'Network error');
    assert.equal(ageRow.icon.id, 'warning');
    for (const node of [desired, pipeline, services]) {
      const row = present(node, { canModify: true }, now);
      assert.equal(row.icon.id, 'warning', node.kind);
      assert.match(row.tooltip ?? '', /Shown as last read 2026-11-26 10:00 UTC; AWS could not be reached since: Cannot reach AWS/, node.kind);
    }
    assert.equal(present(desired, { canModify: true }, now).description, 'aaaaaaa');
    assert.equal(present(pipeline, { canModify: true }, now).description, 'Succeeded');
    assert.equal(present(services, { canModify: true }, now).description, '0');
  });

  it('the Maintenance row keeps the state it read before the pipelines stopped answering, marked like the other kept rows', () => {
    const maintenanceReadAt = new Date('2026-11-26T09:59:30Z');
    const kids = childrenOf({ kind: 'environment', env: prod, status: kept, refreshing: false }, () => undefined, { maintenance: { kind: 'off' }, maintenanceReadAt });
    const row = present(kids.find((k) => k.kind === 'maintenance')!, { canModify: true }, now);
    assert.equal(row.description, 'off', 'its age and reason are said on the environment\'s kept row');
    assert.equal(row.icon.id, 'warning');
    assert.match(row.tooltip ?? '', /Shown as last read 2026-11-26 09:59 UTC; AWS could not be reached since: Cannot reach AWS/);
    // Only the pipelines unreachable: the row says it itself.
    const pipelineError: PartError = { ...error, part: 'pipeline', message: 'Cannot reach AWS for CodePipeline GetPipelineState (ECONNRESET)' };
    const partly = status({ errors: [pipelineError], stale: [{ part: 'pipeline', asOf: readAt, error: pipelineError }] }, { status: 'Succeeded' });
    const alone = childrenOf({ kind: 'environment', env: prod, status: partly, refreshing: false }, () => undefined, { maintenance: { kind: 'off' }, maintenanceReadAt });
    assert.equal(present(alone.find((k) => k.kind === 'maintenance')!, { canModify: true }, now).description, 'off · last read 8 min ago · Network error');
    // A state read as unknown says its own reason; a fresh read is not marked.
    const unknown = childrenOf({ kind: 'environment', env: prod, status: kept, refreshing: false }, () => undefined, { maintenance: { kind: 'unknown', reason: 'x' }, maintenanceReadAt });
    assert.equal(present(unknown.find((k) => k.kind === 'maintenance')!, { canModify: true }, now).description, 'unknown');
    const fresh = childrenOf({ kind: 'environment', env: prod, status: status({}, { status: 'Succeeded' }), refreshing: false }, () => undefined, { maintenance: { kind: 'off' }, maintenanceReadAt });
    assert.equal(present(fresh.find((k) => k.kind === 'maintenance')!, { canModify: true }, now).icon.id, 'tools');
  });

  it('a part kept alone (only ECS could not be read) says its age and reason on its own row', () => {
    const servicesError: PartError = { ...error, part: 'services', message: 'Cannot reach AWS for ECS ListServices (ECONNRESET)' };
    const partly = status({ errors: [servicesError], stale: [{ part: 'services', asOf: readAt, error: servicesError }] }, { status: 'Succeeded' });
    const [desired, , pipeline, services] = childrenOf({ kind: 'environment', env: prod, status: partly, refreshing: false }, () => undefined);
    assert.equal(desired.kind, 'version', 'no row of its own for one part');
    assert.equal(present(services, { canModify: true }, now).description, '0 · last read 7 min ago · Network error');
    assert.equal(present(services, { canModify: true }, now).icon.id, 'warning');
    assert.equal(present(desired, { canModify: true }, now).description, 'aaaaaaa', 'fresh parts are not marked');
    assert.equal(present(pipeline, { canModify: true }, now).description, 'Succeeded');
  });

  it("a reopened window's kept rows (being read again, no error) have the history icon, not the outage's warning", () => {
    const seeded = status({ fetchedAt: readAt, stale: [{ part: 'parameters', asOf: readAt }, { part: 'pipeline', asOf: readAt }, { part: 'services', asOf: readAt }] }, { status: 'Succeeded' });
    const [age, desired, deployed, pipeline, services] = childrenOf({ kind: 'environment', env: prod, status: seeded, refreshing: false }, () => undefined);
    assert.equal(age.kind, 'kept');
    for (const node of [age, desired, deployed, pipeline, services]) assert.equal(present(node, { canModify: true }, now).icon.id, 'history', node.kind);
  });

  it('an environment whose versions could not be read is not said to be never deployed', () => {
    const unread = status({ desiredVersion: undefined, lastDeployedVersion: undefined, errors: [error] });
    assert.equal(environmentSummary(unread), '— · Versions not read');
    const neverSet = status({ desiredVersion: undefined, lastDeployedVersion: undefined, errors: [{ ...error, code: 'not-found' }] });
    assert.equal(environmentSummary(neverSet), '— · Never deployed');
  });

  it("the status bar keeps production's version, marked stale with the time of the last read", () => {
    const view = statusBarView({ env: prod, status: kept, now });
    assert.equal(view.text, '$(history) spryker-prod aaaaaaa (stale)');
    assert.equal(view.background, 'warning');
    assert.match(view.tooltip, /Could not reach AWS: Cannot reach AWS for SSM GetParameters/);
    assert.match(view.tooltip, /Last read 2026-11-26 10:00 UTC \(7 min ago\)/);
    assert.equal(statusBarView({ env: prod, status: status({}, { status: 'Succeeded' }), now }).text, '$(cloud) spryker-prod aaaaaaa');
  });
});

describe('a reopened window: the last known state of an earlier window, until read again', () => {
  const readAt = new Date('2026-11-26T10:00:00Z');
  const now = new Date('2026-11-26T10:03:10Z');
  const seeded = status({ fetchedAt: readAt, stale: [{ part: 'parameters', asOf: readAt }, { part: 'pipeline', asOf: readAt }, { part: 'services', asOf: readAt }] }, { status: 'Succeeded' });

  it('every row shows the kept values with their age, being read again, no error and never "Never deployed"', () => {
    const row = present({ kind: 'environment', env: prod, status: seeded, refreshing: true }, { canModify: true }, now);
    assert.equal(row.description, 'aaaaaaa · Up to date · as of 3 min ago, refreshing');
    assert.match(row.tooltip, /Shown as read 2026-11-26 10:00 UTC \(kept from an earlier window\); being read again now/);
    // Its children carry the history icon and say so on hover; the age, alike for all, is said once on its row.
    const [age, desired, , pipeline] = childrenOf({ kind: 'environment', env: prod, status: seeded, refreshing: true }, () => undefined);
    const ageRow = present(age, { canModify: true }, now);
    assert.equal(`${ageRow.label} · ${ageRow.description}`, 'As of 3 min ago · refreshing');
    assert.equal(ageRow.icon.id, 'history');
    assert.equal(present(desired, { canModify: true }, now).description, 'aaaaaaa');
    assert.equal(present(pipeline, { canModify: true }, now).description, 'Succeeded');
    for (const node of [desired, pipeline]) {
      assert.equal(present(node, { canModify: true }, now).icon.id, 'history', node.kind);
      assert.match(present(node, { canModify: true }, now).tooltip ?? '', /Shown as read 2026-11-26 10:00 UTC \(kept from an earlier window\); being read again now/, node.kind);
    }
  });

  it('a first read that failed as a whole says the error on the row, with the age of what it shows', () => {
    const row = present({ kind: 'environment', env: prod, status: seeded, refreshing: false, error: new DeployError('network', 'Cannot reach AWS (ECONNREFUSED)') }, { canModify: true }, now);
    assert.equal(row.description, 'aaaaaaa · Up to date · last read 3 min ago · Network error');
  });
});

describe('startup timeline (the first look in the log)', () => {
  it('logs each step once, with the milliseconds since activation and the wall-clock time it happened', () => {
    const lines: string[] = [];
    const timeline = new StartupTimeline({ info: (line: string) => void lines.push(line) });
    timeline.mark('activated');
    timeline.mark('first read started', 'spryker-prod');
    timeline.mark('first read started', 'spryker-staging');
    timeline.mark('activated');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^\[startup\] \+\d+ ms \(\d{4}-\d\d-\d\dT[\d:.]+Z\) activated$/);
    assert.match(lines[1], /^\[startup\] \+\d+ ms \(.+Z\) first read started: spryker-prod$/);
  });
});
