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
    private readonly maxEmptyPages = 100,
  ) {}

  async getBuildLog(buildId: string, fallbackLogGroups: readonly string[] = []): Promise<{ lines: readonly string[]; logGroup?: string; logStream?: string }> {
    let logGroup: string | undefined;
    let logStream: string | undefined;
    try {
      const out = await this.callBuild('BatchGetBuilds', () => this.codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] })));
      const build = out.builds?.[0];
      if (!build) throw new DeployError('not-found', `CodeBuild build ${buildId} was not found.`, { operation: 'BatchGetBuilds' });
      logGroup = build.logs?.groupName;
      logStream = build.logs?.streamName;
      if (!logGroup || !logStream) throw new DeployError('not-found', `CodeBuild build ${buildId} has no CloudWatch log.`, { operation: 'BatchGetBuilds' });
    } catch (e) {
      const fallback = e instanceof DeployError && (e.kind === 'access-denied' || e.details.operation === 'BatchGetBuilds') ? await this.findStream(buildId, fallbackLogGroups) : undefined;
      if (!fallback) throw e;
      ({ logGroup, logStream } = fallback);
    }
    return this.readStream(logGroup, logStream);
  }

  /**
   * The build's stream in the configured log groups: CodeBuild names it `<prefix>/<build uuid>` (Spryker's projects
   * use the project name as prefix) or just `<build uuid>`. undefined when no group has it.
   */
  private async findStream(buildId: string, groups: readonly string[]): Promise<{ logGroup: string; logStream: string } | undefined> {
    const colon = buildId.lastIndexOf(':');
    if (colon < 0) return undefined;
    const project = buildId.slice(0, colon);
    const uuid = buildId.slice(colon + 1);
    for (const logGroup of [...new Set(groups)]) {
      for (const logStream of [`${project}/${uuid}`, uuid]) {
        try {
          await this.callLogs('GetLogEvents', () => this.logs.send(new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: logStream, startFromHead: true, limit: 1 })));
          return { logGroup, logStream };
        } catch (e) {
          if (!(e instanceof DeployError && e.kind === 'not-found')) throw e;
        }
      }
    }
    return undefined;
  }

  private async readStream(logGroup: string, logStream: string): Promise<{ lines: readonly string[]; logGroup: string; logStream: string }> {
    const lines: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let emptyPages = 0;
    // AWS may answer a page with no events before the end (across a pause in the log): only a token that comes
    // back unchanged ends the stream. Empty pages do not count toward the page limit; their own bound only
    // guards against a stream that never ends.
    while (pages < this.maxPages && emptyPages < this.maxEmptyPages) {
      const given = token;
      const out = await this.callLogs('GetLogEvents', () =>
        this.logs.send(new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: logStream, startFromHead: true, ...(given ? { nextToken: given } : {}) })),
      );
      const events = out.events ?? [];
      if (events.length > 0) pages++;
      else emptyPages++;
      for (const e of events) if (e.message !== undefined) lines.push(e.message.replace(/\n$/, ''));
      if (!out.nextForwardToken || out.nextForwardToken === given) break;
      token = out.nextForwardToken;
    }
    return { lines, logGroup, logStream };
  }
}
