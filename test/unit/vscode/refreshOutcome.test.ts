// What the Refresh command says after AWS could not be read (src/vscode/store/refreshOutcome.ts).
import * as assert from 'node:assert/strict';
import { DeployError } from '../../../src/core/errors';
import type { EnvironmentStatus, PartError } from '../../../src/core/model';
import { refreshFailure } from '../../../src/vscode/store/refreshOutcome';

const readAt = new Date('2026-11-26T10:00:00Z');
const now = new Date('2026-11-26T10:03:00Z');
const network: PartError = { part: 'parameters', code: 'network', message: 'Cannot reach AWS for SSM GetParameters (ECONNRESET)' };

function status(over: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return { name: 'spryker-prod', production: true, region: 'eu-central-1', fetchedAt: now, desiredVersion: 'a'.repeat(40), lastDeployedVersion: 'a'.repeat(40), services: [], errors: [], ...over };
}
const kept = (error: PartError) => status({ errors: [error], stale: [{ part: error.part, asOf: readAt, error }] });

describe('refresh outcome: what a Refresh the user ran says when AWS could not be read', () => {
  it('says nothing when every environment was read', () => {
    assert.equal(refreshFailure([{ name: 'spryker-prod', status: status() }], now), undefined);
  });

  it("an environment kept from its last read: the error's kind (its one action follows from it), the reason and the age of what it shows", () => {
    const failure = refreshFailure([{ name: 'spryker-prod', status: kept(network) }, { name: 'spryker-staging', status: status({ name: 'spryker-staging' }) }], now);
    assert.equal(failure?.kind, 'network');
    assert.equal(failure?.details.readOnly, true, 'a refresh only reads: its network failure offers Retry');
    assert.equal(failure?.message, 'Could not read spryker-prod: Cannot reach AWS for SSM GetParameters (ECONNRESET). It shows what was last read 3 min ago, marked stale.');
  });

  it('several environments are named; an environment not read at all gives its own error (expired credentials: Sign In)', () => {
    const expired = new DeployError('credentials-expired', 'The AWS credentials of profile shop have expired.');
    const failure = refreshFailure([{ name: 'spryker-prod', error: expired }, { name: 'spryker-staging', status: kept({ ...network, awsCode: 'RequestTimeout' }) }], now);
    assert.equal(failure?.kind, 'credentials-expired');
    assert.equal(failure?.message, 'Could not read 2 environments (spryker-prod, spryker-staging): The AWS credentials of profile shop have expired.');
    const throttled = refreshFailure([{ name: 'spryker-staging', status: kept({ ...network, code: 'throttled', message: 'Throttled by AWS.', awsCode: 'ThrottlingException' }) }], now);
    assert.equal(throttled?.kind, 'throttled');
    assert.equal(throttled?.details.awsCode, 'ThrottlingException');
  });

  it("a reopened window's kept state being read again (no error) is not a failure", () => {
    assert.equal(refreshFailure([{ name: 'spryker-prod', status: status({ stale: [{ part: 'parameters', asOf: readAt }] }) }], now), undefined);
  });
});
