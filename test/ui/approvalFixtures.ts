// A realistic approval (production, 5 commits incl. a merge and a revert, a disagreeing log line, services that
// change, a pipeline waiting at Please_approve) built with the real view-model builder, for the webview tests.

import { defaultEnvironment } from '../../src/core/environments';
import type { CommitInfo } from '../../src/core/git';
import type { ApprovalDetails, EnvironmentConfig, EnvironmentStatus, PipelineStatus, ServiceStatus } from '../../src/core/model';
import { buildApprovalViewModel } from '../../src/vscode/approval/viewModel';
import type { ApprovalViewModel } from '../../src/webview/protocol';

export const RUNNING = '8c1f0e2a9b3d4c5e6f708192a3b4c5d6e7f80912';
export const TARGET = 'f3a9c2d17e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c';
export const TOKEN = '6a1f9c3e-2b7d-4e8a-9c0f-1d2e3f4a5b6c';

export interface SampleDomain {
  readonly config: EnvironmentConfig;
  readonly details: ApprovalDetails;
  readonly status: EnvironmentStatus;
  readonly commits: readonly CommitInfo[];
  readonly runningCommit: CommitInfo;
}

export function sampleDomain(now = new Date(), overrides: { disagree?: boolean; production?: boolean } = {}): SampleDomain {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  const config = { ...defaultEnvironment('spryker-prod'), production: overrides.production ?? true };
  const stage = (name: string, minutesAgo: number | undefined, status?: 'Succeeded' | 'InProgress', token?: string, exec = 'e-2') => ({
    name,
    status,
    executionId: exec,
    actions: [{ name: name === 'Please_approve' ? 'Approval' : name, status, ...(minutesAgo !== undefined ? { lastStatusChange: at(minutesAgo) } : {}), ...(token ? { token } : {}) }],
  });
  const pipeline: PipelineStatus = {
    name: 'NORMAL_Deploy_Spryker_spryker-prod',
    status: 'InProgress',
    executionId: 'e-2',
    stages: [
      stage('Source', 31, 'Succeeded'),
      stage('Prepare_versions_information_for_Approval_stage', 27, 'Succeeded'),
      stage('Please_approve', 26, 'InProgress', TOKEN),
      ...['Build_and_Prepare', 'Run_pre-deploy_hook', 'Deploy_Scheduler', 'Run_install', 'Deploy_Spryker_services', 'UpdateDeployedVersion', 'Run_post-deploy_hook'].map((n) =>
        stage(n, 60 * 24, 'Succeeded', undefined, 'e-1'),
      ),
    ],
  };
  const details: ApprovalDetails = {
    approval: { pipelineName: pipeline.name, stageName: 'Please_approve', actionName: 'Approval', token: TOKEN, executionId: 'e-2b7d4e8a-1111', version: TARGET },
    comparison: {
      deploymentVersion: TARGET,
      latestDeployedVersion: overrides.disagree === false ? RUNNING : '0d4c7e21aa9f3b6c5d8e7f6a5b4c3d2e1f0a9b8c',
      lines: [
        '[Container] 2026/11/26 09:58:12 Running command echo "Deploymnet version $VERSION"',
        `Deploymnet version ${TARGET}`,
        `Latest deployed version ${overrides.disagree === false ? RUNNING : '0d4c7e21aa9f3b6c5d8e7f6a5b4c3d2e1f0a9b8c'}`,
      ],
      logGroup: '/aws/codebuild/spryker-prod',
    },
    desiredVersion: TARGET,
    lastDeployedVersion: RUNNING,
    pipeline,
  };
  const svc = (name: string, tag: string): ServiceStatus => ({
    name,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    deployments: [],
    images: [{ container: name, image: `spryker-prod-x:${tag}`, tag }],
    tasks: [],
    runningVersions: [tag],
    drift: 'in-sync',
  });
  const status: EnvironmentStatus = {
    name: 'spryker-prod',
    production: true,
    region: 'eu-central-1',
    fetchedAt: now,
    desiredVersion: TARGET,
    lastDeployedVersion: RUNNING,
    lastDeployedParameter: '/spryker-prod/last_deployed_version',
    pipeline,
    services: ['backoffice', 'frontend', 'storeapp', 'yves', 'zed'].map((s) => svc(`spryker-prod-${s}`, RUNNING)),
    errors: [],
  };
  const c = (sha: string, subject: string, author: string, minutesAgo: number, parents = 1): CommitInfo => ({
    sha,
    subject,
    author,
    date: at(minutesAgo),
    parents: Array.from({ length: parents }, (_, i) => String(i + 1).repeat(40)),
  });
  const commits = [
    c(TARGET, 'Merge pull request #482 from feature/checkout-address-validation', 'Lena Fischer', 95, 2),
    c('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', 'Validate the shipping address before the summary step', 'Lena Fischer', 180),
    c('b2c3d4e5f60718293a4b5c6d7e8f901234567890', 'Revert "Cache the product abstract storage for 24h"', 'Jonas Weber', 60 * 26),
    c('c3d4e5f60718293a4b5c6d7e8f90123456789012', 'Upgrade spryker/product-storage to 2.14.0', 'Mia Schneider', 60 * 50),
    c('d4e5f60718293a4b5c6d7e8f9012345678901234', 'Add Glue endpoint for customer order history', 'Jonas Weber', 60 * 74),
  ];
  return { config, details, status, commits, runningCommit: c(RUNNING, 'Hotfix: tax rate rounding for DE stores', 'Mia Schneider', 60 * 96) };
}

export function sampleViewModel(now = new Date(), overrides: { disagree?: boolean; production?: boolean } = {}): ApprovalViewModel {
  const d = sampleDomain(now, overrides);
  return buildApprovalViewModel({
    config: d.config,
    details: d.details,
    status: d.status,
    git: { repository: true, running: d.runningCommit, target: d.commits[0], commits: d.commits, filesChanged: 37, missing: [] },
    canModify: true,
    now,
  });
}
