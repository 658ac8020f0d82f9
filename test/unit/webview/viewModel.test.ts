import assert from 'node:assert/strict';
import { noRepositoryReason } from '../../../src/vscode/git/availability';
import { defaultEnvironment } from '../../../src/core/environments';
import type { CommitInfo, GitPort } from '../../../src/core/git';
import type { ApprovalDetails, EnvironmentStatus, PipelineStatus, ServiceStatus } from '../../../src/core/model';
import {
  MAX_COMMITS_SHOWN,
  buildApprovalViewModel,
  comparedVersions,
  failureKey,
  failureView,
  isRevertSubject,
  serviceFailureLines,
  loadGitFacts,
  promotionView,
  riskView,
  servicesThatChange,
  timeline,
  type GitFacts,
} from '../../../src/vscode/approval/viewModel';
import { environmentStatus, serviceStatus } from '../statusFixtures';

const RUNNING = '1'.repeat(40);
const TARGET = '2'.repeat(40);
const OTHER = '3'.repeat(40);
const config = defaultEnvironment('spryker-prod');
const t = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute, 0));

function pipeline(overrides: Partial<PipelineStatus> = {}): PipelineStatus {
  return {
    name: 'NORMAL_Deploy_Spryker_spryker-prod',
    status: 'InProgress',
    executionId: 'exec-2',
    stages: [
      { name: 'Source', status: 'Succeeded', executionId: 'exec-2', actions: [{ name: 'Spryker_App_Src', status: 'Succeeded', lastStatusChange: t(0) }] },
      {
        name: 'Prepare_versions_information_for_Approval_stage',
        status: 'Succeeded',
        executionId: 'exec-2',
        actions: [{ name: 'Prepare', status: 'Succeeded', lastStatusChange: t(3) }],
      },
      {
        name: 'Please_approve',
        status: 'InProgress',
        executionId: 'exec-2',
        actions: [{ name: 'Approval', status: 'InProgress', lastStatusChange: t(4), token: 'tok-1' }],
      },
      // Still showing the previous execution's result: it has not run in exec-2.
      { name: 'Deploy_Spryker_services', status: 'Succeeded', executionId: 'exec-1', actions: [{ name: 'Deploy', status: 'Succeeded', lastStatusChange: t(1) }] },
    ],
    ...overrides,
  };
}

function details(overrides: Partial<ApprovalDetails> = {}): ApprovalDetails {
  return {
    approval: {
      pipelineName: 'NORMAL_Deploy_Spryker_spryker-prod',
      stageName: 'Please_approve',
      actionName: 'Approval',
      token: 'tok-1',
      executionId: 'exec-2',
      version: TARGET,
    },
    comparison: {
      deploymentVersion: TARGET,
      latestDeployedVersion: RUNNING,
      lines: [`Deploymnet version ${TARGET}`, `Latest deployed version ${RUNNING}`],
      logGroup: '/aws/codebuild/spryker-prod',
    },
    desiredVersion: TARGET,
    lastDeployedVersion: RUNNING,
    pipeline: pipeline(),
    ...overrides,
  };
}

function service(name: string, tags: string[], running: string[] = tags): ServiceStatus {
  return serviceStatus(name, { images: tags.map((tag, i) => ({ container: `c${i}`, image: `repo/${name}:${tag}`, tag })), runningVersions: running });
}

function status(overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return environmentStatus(t(5), {
    desiredVersion: TARGET,
    lastDeployedVersion: RUNNING,
    lastDeployedParameter: '/spryker-prod/last_deployed_version',
    pipeline: pipeline(),
    ...overrides,
  });
}

function commit(sha: string, subject: string, parents = 1): CommitInfo {
  return { sha, subject, author: 'Ada', date: t(0), parents: Array.from({ length: parents }, (_, i) => `${i}`.repeat(40)) };
}

const noGit: GitFacts = { repository: false, missing: [] };

