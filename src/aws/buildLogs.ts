import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DeployError } from '../core/errors';
import type { BuildLogPort } from '../core/ports';
import type { Caller } from './call';

/** The log of one CodeBuild build: BatchGetBuilds names the log group and stream, GetLogEvents reads them. */
export class BuildLogClient implements BuildLogPort {
  constructor(
    private readonly codebuild: CodeBuildClient,
    private readonly logs: CloudWatchLogsClient,
    private readonly callBuild: Caller,
    private readonly callLogs: Caller,
    private readonly maxPages = 10,
  ) {}

  async getBuildLog(buildId: string): Promise<{ lines: readonly string[]; logGroup?: string; logStream?: string }> {
    const out = await this.callBuild('BatchGetBuilds', () => this.codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] })));
    const build = out.builds?.[0];
    if (!build) throw new DeployError('not-found', `CodeBuild build ${buildId} was not found.`, { operation: 'BatchGetBuilds' });
    const logGroup = build.logs?.groupName;
    const logStream = build.logs?.streamName;
    if (!logGroup || !logStream) throw new DeployError('not-found', `CodeBuild build ${buildId} has no CloudWatch log.`, { operation: 'BatchGetBuilds' });
    const lines: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      const events = await this.callLogs('GetLogEvents', () =>
        this.logs.send(new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: logStream, startFromHead: true, ...(token ? { nextToken: token } : {}) })),
      );
      for (const e of events.events ?? []) if (e.message !== undefined) lines.push(e.message.replace(/\n$/, ''));
      // GetLogEvents signals the end by returning the token it was given.
      if (!events.nextForwardToken || events.nextForwardToken === token || (events.events ?? []).length === 0) break;
      token = events.nextForwardToken;
    }
    return { lines, logGroup, logStream };
  }
}
