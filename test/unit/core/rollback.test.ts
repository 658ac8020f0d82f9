import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService, rankRollbackCandidates } from '../../../src/core/environmentService';
import { restingWorld, SHA_A, SHA_B, SHA_C } from './fakePorts';

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));

describe('rollback candidates', () => {
  it('merges parameter history and successful executions, newest first, deduped, current flagged, invalid dropped', () => {
    const candidates = rankRollbackCandidates({
      deployedHistory: [
        { name: 'p', value: SHA_C, version: 1, lastModified: at(1), lastModifiedUser: 'alice' },
        { name: 'p', value: 'latest', version: 2, lastModified: at(2) },
        { name: 'p', value: SHA_B, version: 3, lastModified: at(10), lastModifiedUser: 'bob' },
        { name: 'p', value: SHA_A, version: 4, lastModified: at(20), lastModifiedUser: 'carol' },
      ],
      desiredHistory: [
        { name: 'd', value: SHA_B, version: 1, lastModified: at(5) },
        { name: 'd', value: 'd'.repeat(40), version: 2, lastModified: at(30) },
      ],
      executions: [
        { executionId: 'failed', status: 'Failed', startTime: at(31), lastUpdateTime: at(35) },
        { executionId: 'e2', status: 'Succeeded', startTime: at(6), lastUpdateTime: at(12) },
        { executionId: 'e1', status: 'Succeeded', startTime: at(0), lastUpdateTime: at(0), sourceRevisions: [{ actionName: 'Spryker_App_Src', revisionId: 'e'.repeat(40) }] },
      ],
      current: SHA_A,
    });
    assert.deepEqual(
      candidates.map((c) => [c.version[0], c.source, c.deployedBy, c.current]),
      [
        ['a', 'parameter-history', 'carol', true],
        ['b', 'pipeline-execution', 'bob', false],
        ['c', 'parameter-history', 'alice', false],
        ['e', 'pipeline-execution', undefined, false],
      ],
    );
  });

  it('reads the history of the deployed-version spelling that exists', async () => {
    const aws = restingWorld('spryker-staging');
    aws.parameters.set('/spryker-staging/lastdeployedversion', aws.parameters.get('/spryker-staging/last_deployed_version')!);
    aws.parameters.delete('/spryker-staging/last_deployed_version');
    const { candidates } = await createEnvironmentService(resolveEnvironment({ name: 'spryker-staging' }), aws.ports).rollbackCandidates();
    assert.deepEqual(candidates.map((c) => [c.version, c.current]), [
      [SHA_A, true],
      [SHA_B, false],
    ]);
  });
});
