// The world a fresh sandbox starts with: a Spryker Cloud project in eu-central-1 with a few days of history. The
// history is not written by hand: the pipeline engine plays the past deployments on a manual clock, so task
// definition revisions, parameter versions, executions, builds and their logs are consistent with each other.
import * as crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pushImage } from './ecr';
import { createService, forgetOldStoppedTasks } from './ecs';
import { PipelineEngine } from './pipelineEngine';
import { executionModeOf, LATE_STAGE, TWO_APPROVERS, type RealWorldShape } from './shapes';
import { writeParameter } from './ssm';
import { ManualClock, WORLD_FORMAT, type ActionDefinition, type Commit, type ContainerSpec, type EnvironmentRecord, type Ids, type PipelineRecord, type StageDefinition, type World } from './world';

export const DEFAULT_REGION = 'eu-central-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_ENVIRONMENTS = ['spryker-staging', 'spryker-prod'];
/** The manual approval action of the Please_approve stage. */
export const APPROVAL_ACTION = 'Approval';
/** Commits at the top of the history that have no images yet (the pipeline must build them). */
export const UNBUILT_COMMITS = 2;

const HOUR = 3600_000;
const MINUTE = 60_000;
const HISTORY_STAGE_MS = 90_000;
const PEOPLE = ['jane.doe', 'john.smith'];

export interface WorldOptions {
  readonly environments?: readonly string[];
  readonly commits: readonly Commit[];
  readonly now: number;
  readonly ids: Ids;
  readonly region?: string;
  readonly accountId?: string;
  /** Real-world shapes to produce (see shapes.ts). */
  readonly shapes?: readonly RealWorldShape[];
}

const SUBJECTS = [
  'Merge pull request #412 from feature/checkout-voucher',
  'Upgrade spryker/product-storage to 2.14.0',
  'Fix price rounding in cart totals',
  'Add CMS block for the home page teaser',
  'Configure Redis session TTL per store',
  'Merge pull request #405 from bugfix/search-facets',
  'Update deploy.yml: raise Zed memory limit',
  'Add Glue endpoint for wishlists',
  'Translate checkout to de_DE',
  'Merge pull request #398 from feature/b2c-product-labels',
  'Bump frontend dependencies',
  'Initial import of B2C Demo Shop',
];

/** A repeatable history of commits for when no Git repository is given, newest first. */
export function generatedCommits(now: number, count = SUBJECTS.length): Commit[] {
  return Array.from({ length: count }, (_, i) => ({
    sha: crypto.createHash('sha1').update(`spryker-sandbox-commit-${count - i}`).digest('hex'),
    subject: SUBJECTS[i % SUBJECTS.length],
    author: PEOPLE[i % PEOPLE.length].replace('.', ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    time: now - (i + 1) * 9 * HOUR,
  }));
}

/** The history of HEAD of a Git repository, newest first. */
export function commitsFromRepo(repo: string, max = 40): Commit[] {
  let out: string;
  try {
    out = execFileSync('git', ['-C', repo, 'log', `-n${max}`, '--format=%H%x1f%s%x1f%an%x1f%ct', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new Error(`Cannot read the commit history of ${repo}: ${stderr || (e as Error).message}`, { cause: e });
  }
  const commits = out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, subject, author, time] = line.split('\x1f');
      return { sha, subject, author, time: Number(time) * 1000 };
    });
  if (commits.length === 0) throw new Error(`${repo} has no commits.`);
  return commits;
}

/** Staging environments use the spellings of Spryker's staging guides. */
const isStaging = (env: string): boolean => /stag/i.test(env);

export function environmentRecord(name: string): EnvironmentRecord {
  return {
    name,
    cluster: name,
    repositories: [`${name}-b2c-yves`, `${name}-b2c-zed`, `${name}-b2c-glue`, `${name}-frontend`, `${name}-jenkins`],
    parameters: isStaging(name)
      ? { desiredVersion: `/${name}/desired_version`, lastDeployedVersion: `/${name}/lastdeployedversion`, lastBuildVersion: `/${name}/lastbuildversion` }
      : { desiredVersion: `/${name}/desired_version`, lastDeployedVersion: `/${name}/last_deployed_version` },
    pipelines: {
      normal: `NORMAL_Deploy_Spryker_${name}`,
      destructive: `DESTRUCTIVE_Deploy_Spryker_${name}`,
      rolloutScheduler: `Rollout_Scheduler_${name}`,
      maintenanceEnable: `Maintenance_Enable_${name}`,
      maintenanceDisable: `Maintenance_Disable_${name}`,
    },
    logGroups: { normal: `/aws/codebuild/${name}`, destructive: `/aws/codebuild/danger/${name}` },
  };
}

