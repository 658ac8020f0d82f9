// CloudWatch Logs: the CodeBuild logs the pipeline writes. Event timestamps are epoch MILLISECONDS (unlike every
// other timestamp of these APIs).
import { AwsError, checkRange, compact, decodeToken, encodeToken, optBoolean, optNumber, optString, optStringList, page, type JsonObject, type OperationContext, type ServiceDefinition } from './protocol';
import type { LogEventRecord, LogGroupRecord, World } from './world';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

export function appendLog(world: World, group: string, stream: string, lines: readonly string[], at: number): void {
  const g = (world.logGroups[group] ??= { name: group, createdAt: at, streams: {} });
  const s = (g.streams[stream] ??= { createdAt: at, events: [] });
  for (const message of lines) s.events.push({ timestamp: at, ingestionTime: at + 7, message });
}

function groupOf(world: World, input: JsonObject): LogGroupRecord {
  const name = optString(input, 'logGroupName');
  const identifier = optString(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const resolved = name ?? (identifier?.startsWith('arn:') ? identifier.replace(/^arn:aws:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '') : identifier);
  if (resolved === undefined) throw invalidParameter('Either LogGroupName or LogGroupIdentifier must be specified.');
  const group = world.logGroups[resolved];
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

function getLogEvents(input: JsonObject, ctx: OperationContext): JsonObject {
  const streamName = optString(input, 'logStreamName');
  const startTime = optNumber(input, 'startTime');
  const endTime = optNumber(input, 'endTime');
  const limit = optNumber(input, 'limit');
  const token = optString(input, 'nextToken');
  const fromHead = optBoolean(input, 'startFromHead') ?? false;
  checkRange(limit, 'limit', 1, 10000, invalidParameter);
  if (streamName === undefined) throw invalidParameter("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  const group = groupOf(ctx.world, input);
  const stream = group.streams[streamName];
  if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const events = stream.events.filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime));
  const scope = `events:${group.name}:${streamName}:${startTime ?? ''}:${endTime ?? ''}`;
  const max = limit ?? 10000;
  // Tokens point at a position: f/<n> reads forward from n, b/<n> reads backward up to n (exclusive), q/<n> reads
  // forward from n once the quiet stretch before n has been answered with an empty page.
  let from: number;
  let to: number;
  if (token?.startsWith('f/') || token?.startsWith('q/')) {
    from = decodeToken(token.slice(2), scope, 'InvalidParameterException');
    if (token.startsWith('f/') && quietBefore(events, from)) {
      // AWS reads a stream in time slices: across a pause in the events it answers pages with no events (and a
      // new token) before the stream goes on. Only a token that comes back unchanged means the end.
      return { events: [], nextForwardToken: `q/${encodeToken(from, scope)}`, nextBackwardToken: `b/${encodeToken(from, scope)}` };
    }
    to = forwardEnd(events, from, max);
  } else if (token?.startsWith('b/')) {
    to = decodeToken(token.slice(2), scope, 'InvalidParameterException');
    from = Math.max(0, to - max);
  } else if (token !== undefined) {
    throw invalidParameter('The specified nextToken is invalid.');
  } else if (fromHead) {
    from = 0;
    to = forwardEnd(events, from, max);
  } else {
    to = events.length;
    from = Math.max(0, to - max);
  }
  return {
    events: events.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: `f/${encodeToken(to, scope)}`,
    nextBackwardToken: `b/${encodeToken(from, scope)}`,
  };
}

/** A pause longer than this between two events of a stream makes GetLogEvents answer an empty page in between. */
export const QUIET_STRETCH_MS = 1000;

function quietBefore(events: readonly LogEventRecord[], index: number): boolean {
  return index > 0 && index < events.length && events[index].timestamp - events[index - 1].timestamp > QUIET_STRETCH_MS;
}

/** A forward page ends at `max` events, or where the stream pauses. */
function forwardEnd(events: readonly LogEventRecord[], from: number, max: number): number {
  let to = Math.min(events.length, from + max);
  for (let i = from + 1; i < to; i++) {
    if (quietBefore(events, i)) {
      to = i;
      break;
    }
  }
  return to;
}

/** CloudWatch filter pattern, the plain-term subset: every term (or "quoted phrase") must occur, case-sensitively. */
function matcher(pattern: string | undefined): (message: string) => boolean {
  if (pattern === undefined || pattern.trim() === '') return () => true;
  const terms = [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  if (terms.some((t) => /^[{[]/.test(t))) throw invalidParameter('Invalid filter pattern: the sandbox supports plain terms and quoted phrases only.');
  return (message) => terms.every((t) => message.includes(t));
}

function filterLogEvents(input: JsonObject, ctx: OperationContext): JsonObject {
  const streamNames = optStringList(input, 'logStreamNames');
  const prefix = optString(input, 'logStreamNamePrefix');
  const startTime = optNumber(input, 'startTime');
  const endTime = optNumber(input, 'endTime');
  const limit = optNumber(input, 'limit');
  const token = optString(input, 'nextToken');
  optBoolean(input, 'interleaved');
  checkRange(limit, 'limit', 1, 10000, invalidParameter);
  if (streamNames !== undefined && prefix !== undefined) throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  if (streamNames !== undefined && (streamNames.length < 1 || streamNames.length > 100)) {
    throw invalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length less than or equal to 100");
  }
  const match = matcher(optString(input, 'filterPattern'));
  const group = groupOf(ctx.world, input);
  const streams = Object.keys(group.streams).filter((s) => (streamNames === undefined || streamNames.includes(s)) && (prefix === undefined || s.startsWith(prefix)));
  const events = streams
    .flatMap((s) => group.streams[s].events.map((e, i) => ({ s, i, e })))
    .filter(({ e }) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp <= endTime) && match(e.message))
    .sort((a, b) => a.e.timestamp - b.e.timestamp || (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i));
  const scope = `filter:${group.name}:${streams.join(',')}:${startTime ?? ''}:${endTime ?? ''}:${optString(input, 'filterPattern') ?? ''}`;
  const { items, nextToken } = page(events, limit ?? 10000, token, scope, 'InvalidParameterException');
  return compact({
    events: items.map(({ s, i, e }) => ({
      logStreamName: s,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: `${String(e.timestamp).padStart(20, '0')}${String(i).padStart(36, '0')}`.slice(0, 56),
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s, searchedCompletely: true })),
    nextToken,
  });
}

export const logsService: ServiceDefinition = {
  signingName: 'logs',
  targetPrefix: 'Logs_20140328',
  operations: { GetLogEvents: getLogEvents, FilterLogEvents: filterLogEvents },
};
