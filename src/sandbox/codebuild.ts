// CodeBuild: only the builds the pipeline's actions run, and BatchGetBuilds to find their logs.
import { AwsError, compact, optStringList, seconds, type JsonObject, type OperationContext, type ServiceDefinition } from './protocol';
import type { BuildRecord, Ids, World } from './world';

export function startBuild(world: World, projectName: string, initiator: string, logGroup: string, at: number, ids: Ids, sourceVersion?: string): BuildRecord {
  const uuid = ids.uuid();
  const buildNumber = (world.buildCounters[projectName] = (world.buildCounters[projectName] ?? 0) + 1);
  const build: BuildRecord = {
    id: `${projectName}:${uuid}`,
    arn: `arn:aws:codebuild:${world.region}:${world.accountId}:build/${projectName}:${uuid}`,
    projectName,
    buildNumber,
    startTime: at,
    status: 'IN_PROGRESS',
    initiator,
    logGroup,
    logStream: `${projectName}/${uuid}`,
    sourceVersion,
  };
  world.builds[build.id] = build;
  return build;
}

export function finishBuild(world: World, id: string | undefined, status: BuildRecord['status'], at: number): void {
  const build = id === undefined ? undefined : world.builds[id];
  if (!build || build.status !== 'IN_PROGRESS') return;
  build.status = status;
  build.endTime = at;
}

const PHASES = ['SUBMITTED', 'QUEUED', 'PROVISIONING', 'DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD', 'UPLOAD_ARTIFACTS', 'FINALIZING'];

function describeBuild(world: World, b: BuildRecord): JsonObject {
  const done = b.endTime !== undefined;
  const duration = (b.endTime ?? b.startTime) - b.startTime;
  const phaseLength = duration / PHASES.length;
  const phases: JsonObject[] = (done ? [...PHASES, 'COMPLETED'] : PHASES.slice(0, 7)).map((phaseType, i) =>
    compact({
      phaseType,
      phaseStatus: phaseType === 'COMPLETED' ? undefined : !done && i === 6 ? undefined : phaseType === 'BUILD' && b.status !== 'SUCCEEDED' && done ? b.status : 'SUCCEEDED',
      startTime: seconds(b.startTime + i * phaseLength),
      endTime: phaseType === 'COMPLETED' || (!done && i === 6) ? undefined : seconds(b.startTime + (i + 1) * phaseLength),
      durationInSeconds: phaseType === 'COMPLETED' || (!done && i === 6) ? undefined : Math.round(phaseLength / 1000),
      contexts:
        phaseType === 'COMPLETED' || (!done && i === 6)
          ? undefined
          : phaseType === 'BUILD' && b.failure
            ? [{ statusCode: b.failure.statusCode, message: b.failure.message }]
            : [],
    }),
  );
  const region = world.region;
  const groupEnc = encodeURIComponent(b.logGroup);
  const streamEnc = encodeURIComponent(b.logStream);
  return compact({
    id: b.id,
    arn: b.arn,
    buildNumber: b.buildNumber,
    startTime: seconds(b.startTime),
    endTime: seconds(b.endTime),
    currentPhase: done ? 'COMPLETED' : 'BUILD',
    buildStatus: b.status,
    sourceVersion: b.sourceVersion,
    resolvedSourceVersion: b.sourceVersion,
    projectName: b.projectName,
    phases,
    source: { type: 'CODEPIPELINE', insecureSsl: false },
    secondarySources: [],
    secondarySourceVersions: [],
    artifacts: { location: '' },
    cache: { type: 'NO_CACHE' },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/standard:7.0',
      computeType: 'BUILD_GENERAL1_MEDIUM',
      environmentVariables: [],
      privilegedMode: true,
      imagePullCredentialsType: 'CODEBUILD',
    },
    serviceRole: `arn:aws:iam::${world.accountId}:role/SprykerCodeBuild`,
    logs: {
      groupName: b.logGroup,
      streamName: b.logStream,
      deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${groupEnc}/log-events/${streamEnc}`,
      cloudWatchLogsArn: `arn:aws:logs:${region}:${world.accountId}:log-group:${b.logGroup}:log-stream:${b.logStream}`,
      cloudWatchLogs: { status: 'ENABLED', groupName: b.logGroup, streamName: b.projectName },
      s3Logs: { status: 'DISABLED', encryptionDisabled: false },
    },
    timeoutInMinutes: 60,
    queuedTimeoutInMinutes: 480,
    buildComplete: done,
    initiator: b.initiator,
    encryptionKey: `arn:aws:kms:${region}:${world.accountId}:alias/aws/s3`,
  });
}

function batchGetBuilds(input: JsonObject, ctx: OperationContext): JsonObject {
  const ids = optStringList(input, 'ids');
  if (ids === undefined) throw new AwsError('InvalidInputException', "1 validation error detected: Value null at 'ids' failed to satisfy constraint: Member must not be null");
  if (ids.length < 1 || ids.length > 100) {
    throw new AwsError('InvalidInputException', `1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length ${ids.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
  }
  const builds: JsonObject[] = [];
  const notFound: string[] = [];
  for (const id of ids) {
    const b = ctx.world.builds[id] ?? Object.values(ctx.world.builds).find((x) => x.arn === id);
    if (b) builds.push(describeBuild(ctx.world, b));
    else notFound.push(id);
  }
  return { builds, buildsNotFound: notFound };
}

export const codebuildService: ServiceDefinition = {
  signingName: 'codebuild',
  targetPrefix: 'CodeBuild_20161006',
  operations: { BatchGetBuilds: batchGetBuilds },
};