function serviceSpecs(env: string): { name: string; containers: ContainerSpec[]; desiredCount: number }[] {
  const prod = !isStaging(env);
  const spec = (suffix: string, repository: string, port: number | undefined, scaled: boolean) => ({
    name: `${env}-${suffix}`,
    containers: [{ name: suffix === 'scheduler' ? 'jenkins' : suffix, repository: `${env}-${repository}`, cpu: 512, memory: 1024, port }],
    desiredCount: prod && scaled ? 2 : 1,
  });
  return [
    spec('storeapp', 'b2c-glue', 80, false),
    spec('backoffice', 'b2c-zed', 80, false),
    spec('frontend', 'frontend', 80, true),
    spec('zed', 'b2c-zed', 80, true),
    spec('yves', 'b2c-yves', 80, true),
    spec('glue', 'b2c-glue', 80, true),
    spec('scheduler', 'jenkins', 8080, false),
  ];
}

function pipelineStages(env: EnvironmentRecord, kind: PipelineRecord['kind'], shapes: readonly RealWorldShape[] = []): StageDefinition[] {
  const project = (action: string): string => (kind === 'destructive' ? `${env.name}-danger-${action}` : `${env.name}-${action}`);
  const source: StageDefinition = {
    name: 'Source',
    actions: [
      {
        name: 'Spryker_App_Src',
        category: 'Source',
        owner: 'AWS',
        provider: 'CodeStarSourceConnection',
        runOrder: 1,
        configuration: {
          ConnectionArn: `arn:aws:codestar-connections:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:connection/7d2f9c4e-0c6b-4f1e-9a57-3c1d8b2e6f10`,
          FullRepositoryId: 'spryker-project/b2c-shop',
          BranchName: 'main',
          OutputArtifactFormat: 'CODE_ZIP',
        },
        inputArtifacts: [],
        outputArtifacts: ['SourceArtifact'],
        behavior: 'source',
      },
    ],
  };
  const build = (stage: string, action: string, behavior: ActionDefinition['behavior'] = 'script'): StageDefinition => ({
    name: stage,
    actions: [
      {
        name: action,
        category: 'Build',
        owner: 'AWS',
        provider: 'CodeBuild',
        runOrder: 1,
        configuration: { ProjectName: project(action) },
        inputArtifacts: ['SourceArtifact'],
        outputArtifacts: [],
        behavior,
      },
    ],
  });
  const deploy = (service: string, runOrder: number, behavior: ActionDefinition['behavior']): ActionDefinition => ({
    name: `Deploy_${service.slice(env.name.length + 1)}`,
    category: 'Deploy',
    owner: 'AWS',
    provider: 'ECS',
    runOrder,
    configuration: { ClusterName: env.cluster, ServiceName: service, FileName: 'imagedefinitions.json' },
    inputArtifacts: ['SourceArtifact'],
    outputArtifacts: [],
    behavior,
  });
  const services = serviceSpecs(env.name).filter((s) => !s.name.endsWith('-scheduler'));
  const deployScheduler: StageDefinition = { name: 'Deploy_Scheduler', actions: [deploy(`${env.name}-scheduler`, 1, 'deploy-scheduler')] };
  if (kind === 'rollout-scheduler') return [source, deployScheduler];
  if (kind === 'maintenance-enable') return [source, build('Enable_Maintenance', 'Enable_Maintenance', 'maintenance-on')];
  if (kind === 'maintenance-disable') return [source, build('Disable_Maintenance', 'Disable_Maintenance', 'maintenance-off')];
  const approval = (name: string, who: string): ActionDefinition => ({
    name,
    category: 'Approval',
    owner: 'AWS',
    provider: 'Manual',
    runOrder: 1,
    configuration: { CustomData: `${who}: check the versions in the Prepare_versions_information_for_Approval_stage log before approving the ${kind} deployment of ${env.name}.` },
    inputArtifacts: [],
    outputArtifacts: [],
    behavior: 'approval',
  });
  return [
    source,
    build('Prepare_versions_information_for_Approval_stage', 'Prepare_versions_information', 'compare-versions'),
    {
      name: 'Please_approve',
      actions: shapes.includes('two-approvers') ? [approval(TWO_APPROVERS[0], 'QA'), approval(TWO_APPROVERS[1], 'Product owner')] : [approval(APPROVAL_ACTION, 'Release manager')],
    },
    build('Build_and_Prepare', 'Build_and_Prepare', 'build'),
    build('Configure_RabbitMQ_Vhosts_and_Permissions', 'Configure_RabbitMQ_Vhosts_and_Permissions'),
    build('Run_pre-deploy_hook', 'Run_pre-deploy_hook'),
    build('Pre_Deployment_Configuration', 'Pre_Deployment_Configuration'),
    deployScheduler,
    build('Run_install', kind === 'destructive' ? 'Run_destructive_install' : 'Run_install'),
    { name: 'Deploy_Spryker_services', actions: services.map((s) => deploy(s.name, 1, 'deploy-services')) },
    build('UpdateDeployedVersion', 'UpdateDeployedVersion', 'update-deployed-version'),
    build('Post_Deployment_Configuration', 'Post_Deployment_Configuration'),
    build('Run_post-deploy_hook', 'Run_post-deploy_hook'),
  ];
}

