// The words of the deploy notifications that are decided without VS Code, so they are unit-tested.

import { shortVersion } from '../core/version';

/** Said when the user cancels the progress notification: what goes on, and where to keep watching it. */
export function followStoppedMessage(envName: string, executionId: string, version: string | undefined): string {
  const what = version ? `the deployment of ${shortVersion(version)} to ${envName}` : `execution ${executionId} of ${envName}`;
  return `Stopped following ${what}. It was not cancelled: the pipeline keeps running in AWS. Watch it in the Spryker Deploy Environments view or the approval panel.`;
}