describe('approval view model', () => {
  it('takes the versions from the parameters first and the log only as a fallback', () => {
    assert.deepEqual(comparedVersions(details(), undefined), { running: RUNNING, target: TARGET });
    const logOnly = details({ desiredVersion: undefined, lastDeployedVersion: undefined, approval: { ...details().approval, version: undefined } });
    assert.deepEqual(comparedVersions(logOnly, undefined), { running: RUNNING, target: TARGET });
    assert.deepEqual(comparedVersions(undefined, status({ desiredVersion: OTHER })), { running: RUNNING, target: OTHER });
  });

  describe('disagreement with the parameters', () => {
    it('is not flagged when the log and the parameters say the same (case-insensitively)', () => {
      const d = details({ comparison: { ...details().comparison!, deploymentVersion: TARGET.toUpperCase() } });
      const vm = buildApprovalViewModel({ config, details: d, git: noGit, canModify: true, now: t(6) });
      assert.equal(vm.comparison.disagrees, false);
      assert.deepEqual(vm.comparison.disagreements, []);
    });

    it('is flagged when the log deploys another version than desired_version', () => {
      const d = details({ comparison: { ...details().comparison!, deploymentVersion: OTHER } });
      const vm = buildApprovalViewModel({ config, details: d, git: noGit, canModify: true, now: t(6) });
      assert.equal(vm.comparison.disagrees, true);
      assert.equal(vm.comparison.disagreements.length, 1);
      assert.match(vm.comparison.disagreements[0], /3333333.*\/spryker-prod\/desired_version is 2222222\./);
    });

    it('is flagged when the log names another deployed version than the parameter, naming the spelling found', () => {
      const d = details({ comparison: { ...details().comparison!, latestDeployedVersion: OTHER } });
      const vm = buildApprovalViewModel({
        config,
        details: d,
        status: status({ lastDeployedParameter: '/spryker-prod/lastdeployedversion' }),
        git: noGit,
        canModify: true,
        now: t(6),
      });
      assert.equal(vm.comparison.disagrees, true);
      assert.match(vm.comparison.disagreements[0], /lastdeployedversion is 1111111\./);
    });

    it('is not flagged when the log has no comparison, and carries the reason', () => {
      const d = details({ comparison: undefined, comparisonError: 'No log stream for the build.' });
      const vm = buildApprovalViewModel({ config, details: d, git: noGit, canModify: true, now: t(6) });
      assert.equal(vm.comparison.disagrees, false);
      assert.equal(vm.comparison.error, 'No log stream for the build.');
      assert.deepEqual(vm.comparison.lines, []);
    });
  });

  describe('services whose images change', () => {
    it('lists services running another version, ignoring sidecars with non-sha tags and services already on the target', () => {
      const s = status({
        services: [
          service('spryker-prod-zed', [RUNNING, 'nginx-1.25']),
          service('spryker-prod-yves', [TARGET]),
          service('spryker-prod-backoffice', [RUNNING], [RUNNING, TARGET]),
          service('spryker-prod-redis', ['7.2']),
        ],
      });
      assert.deepEqual(servicesThatChange(s, TARGET), [
        { name: 'spryker-prod-backoffice', from: [RUNNING, TARGET], to: TARGET },
        { name: 'spryker-prod-zed', from: [RUNNING], to: TARGET },
      ]);
    });

    it('is unknown (not "none") without a status, with a services error, or for a non-sha target', () => {
      assert.equal(servicesThatChange(undefined, TARGET), undefined);
      assert.equal(servicesThatChange(status({ errors: [{ part: 'services', code: 'access-denied', message: 'y' }] }), TARGET), undefined);
      assert.equal(servicesThatChange(status({ services: [service('a', [RUNNING])] }), 'latest'), undefined);
      assert.deepEqual(servicesThatChange(status({ services: [service('a', [TARGET])] }), TARGET), []);
    });
  });

  describe('commits', () => {
    it('recognises merges by their parents and reverts by their subject', () => {
      const git: GitFacts = {
        repository: true,
        missing: [],
        commits: [commit(TARGET, 'Merge pull request #12 from feature/x', 2), commit(OTHER, 'Revert "Add checkout step"'), commit('4'.repeat(40), 'Add checkout step')],
        filesChanged: 17,
      };
      const vm = buildApprovalViewModel({ config, details: details(), git, canModify: true, now: t(6) });
      assert.equal(vm.commits.kind, 'list');
      if (vm.commits.kind !== 'list') return;
      assert.deepEqual(
        vm.commits.commits.map((c) => [c.isMerge, c.isRevert]),
        [
          [true, false],
          [false, true],
          [false, false],
        ],
      );
      assert.equal(vm.commits.commits[0].date, t(0).toISOString());
      assert.equal(vm.filesChanged, 17);
      assert.ok(isRevertSubject('revert: undo the cache change'));
      assert.ok(!isRevertSubject('Reverting is not what this does'));
    });

    it('caps a long list and reports the total', () => {
      const many = Array.from({ length: MAX_COMMITS_SHOWN + 5 }, (_, i) => commit(i.toString(16).padStart(40, '0'), `c${i}`));
      const vm = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [], commits: many }, canModify: true, now: t(6) });
      assert.ok(vm.commits.kind === 'list' && vm.commits.commits.length === MAX_COMMITS_SHOWN && vm.commits.total === MAX_COMMITS_SHOWN + 5);
    });

    it('says which version is missing locally instead of an empty list', () => {
      const vm = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [TARGET] }, canModify: true, now: t(6) });
      assert.deepEqual(vm.commits, { kind: 'missing', missing: [TARGET] });
      assert.equal(vm.target.missingLocally, true);
      assert.equal(vm.running.missingLocally, false);
      assert.equal(vm.filesChanged, undefined);
    });

    it('distinguishes no repository, the same version, and a non-sha version', () => {
      assert.equal(buildApprovalViewModel({ config, details: details(), git: noGit, canModify: true, now: t(6) }).commits.kind, 'no-repository');
      const same = details({ lastDeployedVersion: TARGET });
      assert.equal(buildApprovalViewModel({ config, details: same, git: noGit, canModify: true, now: t(6) }).commits.kind, 'same-version');
      const latest = details({ approval: { ...details().approval, version: 'latest' } });
      const vm = buildApprovalViewModel({ config, details: latest, git: noGit, canModify: true, now: t(6) });
      assert.equal(vm.commits.kind, 'unknown');
      assert.ok(vm.commits.kind === 'unknown' && vm.commits.reason.includes('"latest"'));
    });
  });

  describe('risk section', () => {
    it('shows one entry per category with files and module versions, and the rollback warning', () => {
      const view = riskView({
        summary: {
          categories: [
            { id: 'schema', title: 'Database schema', files: ['a.schema.xml'] },
            { id: 'modules', title: 'Spryker modules', files: ['composer.lock'], modules: [{ name: 'spryker/cart', from: '7.12.0', to: '8.0.0', change: 'upgrade', major: true }] },
          ],
          notes: [],
        },
        goesBack: true,
        rollbackWarning: 'Warning: crosses a schema change',
      });
      assert.deepEqual(view?.categories.map((c) => c.phrase), ['1 file', '1 (1 major)']);
      assert.deepEqual(view?.categories[1].modules, [{ name: 'spryker/cart', from: '7.12.0', to: '8.0.0', change: 'upgrade', major: true }]);
      assert.equal(view?.rollbackWarning, 'Warning: crosses a schema change');
    });

    it('is absent when the repository cannot tell, and empty (no section) when nothing risky changed', () => {
      assert.equal(riskView(undefined), undefined);
      assert.deepEqual(riskView({ summary: { categories: [], notes: [] }, goesBack: false })?.categories, []);
    });

    it('reaches the view model only together with the commit list it describes', () => {
      const risk = { summary: { categories: [{ id: 'deploy' as const, title: 'Deploy configuration', files: ['deploy.yml'] }], notes: [] }, goesBack: false };
      const withList = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [], commits: [], risk }, canModify: true, now: t(6) });
      assert.equal(withList.risk?.categories[0].id, 'deploy');
      const withoutList = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [RUNNING], risk }, canModify: true, now: t(6) });
      assert.equal(withoutList.risk, undefined);
    });
  });

  describe('how the last execution ended', () => {
    it('is said in the outcome\'s words (an expiry, a rejection, a stop), and not at all while one waits or runs', () => {
      const ended = (p: PipelineStatus) => buildApprovalViewModel({ config, pipeline: p, git: { repository: false, missing: [] }, canModify: true, now: t(6) }).pipeline.ended;
      assert.equal(ended(pipeline({ pendingApproval: undefined, status: 'Failed', outcome: { kind: 'expired', stage: 'Please_approve', message: 'The approval request expired' } })), 'Approval expired: The approval request expired');
      assert.equal(ended(pipeline({ pendingApproval: undefined, status: 'Failed', outcome: { kind: 'rejected', by: 'jane.doe' } })), 'Rejected by jane.doe');
      assert.equal(ended(pipeline({ pendingApproval: undefined, status: 'Stopped', outcome: { kind: 'stopped', stage: 'Please_approve' } })), 'Stopped at Please_approve');
      assert.equal(ended(pipeline({ status: 'InProgress', outcome: { kind: 'running', stage: 'Build' }, pendingApproval: undefined })), undefined);
    });
  });

  describe('the stages of an execution that ended at the approval', () => {
    const endedAtApproval = (outcome: PipelineStatus['outcome']) => {
      const stages = pipeline().stages.map((st) =>
        st.name === 'Please_approve' ? { ...st, status: 'Failed' as const, actions: [{ name: 'Approval', status: 'Failed' as const, lastStatusChange: t(5) }] } : st,
      );
      return buildApprovalViewModel({ config, pipeline: pipeline({ pendingApproval: undefined, status: 'Failed', stages, ...(outcome ? { outcome } : {}) }), git: { repository: false, missing: [] }, canModify: true, now: t(6) }).pipeline;
    };
    it('are Rejected, not Failed, after a rejection: the execution, the approval stage and its action', () => {
      const p = endedAtApproval({ kind: 'rejected', by: 'jane.doe', comment: 'not today' });
      assert.equal(p.status, 'Rejected');
      const approvalStage = p.stages.find((st) => st.name === 'Please_approve')!;
      assert.equal(approvalStage.status, 'Rejected');
      assert.deepEqual(approvalStage.actions.map((a) => a.status), ['Rejected']);
      assert.equal(p.stages.find((st) => st.name === 'Source')!.status, 'Succeeded');
    });
    it('are Expired after an expiry, and Failed when CodePipeline says Failed of anything else', () => {
      const expired = endedAtApproval({ kind: 'expired', stage: 'Please_approve', message: 'The approval request expired' });
      assert.equal(expired.status, 'Expired');
      assert.equal(expired.stages.find((st) => st.name === 'Please_approve')!.status, 'Expired');
      const failed = endedAtApproval({ kind: 'failed', stage: 'Please_approve' });
      assert.equal(failed.status, 'Failed');
      assert.equal(failed.stages.find((st) => st.name === 'Please_approve')!.status, 'Failed');
    });
  });

  describe('loadGitFacts', () => {
    function fakeGit(known: Record<string, CommitInfo>, between: readonly CommitInfo[] | undefined = []): GitPort & { calls: string[] } {
      const calls: string[] = [];
      return {
        calls,
        head: async () => undefined,
        commit: async (sha) => known[sha],
        commitsBetween: async (from, to) => {
          calls.push(`between ${from.slice(0, 1)}..${to.slice(0, 1)}`);
          return between;
        },
        filesChanged: async () => 3,
        changedFiles: async () => undefined,
        fileAt: async () => undefined,
        recent: async () => [],
        fetch: async () => undefined,
      };
    }

    it('reads both commits, the list and the file count', async () => {
      const git = fakeGit({ [RUNNING]: commit(RUNNING, 'old'), [TARGET]: commit(TARGET, 'new') }, [commit(TARGET, 'new')]);
      const facts = await loadGitFacts(git, { running: RUNNING, target: TARGET });
      assert.equal(facts.running?.subject, 'old');
      assert.equal(facts.target?.subject, 'new');
      assert.equal(facts.commits?.length, 1);
      assert.equal(facts.filesChanged, 3);
      assert.deepEqual(git.calls, ['between 1..2', 'between 2..1']);
    });

    it('a rollback: the commits the target undoes (running has them, target not), newest first, and its files', async () => {
      const git = fakeGit({ [RUNNING]: commit(RUNNING, 'new'), [TARGET]: commit(TARGET, 'old') });
      git.commitsBetween = async (from, to) => (from === RUNNING && to === TARGET ? [] : [commit(RUNNING, 'new')]);
      const facts = await loadGitFacts(git, { running: RUNNING, target: TARGET });
      assert.deepEqual(facts.commits, []);
      assert.deepEqual(facts.undone?.map((c) => c.subject), ['new']);
      assert.equal(facts.filesChanged, 3);
      const vm = buildApprovalViewModel({ config, details: details(), git: facts, canModify: true, now: t(6) });
      assert.ok(vm.commits.kind === 'list' && vm.commits.total === 0 && vm.commits.undoneTotal === 1 && vm.commits.undone[0].subject === 'new');
      assert.equal(vm.filesChanged, 3);
    });

    it('a shallow clone lacking a version: the commits say so, so the panel offers the full history, not a plain fetch', () => {
      const vm = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [RUNNING], shallow: true }, canModify: true, now: t(6) });
      assert.deepEqual(vm.commits, { kind: 'missing', missing: [RUNNING], shallow: true });
      const plain = buildApprovalViewModel({ config, details: details(), git: { repository: true, missing: [RUNNING] }, canModify: true, now: t(6) });
      assert.deepEqual(plain.commits, { kind: 'missing', missing: [RUNNING] });
    });

    it('without a repository the commits say the true cause: Restricted Mode, not "open the repository"', () => {
      const reason = noRepositoryReason('unavailable', false);
      assert.match(reason ?? '', /Restricted Mode.*Git extension off/);
      const vm = buildApprovalViewModel({ config, details: details(), git: { repository: false, missing: [], ...(reason ? { noRepositoryReason: reason } : {}) }, canModify: false, now: t(6) });
      assert.deepEqual(vm.commits, { kind: 'no-repository', reason });
      assert.match(noRepositoryReason('unavailable', true) ?? '', /disabled or unavailable/);
      assert.match(noRepositoryReason('none', true) ?? '', /^Open the project/);
      assert.equal(noRepositoryReason('ready', false), undefined);
    });

    it('reports the missing version and does not ask for a list it cannot have', async () => {
      const git = fakeGit({ [RUNNING]: commit(RUNNING, 'old') });
      const facts = await loadGitFacts(git, { running: RUNNING, target: TARGET });
      assert.deepEqual(facts.missing, [TARGET]);
      assert.equal(facts.commits, undefined);
      assert.deepEqual(git.calls, []);
    });

    it('treats a failing git as missing data, never as an exception', async () => {
      const git = fakeGit({ [RUNNING]: commit(RUNNING, 'old'), [TARGET]: commit(TARGET, 'new') });
      git.commitsBetween = async () => {
        throw new Error('git exploded');
      };
      const facts = await loadGitFacts(git, { running: RUNNING, target: TARGET });
      assert.equal(facts.commits, undefined);
      assert.equal(buildApprovalViewModel({ config, details: details(), git: facts, canModify: true, now: t(6) }).commits.kind, 'missing');
    });

    it('without a repository says so', async () => {
      assert.deepEqual(await loadGitFacts(undefined, { running: RUNNING, target: TARGET }), { repository: false, missing: [] });
    });
  });

  describe('timeline', () => {
    it('marks stages of an earlier execution as not started, the approval as waiting, and estimates durations', () => {
      const view = timeline(pipeline(), 'Please_approve');
      assert.deepEqual(
        view.stages.map((s) => [s.name, s.status, s.isApproval]),
        [
          ['Source', 'Succeeded', false],
          ['Prepare_versions_information_for_Approval_stage', 'Succeeded', false],
          ['Please_approve', 'Waiting', true],
          ['Deploy_Spryker_services', 'Pending', false],
        ],
      );
      // Source has no predecessor: no duration rather than a made-up one.
      assert.equal(view.stages[0].durationMs, undefined);
      assert.equal(view.stages[1].durationMs, 3 * 60_000);
      assert.equal(view.stages[1].actions[0].durationMs, 3 * 60_000);
      const approval = view.stages[2].actions[0];
      assert.equal(approval.status, 'Waiting');
      assert.equal(approval.startedAt, t(4).toISOString());
      assert.equal(view.stages[3].actions[0].status, 'Pending');
      assert.equal(view.stages[3].actions[0].changedAt, undefined);
    });

    it('is empty without a pipeline', () => {
      assert.deepEqual(timeline(undefined, 'Please_approve'), { stages: [] });
    });
  });

  it('carries the approval, since when it waits, busy/outcome/error and the production flag', () => {
    const vm = buildApprovalViewModel({
      config,
      details: details(),
      status: status(),
      git: noGit,
      busy: 'Approved',
      error: { kind: 'network', message: 'lost', action: 'retry' },
      canModify: false,
      now: t(6),
    });
    assert.equal(vm.env, 'spryker-prod');
    assert.equal(vm.production, true);
    assert.equal(vm.approval?.token, 'tok-1');
    assert.equal(vm.approval?.waitingSince, t(4).toISOString());
    assert.equal(vm.busy, 'Approved');
    assert.equal(vm.error?.kind, 'network');
    assert.equal(vm.canModify, false);
    // The model crosses postMessage: it must survive a JSON round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(vm)), vm);
  });

  it('without a waiting approval still shows versions and the pipeline', () => {
    const vm = buildApprovalViewModel({ config, status: status({ pipeline: pipeline({ status: 'Succeeded' }) }), git: noGit, canModify: true, now: t(6) });
    assert.equal(vm.approval, undefined);
    assert.equal(vm.running.version, RUNNING);
    assert.equal(vm.pipeline.status, 'Succeeded');
  });
});