export function createWorld(options: WorldOptions): World {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const names = options.environments ?? DEFAULT_ENVIRONMENTS;
  const commits = [...options.commits];
  if (commits.length === 0) throw new Error('The sandbox needs at least one commit.');
  const { now, ids } = options;
  const unbuilt = Math.min(UNBUILT_COMMITS, commits.length - 1);
  const world: World = {
    format: WORLD_FORMAT,
    region,
    accountId,
    environments: names.map(environmentRecord),
    commits,
    parameters: {},
    repositories: {},
    clusters: {},
    taskDefinitions: {},
    pipelines: {},
    executions: {},
    builds: {},
    buildCounters: {},
    logGroups: {},
    ...(options.shapes?.length ? { shapes: [...options.shapes] } : {}),
  };
  const builtOldestFirst = commits.slice(unbuilt).reverse();
  const createdAt = Math.min(now - 30 * 24 * HOUR, commits[commits.length - 1].time - HOUR);
  const clock = new ManualClock(createdAt);
  const engine = new PipelineEngine(world, clock, ids, { stageMs: HISTORY_STAGE_MS });
  const user = (i: number): string => `arn:aws:sts::${accountId}:assumed-role/SprykerDeploy/${PEOPLE[i % PEOPLE.length]}`;

  for (const env of world.environments) {
    for (const repo of env.repositories) {
      world.repositories[repo] = { name: repo, createdAt, images: [] };
      for (const c of builtOldestFirst) pushImage(world, repo, c.sha, Math.min(c.time + 12 * MINUTE, now - MINUTE));
    }
    const names = {
      normal: env.pipelines.normal,
      destructive: env.pipelines.destructive,
      'rollout-scheduler': env.pipelines.rolloutScheduler,
      'maintenance-enable': env.pipelines.maintenanceEnable!,
      'maintenance-disable': env.pipelines.maintenanceDisable!,
    } as const;
    for (const kind of Object.keys(names) as (keyof typeof names)[]) {
      const name = names[kind];
      // A V2 execution mode is the deploy pipelines' setting; the maintenance and scheduler pipelines stay V1.
      const mode = kind === 'normal' || kind === 'destructive' ? executionModeOf(options.shapes, env.name) : undefined;
      world.pipelines[name] = {
        name,
        environment: env.name,
        kind,
        stages: pipelineStages(env, kind, options.shapes),
        createdAt,
        updatedAt: createdAt,
        version: 1,
        ...(mode ? { pipelineType: 'V2' as const, executionMode: mode } : {}),
      };
    }
    // Production lags two built commits behind staging, as it does in real projects.
    const candidates = isStaging(env.name) ? builtOldestFirst : builtOldestFirst.slice(0, Math.max(1, builtOldestFirst.length - 2));
    const base = candidates[0];
    const deploys = candidates.slice(1).slice(-3);
    const baseTime = Math.min(base.time + HOUR, now - 4 * 24 * HOUR);
    const desiredType = options.shapes?.includes('secure-desired-version') ? 'SecureString' : 'String';
    writeParameter(world, env.parameters.desiredVersion, base.sha, user(1), baseTime, desiredType, `Version to deploy to ${env.name}`);
    writeParameter(world, env.parameters.lastDeployedVersion, base.sha, `arn:aws:sts::${accountId}:assumed-role/SprykerCodeBuild/AWSCodeBuild-initial`, baseTime, 'String');
    if (env.parameters.lastBuildVersion) {
      for (const c of builtOldestFirst.slice(-3)) writeParameter(world, env.parameters.lastBuildVersion, c.sha, `arn:aws:sts::${accountId}:assumed-role/SprykerCodeBuild/AWSCodeBuild-build`, Math.min(c.time + 20 * MINUTE, now - MINUTE), 'String');
    }
    const cluster = { name: env.cluster, arn: `arn:aws:ecs:${region}:${accountId}:cluster/${env.cluster}`, services: [], tasks: [] };
    world.clusters[env.cluster] = cluster;
    for (const s of serviceSpecs(env.name)) createService(world, cluster, s.name, s.containers, s.desiredCount, base.sha, baseTime, ids);

    let previousEnd = baseTime;
    deploys.forEach((commit, i) => {
      const start = Math.max(commit.time + 30 * MINUTE, previousEnd + 20 * MINUTE, baseTime + (i + 1) * 20 * HOUR);
      if (start > now - 2 * HOUR) return;
      clock.set(start);
      writeParameter(world, env.parameters.desiredVersion, commit.sha, user(i), start);
      const execution = engine.start(env.pipelines.normal, user(i));
      while (execution.phase !== 'approval' && execution.status === 'InProgress') {
        clock.advance(HISTORY_STAGE_MS / 2);
        engine.sync();
      }
      clock.advance(6 * MINUTE);
      for (const waiting of execution.actions.filter((a) => a.token && a.status === 'InProgress')) {
        engine.decideApproval({ pipelineName: env.pipelines.normal, stageName: waiting.stageName, actionName: waiting.actionName, token: waiting.token!, status: 'Approved', summary: 'Versions checked', caller: user(i + 1) });
      }
      while (execution.status === 'InProgress') {
        clock.advance(HISTORY_STAGE_MS / 2);
        engine.sync();
      }
      previousEnd = clock.now();
    });
  }
  applyLateShapes(world, options, now);
  forgetOldStoppedTasks(world, now);
  return world;
}

