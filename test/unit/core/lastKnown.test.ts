// An outage keeps the last known state: parts AWS could not be reached for stay as last read, marked stale.
import * as assert from 'node:assert/strict';
import { keepLastKnown, oldestStale } from '../../../src/core/lastKnown';
import type { EnvironmentStatus, PartError } from '../../../src/core/model';
import type { DeployErrorKind } from '../../../src/core/errors';
import { environmentStatus, serviceStatus } from '../statusFixtures';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const t0 = new Date(Date.UTC(2026, 10, 30, 8, 0, 0));
const t1 = new Date(t0.getTime() + 60_000);
const t2 = new Date(t0.getTime() + 120_000);

const service = serviceStatus('spryker-prod-yves', { runningVersions: [A] });

function read(at: Date): EnvironmentStatus {
  return environmentStatus(at, {
    desiredVersion: B,
    lastDeployedVersion: A,
    lastDeployedParameter: '/spryker-prod/codebuild/last_deployed_version',
    pipeline: { name: 'spryker-prod-pipeline', status: 'Succeeded', executionId: 'e1', stages: [] },
    services: [service],
  });
}

const unreachable = (part: PartError['part'], code: DeployErrorKind = 'network'): PartError => ({ part, code, message: `Cannot reach AWS for ${part} (ECONNRESET)` });

function outage(at: Date, code: DeployErrorKind = 'network'): EnvironmentStatus {
  return {
    name: 'spryker-prod',
    production: true,
    region: 'eu-central-1',
    fetchedAt: at,
    services: [],
    errors: [unreachable('parameters', code), unreachable('pipeline', code), unreachable('services', code)],
  };
}

describe('last known state (core/lastKnown)', () => {
  it('keeps the versions, pipeline and services of the last read when AWS cannot be reached, marked stale with their read time and the error', () => {
    const kept = keepLastKnown(read(t0), outage(t1));
    assert.equal(kept.desiredVersion, B);
    assert.equal(kept.lastDeployedVersion, A);
    assert.equal(kept.pipeline?.status, 'Succeeded');
    assert.deepEqual(kept.services.map((s) => s.name), ['spryker-prod-yves']);
    assert.deepEqual(kept.stale?.map((s) => [s.part, s.asOf.toISOString(), s.error?.code]), [
      ['parameters', t0.toISOString(), 'network'],
      ['pipeline', t0.toISOString(), 'network'],
      ['services', t0.toISOString(), 'network'],
    ]);
    assert.equal(kept.fetchedAt, t1, 'the attempt is the new one');
    assert.equal(kept.errors.length, 3, 'the errors stay visible');
  });

  it('keeps the time of the last successful read across several failed refreshes', () => {
    const first = keepLastKnown(read(t0), outage(t1));
    const second = keepLastKnown(first, outage(t2));
    assert.equal(oldestStale(second)?.asOf.toISOString(), t0.toISOString());
    assert.equal(second.lastDeployedVersion, A);
  });

  it('treats throttling and AWS 5xx answers as not reaching AWS', () => {
    assert.equal(keepLastKnown(read(t0), outage(t1, 'throttled')).lastDeployedVersion, A);
    assert.equal(keepLastKnown(read(t0), outage(t1, 'aws')).pipeline?.status, 'Succeeded');
  });

  it('keeps only the parts that failed; the parts that answered are the new read', () => {
    const next: EnvironmentStatus = { ...read(t1), desiredVersion: A, services: [], errors: [unreachable('services')] };
    const kept = keepLastKnown(read(t0), next);
    assert.equal(kept.desiredVersion, A, 'parameters answered: fresh');
    assert.deepEqual(kept.services.map((s) => s.name), ['spryker-prod-yves']);
    assert.deepEqual(kept.stale?.map((s) => s.part), ['services']);
  });

  it("takes AWS's own answers (not found, access denied) instead of the last known values", () => {
    const notFound = { ...outage(t1), errors: [{ part: 'parameters' as const, code: 'not-found' as const, message: 'Parameter does not exist.' }] };
    const kept = keepLastKnown(read(t0), notFound);
    assert.equal(kept.desiredVersion, undefined);
    assert.equal(kept.stale, undefined);
    assert.equal(keepLastKnown(read(t0), outage(t1, 'access-denied')).lastDeployedVersion, undefined);
  });

  it('recovers by itself: a read that answers replaces everything and marks nothing stale', () => {
    const stale = keepLastKnown(read(t0), outage(t1));
    const recovered = keepLastKnown(stale, { ...read(t2), lastDeployedVersion: B });
    assert.equal(recovered.stale, undefined);
    assert.equal(recovered.lastDeployedVersion, B);
  });

  it('has nothing to keep for an environment never read before', () => {
    const first = keepLastKnown(undefined, outage(t1));
    assert.equal(first.stale, undefined);
    assert.equal(first.desiredVersion, undefined);
  });
});