describe('promotion in the approval panel', () => {
  const staging = defaultEnvironment('spryker-staging');
  const stagingStatus = (overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus =>
    status({ name: 'spryker-staging', production: false, lastDeployedVersion: TARGET, lastDeployedAt: t(2), desiredVersion: TARGET, services: [service('spryker-staging-zed', [TARGET])], ...overrides });

  it('the approval deploys what staging runs: staging, since when, and each service on both sides', () => {
    const prod = status({ services: [service('spryker-prod-zed', [RUNNING])] });
    const p = promotionView(config, prod, TARGET, [{ config: staging, status: stagingStatus() }]);
    assert.deepEqual(p, {
      source: 'spryker-staging',
      version: TARGET,
      since: t(2).toISOString(),
      promotesHere: true,
      services: [{ role: 'zed', source: [TARGET], target: [RUNNING], same: false }],
      unknown: [],
    });
    const vm = buildApprovalViewModel({ config, details: details(), status: prod, git: noGit, canModify: true, now: t(6), others: [{ config: staging, status: stagingStatus() }] });
    assert.equal(vm.promotion?.source, 'spryker-staging');
  });

  it('no promotion when no other environment runs the version, or nothing waits for approval', () => {
    const prod = status();
    assert.equal(promotionView(config, prod, TARGET, [{ config: staging, status: stagingStatus({ lastDeployedVersion: OTHER }) }]), undefined);
    assert.equal(promotionView(config, prod, TARGET, [{ config: staging }]), undefined, 'an environment not read yet proves nothing');
    const idle = buildApprovalViewModel({ config, status: prod, git: noGit, canModify: true, now: t(6), others: [{ config: staging, status: stagingStatus() }] });
    assert.equal(idle.promotion, undefined);
  });

  it('prefers the environment that promotes here over another that happens to run the version', () => {
    const qa = defaultEnvironment('spryker-qa');
    const p = promotionView(config, status(), TARGET, [
      { config: qa, status: stagingStatus({ name: 'spryker-qa' }) },
      { config: staging, status: stagingStatus() },
    ]);
    assert.deepEqual([p?.source, p?.promotesHere], ['spryker-staging', true]);
    const onlyQa = promotionView(config, status(), TARGET, [{ config: qa, status: stagingStatus({ name: 'spryker-qa' }) }]);
    assert.deepEqual([onlyQa?.source, onlyQa?.promotesHere], ['spryker-qa', false]);
  });
});

describe('failed-stage section', () => {
  const failed = pipeline({ status: 'Failed', outcome: { kind: 'failed', stage: 'Run_install', action: 'Run_install', code: 'JobFailed', message: 'Build terminated with state: FAILED', at: t(9), buildId: 'proj:0e0f5c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6' } });

  it('shows stage, action and AWS\'s reason, and the log lines read for this very failure only', () => {
    const key = failureKey(failed)!;
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const view = failureView(failed, { key, lines, source: 'build log' });
    assert.deepEqual({ ...view, lines: view?.lines.length }, { stage: 'Run_install', action: 'Run_install', code: 'JobFailed', message: 'Build terminated with state: FAILED', at: t(9).toISOString(), lines: 20, source: 'build log' });
    assert.equal(view?.lines.at(-1), 'line 30', 'the last lines, where the error is');
    // Lines read for an earlier failure (a retried stage that failed again) are not shown for this one.
    assert.deepEqual(failureView(failed, { key: 'exec-2|Run_install|Run_install|1', lines })?.lines, []);
    assert.equal(failureView(failed, { key, lines: [], error: 'log gone' })?.linesError, 'log gone');
  });

  it('is absent for a rejection, an expiry, a running or a succeeded execution', () => {
    for (const outcome of [{ kind: 'rejected' as const, by: 'jane' }, { kind: 'expired' as const, stage: 'Please_approve' }, { kind: 'running' as const }, { kind: 'deployed' as const }]) {
      assert.equal(failureView(pipeline({ outcome }), undefined), undefined, outcome.kind);
      assert.equal(failureKey(pipeline({ outcome })), undefined);
    }
  });

  it('explains an ECS rollout failure with the failing services\' latest events, oldest first', () => {
    const deployment = { id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: 'td:8', rolloutState: 'FAILED' as const, desiredCount: 1, runningCount: 0, pendingCount: 0, images: [] };
    const service = (name: string, failing: boolean): ServiceStatus =>
      serviceStatus(name, {
        ...(failing ? { failedDeployment: deployment } : {}),
        events: [
          { at: t(12), message: `(service ${name}) rolling back to deployment ecs-svc/1.` },
          { at: t(11), message: `(service ${name}) (deployment ecs-svc/2) deployment failed: tasks failed to start.` },
        ],
      });
    const status = environmentStatus(t(13), { services: [service('zed', true), service('yves', false)] });
    const { lines, services } = serviceFailureLines(status);
    assert.deepEqual(services, ['zed']);
    assert.deepEqual(lines, [`${t(11).toISOString()} (service zed) (deployment ecs-svc/2) deployment failed: tasks failed to start.`, `${t(12).toISOString()} (service zed) rolling back to deployment ecs-svc/1.`]);
  });
});
