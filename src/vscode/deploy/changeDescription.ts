// The words of a confirmation: exactly what a deploy or rollback changes. Pure.

import type { CommitInfo } from '../../core/git';
import type { DeployPreflight, EnvironmentConfig } from '../../core/model';
import { riskLine, type ChangeAssessment } from '../../core/risk';
import { shortVersion } from '../../core/version';
import { changeDirection, changeLines, type VersionChange } from '../../core/versionChange';

export interface ChangeInput {
  readonly env: EnvironmentConfig;
  readonly version: string;
  readonly preflight: DeployPreflight;
  readonly kind: 'deploy' | 'rollback';
  readonly commitOf: (sha: string | undefined) => CommitInfo | undefined;
  /** The commits the new version adds and undoes (undefined: the local repository lacks a version). */
  readonly change?: VersionChange;
  /** What kind of change it is; undefined when the local repository could not tell (the line says so). */
  readonly risk?: ChangeAssessment;
  /** A Git repository is open (else the risk is unknown for that reason). */
  readonly repository?: boolean;
}

/** The risk line of a confirmation; the rollback-across-schema warning comes first in the text, where it is seen. */
export function riskLines(risk: ChangeAssessment | undefined, git: boolean): { warning?: string; line: string } {
  if (!risk) return { line: git ? 'Risk: unknown (the local repository lacks one of the versions; fetch to see it).' : 'Risk: unknown (no Git repository is open).' };
  return {
    ...(risk.rollbackWarning ? { warning: risk.rollbackWarning } : {}),
    line: riskLine(risk.summary) ?? 'Risk: nothing risky changed (no schema, module, deploy or configuration change).',
  };
}

function label(sha: string | undefined, commit: CommitInfo | undefined): string {
  if (!sha) return 'nothing';
  return `${shortVersion(sha)}${commit ? ` "${commit.subject}"` : ''}`;
}

/** A rollback: asked as one, or the new version is an ancestor of the running one (it only removes commits). */
export function isRollback(input: Pick<ChangeInput, 'kind' | 'change'>): boolean {
  return input.kind === 'rollback' || (input.change !== undefined && changeDirection(input.change) === 'rollback');
}

export function describeChange(input: ChangeInput): { title: string; detail: string } {
  const { env, version, preflight: pre } = input;
  const from = pre.lastDeployedVersion ?? pre.desiredVersion;
  // Deploying an ancestor of the running version is a rollback, whichever command started it.
  const verb = isRollback(input) ? 'Roll back' : 'Deploy';
  const missing = pre.missingImages;
  const title = `${verb} ${env.name}${env.production ? ' (PRODUCTION)' : ''} to ${shortVersion(version)}?${missing.length ? ' Its images are not built yet.' : ''}`;
  const lines = [
    ...(missing.length
      ? [
          `No image is tagged ${shortVersion(version)} yet in ${missing.length === 1 ? missing[0] : `${missing.length} repositories (${missing.join(', ')})`}.`,
          "Deploy anyway: the pipeline's Build_and_Prepare stage builds and pushes them first, so this deploy takes longer.",
        ]
      : []),
    `Environment: ${env.name}${env.production ? ' — production' : ''} (${env.region})`,
    `Version: ${label(from, input.commitOf(from))} → ${label(version, input.commitOf(version))}`,
    `Writes ${env.parameters.desiredVersion} = ${version}`,
    `Then starts the pipeline ${env.pipelines.normal} (normal deploy: no data reset).`,
  ];
  if (pre.desiredVersion && pre.desiredVersion !== pre.lastDeployedVersion && pre.desiredVersion !== version) {
    lines.push(`Note: desired_version is currently ${shortVersion(pre.desiredVersion)}, which was never deployed; it will be replaced.`);
  }
  if (from && from !== version) {
    const risk = riskLines(input.risk, input.repository ?? input.risk !== undefined);
    if (risk.warning) lines.unshift(risk.warning, '');
    lines.push(risk.line);
  }
  if (input.change && from !== version) lines.push(...changeLines(input.change));
  if (pre.activeExecution) {
    lines.push(`Execution ${pre.activeExecution.executionId} (${pre.activeExecution.status}) is running or waiting: it will be superseded.`);
  }
  if (pre.alreadyDeployed) lines.push('This version is already deployed: the pipeline runs again with the same version.');
  return { title, detail: lines.join('\n') };
}