/** Shapes that change the world after its history was played: what people and later changes did to it. */
function applyLateShapes(world: World, options: WorldOptions, now: number): void {
  const shapes = options.shapes ?? [];
  for (const env of world.environments) {
    if (shapes.includes('untidy-version-parameter')) {
      // Someone pasted the versions in the console: upper case, with the newline of the copy.
      const by = `arn:aws:sts::${world.accountId}:assumed-role/SprykerDeploy/${PEOPLE[0]}`;
      for (const name of [env.parameters.desiredVersion, env.parameters.lastDeployedVersion]) {
        const record = world.parameters[name];
        const value = record?.history[record.history.length - 1].value;
        if (value) writeParameter(world, name, `${value.toUpperCase()}\n`, by, now - 30 * MINUTE);
      }
    }
    if (shapes.includes('stage-added-later')) {
      const pipeline = world.pipelines[env.pipelines.normal];
      const stage: StageDefinition = {
        name: LATE_STAGE,
        actions: [
          {
            name: LATE_STAGE,
            category: 'Build',
            owner: 'AWS',
            provider: 'CodeBuild',
            runOrder: 1,
            configuration: { ProjectName: `${env.name}-${LATE_STAGE}` },
            inputArtifacts: ['SourceArtifact'],
            outputArtifacts: [],
            behavior: 'script',
          },
        ],
      };
      world.pipelines[pipeline.name] = { ...pipeline, stages: [...pipeline.stages, stage], updatedAt: now - HOUR, version: pipeline.version + 1 };
    }
  }
}
