// The words of the deploy notifications that are decided without VS Code, so they are unit-tested.

import type { LeftoversText } from '../core/afterFailure';
import { describeOutcome, type ExecutionOutcome } from '../core/outcome';
import { shortVersion } from '../core/version';

/** Said when the user cancels the progress notification: what goes on, and where to keep watching it. */
export function followStoppedMessage(envName: string, executionId: string, version: string | undefined): string {
  const what = version ? `the deployment of ${shortVersion(version)} to ${envName}` : `execution ${executionId} of ${envName}`;
  return `Stopped following ${what}. It was not cancelled: the pipeline keeps running in AWS. Watch it in the Spryker Deploy Environments view or the approval panel.`;
}

export interface FinishedNotice {
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly actions: readonly string[];
}

export const SHOW_LOG = 'Show Log';
export const RETRY = 'Retry';
export const ROLL_BACK = 'Roll Back';
export const SHOW_SERVICES = 'Show Services';
export const restoreAction = (deployed: string): string => `Restore ${shortVersion(deployed)}`;

/**
 * What a finished execution is told as: a success as news, a failure as an error naming the stage and AWS's reason
 * with the three ways on (Show Log, Retry, Roll Back), a rejection or an expiry as a neutral fact with the offer to
 * put desired_version back. `what` names the version ("a1b2c3d "Fix cart"").
 */
export function finishedNotice(input: {
  readonly envName: string;
  readonly what: string;
  readonly outcome: ExecutionOutcome;
  readonly desiredVersion?: string;
  readonly deployedVersion?: string;
  readonly desiredParameter: string;
  readonly canModify: boolean;
  readonly rolledBack: readonly string[];
  /** What a deploy that failed part-way left running (core/afterFailure.ts), when the services do not all run one version. */
  readonly leftovers?: LeftoversText;
}): FinishedNotice {
  const { envName, what, outcome, canModify } = input;
  const stillDesired =
    input.desiredVersion && input.deployedVersion && input.desiredVersion !== input.deployedVersion
      ? ` ${input.desiredParameter} still holds ${shortVersion(input.desiredVersion)}; ${shortVersion(input.deployedVersion)} is deployed.`
      : '';
  const restore = stillDesired && canModify && input.deployedVersion ? [restoreAction(input.deployedVersion)] : [];
  switch (outcome.kind) {
    case 'deployed':
      return { severity: 'info', message: `Deployed ${what} to ${envName}${outcome.approvedBy?.length ? `, approved by ${outcome.approvedBy.join(' and ')}` : ''}.`, actions: [SHOW_SERVICES] };
    case 'failed': {
      // Split between two versions: say what runs where, how the parameters disagree and what to do, plainly.
      const left = input.leftovers;
      const rolled = left
        ? ` ${left.runsNow} ${left.parameters} ${left.advice}`
        : input.rolledBack.length > 0
          ? ` ECS rolled back ${input.rolledBack.join(', ')}: ${input.deployedVersion ? shortVersion(input.deployedVersion) : 'the previous version'} runs there.`
          : '';
      return {
        severity: 'error',
        message: `${envName}: deployment of ${what} ${describeOutcome(outcome).replace(/^Failed/, 'failed').replace(/\.$/, '')}.${rolled}`,
        actions: [SHOW_LOG, ...(canModify ? [RETRY, ROLL_BACK] : [])],
      };
    }
    case 'rejected':
      return { severity: 'info', message: `${envName}: deployment of ${what} ${describeOutcome(outcome).replace(/^Rejected/, 'rejected')}.${stillDesired}`, actions: restore };
    case 'expired':
      return { severity: 'warning', message: `${envName}: the approval of ${what} expired; nothing was deployed.${stillDesired}`, actions: restore };
    case 'stopped': {
      const left = input.leftovers;
      if (left) {
        return { severity: 'warning', message: `${envName}: deployment of ${what} was ${describeOutcome(outcome).replace(/^Stopped/, 'stopped')}. ${left.runsNow} ${left.parameters} ${left.advice}`, actions: canModify ? [ROLL_BACK] : [] };
      }
      return { severity: 'warning', message: `${envName}: deployment of ${what} was ${describeOutcome(outcome).replace(/^Stopped/, 'stopped')}.${stillDesired}`, actions: restore };
    }
    case 'superseded':
      return { severity: 'info', message: `${envName}: deployment of ${what} was ${describeOutcome(outcome).replace(/^Superseded/, 'superseded')}.`, actions: [] };
    default:
      return { severity: 'info', message: `${envName}: ${what}: ${describeOutcome(outcome)}.`, actions: [] };
  }
}
