// contextValue token lists, matched in package.json with `viewItem =~ /\btoken\b/`. Pure, so which actions a
// node offers is decided (and tested) in one place.

import { isCustomEndpoint } from '../../core/environments';
import { isCredentialsProblem } from '../store/viewState';
import type { EnvTreeNode } from './nodes';

export interface ContextInputs {
  /** False in untrusted workspaces: no token that enables a change to AWS. */
  readonly canModify: boolean;
}

/** The AWS console has nothing to show for an environment behind the sandbox or another endpoint: no entry there. */
function consoleToken(node: EnvTreeNode): string[] {
  return isCustomEndpoint(node.env) ? [] : ['hasConsole'];
}

export function contextTokens(node: EnvTreeNode, { canModify }: ContextInputs): string[] {
  const t: string[] = [node.kind];
  const production = node.env.production;
  switch (node.kind) {
    case 'environment': {
      const status = node.status;
      const waiting = status?.pipeline?.pendingApproval !== undefined;
      if (canModify) t.push('canDeploy', 'canRollback');
      if (waiting) t.push('hasApproval');
      if (waiting && canModify) t.push('canApprove');
      if (status?.pipeline) t.push('hasPipeline', 'hasLog');
      if (status?.pipeline?.outcome?.kind === 'failed' && canModify) t.push('canRetry');
      if (isCredentialsProblem(node.error)) t.push('needsSignIn');
      t.push(...consoleToken(node));
      break;
    }
    case 'version':
      if (node.version) t.push('hasVersion');
      if (node.commit) t.push('hasCommit');
      break;
    case 'pipeline':
      t.push(...consoleToken(node));
      if (node.pipeline) t.push('hasPipeline', 'hasLog');
      if (node.pipeline?.pendingApproval) t.push('hasApproval');
      if (node.pipeline?.pendingApproval && canModify) t.push('canApprove');
      if (node.pipeline?.outcome?.kind === 'failed' && canModify) t.push('canRetry');
      break;
    case 'approval':
      t.push('hasApproval', 'hasVersion');
      if (canModify) t.push('canApprove');
      if (node.commit) t.push('hasCommit');
      break;
    case 'action':
      if (node.action.externalExecutionId) t.push('hasLog');
      break;
    case 'service':
      t.push(...consoleToken(node));
      // A rolled-back rollout's "log" is its ECS events and stopped tasks.
      if (node.service.failedDeployment) t.push('hasLog');
      break;
    case 'runs-now':
      // Roll Back preselects the last good version (commandTargets: the node's commit); Retry the failed stage.
      if (canModify && node.left.deployedVersion) t.push('canRollback');
      if (canModify && node.left.ended === 'failed') t.push('canRetry');
      if (node.left.rolledBack.length > 0) t.push('hasLog');
      break;
    case 'stopped-tasks':
    case 'service-events':
      t.push('hasLog');
      break;
    case 'maintenance':
      if (canModify && node.state?.kind === 'off') t.push('canEnableMaintenance');
      if (canModify && node.state?.kind === 'on') t.push('canDisableMaintenance');
      break;
    case 'history-entry':
      if (node.entry.version) t.push('hasVersion');
      if (node.commit) t.push('hasCommit');
      break;
    case 'container':
      if (node.image.tag) t.push('hasVersion');
      if (node.commit) t.push('hasCommit');
      break;
    default:
      break;
  }
  if (production) t.push('isProduction');
  return t;
}
