// Parses the version comparison that the Prepare_versions_information_for_Approval_stage build prints.
// The real log says "Deploymnet version" (sic); lines arrive with CodeBuild's "[Container] <date>" prefix
// and sometimes ANSI colours.

import type { VersionComparison } from './model';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const DEPLOYMENT = /Deploy(?:ment|mnet)\s+version\s*[:=]?\s*([^\s"'`,;]+)/i;
const LATEST = /Latest\s+deployed\s+version\s*[:=]?\s*([^\s"'`,;]+)/i;

export function stripAnsi(line: string): string {
  return line.replace(ANSI, '');
}

/**
 * The last printed value of each line wins (a build may echo the command before printing the value; a value
 * that is the variable reference like `$VERSION` is skipped). Returns undefined when neither line is found.
 */
export function parseVersionComparison(rawLines: readonly string[], where: { logGroup?: string; logStream?: string } = {}): VersionComparison | undefined {
  let deploymentVersion: string | undefined;
  let latestDeployedVersion: string | undefined;
  const hits: number[] = [];
  const lines = rawLines.flatMap((l) => l.split(/\r?\n/)).map((l) => stripAnsi(l).replace(/\s+$/, ''));
  lines.forEach((line, i) => {
    const latest = LATEST.exec(line);
    if (latest && !latest[1].startsWith('$')) {
      latestDeployedVersion = latest[1];
      hits.push(i);
      return;
    }
    const deployment = DEPLOYMENT.exec(line);
    if (deployment && !deployment[1].startsWith('$')) {
      deploymentVersion = deployment[1];
      hits.push(i);
    }
  });
  if (deploymentVersion === undefined && latestDeployedVersion === undefined) return undefined;
  const shown = new Set<number>();
  for (const i of hits) for (let j = Math.max(0, i - 1); j <= Math.min(lines.length - 1, i + 1); j++) shown.add(j);
  return {
    ...(deploymentVersion !== undefined ? { deploymentVersion: normalise(deploymentVersion) } : {}),
    ...(latestDeployedVersion !== undefined ? { latestDeployedVersion: normalise(latestDeployedVersion) } : {}),
    lines: [...shown].sort((a, b) => a - b).map((i) => lines[i]),
    ...(where.logGroup !== undefined ? { logGroup: where.logGroup } : {}),
    ...(where.logStream !== undefined ? { logStream: where.logStream } : {}),
  };
}

function normalise(value: string): string {
  return /^[0-9a-f]{40}$/i.test(value) ? value.toLowerCase() : value;
}
