// The last known state kept between windows (core/snapshot): what is written, what is believed when read back (the
// file is untrusted), whose it is, and how it is shown until this window reads again.
import * as assert from 'node:assert/strict';
import { defaultEnvironment } from '../../../src/core/environments';
import type { EnvironmentStatus } from '../../../src/core/model';
import {
  decodeSnapshot,
  encodeSnapshot,
  markUnreachable,
  mergeEntries,
  seedStatus,
  snapshotKey,
  SNAPSHOT_MAX_ENTRIES,
  type SnapshotEntry,
} from '../../../src/core/snapshot';
import { environmentStatus, serviceStatus } from '../statusFixtures';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const t0 = new Date(Date.UTC(2026, 10, 30, 8, 0, 0));
const later = (ms: number) => new Date(t0.getTime() + ms);

const prod = { ...defaultEnvironment('spryker-prod'), production: true, region: 'eu-central-1' };
const key = snapshotKey(prod, undefined);

/** A full read: versions, a pipeline with a waiting approval and an outcome with a date, a service with a task. */
function read(at: Date): EnvironmentStatus {
  return environmentStatus(at, {
    desiredVersion: B,
    lastDeployedVersion: A,
    lastDeployedParameter: '/spryker-prod/last_deployed_version',
    lastDeployedAt: later(-3600_000),
    pipeline: {
      name: 'spryker-prod-pipeline',
      status: 'InProgress',
      executionId: 'e2',
      currentStage: 'Please_approve',
      stages: [{ name: 'Please_approve', status: 'InProgress', executionId: 'e2', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok', lastStatusChange: later(-60_000) }] }],
      pendingApproval: { pipelineName: 'spryker-prod-pipeline', stageName: 'Please_approve', actionName: 'Approval', token: 'tok', executionId: 'e2', version: B, requestedAt: later(-60_000) },
      outcome: { kind: 'awaiting-approval' },
    },
    services: [
      serviceStatus('spryker-prod-yves', {
        runningVersions: [A],
        tasks: [{ id: 't1', taskDefinition: 'td:7', lastStatus: 'RUNNING', images: [{ container: 'yves', image: `yves:${A}`, tag: A }], startedAt: later(-7200_000) }],
        events: [{ at: later(-600_000), message: 'has reached a steady state.' }],
      }),
    ],
  });
}

const entry = (status: EnvironmentStatus, savedAt = status.fetchedAt, k = key): SnapshotEntry => ({ key: k, savedAt, status });
const fileWith = (...entries: SnapshotEntry[]) => encodeSnapshot(entries);

describe('last known state between windows (core/snapshot)', () => {
  it('reads back what was written, dates as dates, every part marked stale as of its read and not yet failed', () => {
    const { entries, dropped } = decodeSnapshot(fileWith(entry(read(t0))), later(180_000));
    assert.deepEqual(dropped, []);
    const seeded = seedStatus(entries, prod, key);
    assert.ok(seeded);
    const { stale, ...rest } = seeded;
    assert.deepEqual(rest, read(t0), 'the status as it was read, Date fields included');
    assert.ok(seeded.pipeline?.outcome && seeded.pipeline.pendingApproval?.requestedAt instanceof Date);
    assert.deepEqual(stale, [
      { part: 'parameters', asOf: t0 },
      { part: 'pipeline', asOf: t0 },
      { part: 'services', asOf: t0 },
    ]);
  });

  it('keeps the older read time of a part that was already stale when saved, not the old connection error', () => {
    const outage = { ...read(later(120_000)), errors: [{ part: 'services' as const, code: 'network' as const, message: 'ECONNRESET' }, { part: 'pipeline' as const, code: 'access-denied' as const, message: 'no GetPipelineState' }], stale: [{ part: 'services' as const, asOf: t0, error: { part: 'services' as const, code: 'network' as const, message: 'ECONNRESET' } }] };
    const seeded = seedStatus(decodeSnapshot(fileWith(entry(outage)), later(180_000)).entries, prod, key);
    assert.deepEqual(seeded?.stale?.map((s) => [s.part, s.asOf.toISOString(), s.error]), [
      ['parameters', later(120_000).toISOString(), undefined],
      ['pipeline', later(120_000).toISOString(), undefined],
      ['services', t0.toISOString(), undefined],
    ]);
    assert.deepEqual(seeded?.errors.map((e) => e.code), ['access-denied'], "AWS's answer stays; the earlier window's network error does not");
  });

  it("is another environment's for another profile, endpoint, region or configuration; the ambient profile counts only without a profile", () => {
    const { entries } = decodeSnapshot(fileWith(entry(read(t0))), later(1000));
    assert.ok(seedStatus(entries, prod, snapshotKey(prod, undefined)));
    for (const other of [{ ...prod, profile: 'other-account' }, { ...prod, endpoint: 'http://127.0.0.1:4566' }, { ...prod, region: 'eu-west-1' }, { ...prod, cluster: 'another-cluster' }]) {
      assert.equal(seedStatus(entries, other, snapshotKey(other, undefined)), undefined, JSON.stringify(other));
    }
    assert.equal(seedStatus(entries, prod, snapshotKey(prod, 'another-ambient-profile')), undefined);
    assert.equal(snapshotKey({ ...prod, profile: 'p' }, 'x'), snapshotKey({ ...prod, profile: 'p' }, 'y'), 'a named profile does not depend on AWS_PROFILE');
    // An entry under the right key whose status names another environment is not believed either.
    const foreign = decodeSnapshot(fileWith(entry({ ...read(t0), name: 'spryker-staging' })), later(1000)).entries;
    assert.equal(seedStatus(foreign, prod, key), undefined);
    assert.equal(seedStatus(decodeSnapshot(fileWith(entry({ ...read(t0), production: false })), later(1000)).entries, prod, key), undefined);
  });

  it('believes nothing from a file that is not JSON, of another format or version, or too big, and says why', () => {
    const cases: [string, RegExp][] = [
      ['{"format":', /not JSON/],
      [JSON.stringify({ format: 'other', version: 1, entries: [] }), /not a last-known snapshot/],
      [JSON.stringify({ format: 'spryker-deploy/last-known', version: 2, entries: [] }), /not a last-known snapshot/],
      [JSON.stringify([1, 2]), /not a last-known snapshot/],
      [' '.repeat(4_000_001), /larger than/],
    ];
    for (const [text, why] of cases) {
      const { entries, dropped } = decodeSnapshot(text, t0);
      assert.equal(entries.length, 0);
      assert.match(dropped.join(), why);
    }
  });

  it('drops a malformed entry alone, naming the field, and keeps the others', () => {
    const good = JSON.parse(fileWith(entry(read(t0)))) as { entries: Record<string, unknown>[] };
    const bad = (mutate: (status: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(good.entries[0])) as { status: Record<string, unknown> };
      mutate(copy.status);
      return copy;
    };
    const file = JSON.stringify({
      ...good,
      entries: [
        bad((s) => (s.fetchedAt = 'yesterday')),
        bad((s) => ((s.services as Record<string, unknown>[])[0].drift = 'sideways')),
        bad((s) => ((s.services as Record<string, unknown>[])[0].desiredCount = '2')),
        bad((s) => ((s.pipeline as Record<string, unknown>).outcome = { kind: 'exploded' })),
        bad((s) => (s.services = { length: 1 })),
        good.entries[0],
      ],
    });
    const { entries, dropped } = decodeSnapshot(file, later(1000));
    assert.equal(entries.length, 1);
    assert.deepEqual(
      dropped.map((d) => d.replace(/:.*/, '')),
      ['entries[0].status.fetchedAt', 'entries[1].status.services[0].drift', 'entries[2].status.services[0].desiredCount', 'entries[3].status.pipeline.outcome.kind', 'entries[4].status.services'],
    );
  });

  it('drops fields it does not know, so nothing foreign reaches the views', () => {
    const raw = JSON.parse(fileWith(entry(read(t0)))) as { entries: { status: Record<string, unknown> }[] };
    raw.entries[0].status.injected = 'x';
    (raw.entries[0].status.services as Record<string, unknown>[])[0].secret = 'y';
    const seeded = seedStatus(decodeSnapshot(JSON.stringify(raw), later(1000)).entries, prod, key);
    assert.ok(seeded);
    assert.equal('injected' in seeded, false);
    assert.equal('secret' in seeded.services[0], false);
  });

  it('drops an entry older than 30 days or dated in the future', () => {
    const old = entry(read(t0));
    assert.match(decodeSnapshot(fileWith(old), later(31 * 24 * 3600_000)).dropped.join(), /older than 30 days/);
    assert.match(decodeSnapshot(fileWith(old), later(-3600_000)).dropped.join(), /future/);
    assert.match(decodeSnapshot(fileWith(entry(read(later(5000)), t0)), later(10_000)).dropped.join(), /future/, 'read after it was saved');
  });

  it('keeps one entry per environment, the newest, and a bounded number of them', () => {
    const older = entry(read(t0));
    const newer = entry(read(later(60_000)));
    assert.deepEqual(mergeEntries([older], [newer]), [newer]);
    assert.deepEqual(mergeEntries([newer], [older]), [newer], 'another window wrote an older one: ours stays');
    const many = Array.from({ length: SNAPSHOT_MAX_ENTRIES + 5 }, (_, i) => entry(read(t0), later(i * 1000), `k${i}`));
    const kept = mergeEntries(many);
    assert.equal(kept.length, SNAPSHOT_MAX_ENTRIES);
    assert.equal(kept[0].key, `k${SNAPSHOT_MAX_ENTRIES + 4}`, 'the most recently saved first');
  });

  it('a read that failed as a whole gives the parts still shown from the earlier window its error; parts with their own error keep it', () => {
    const seeded = { ...read(t0), stale: [{ part: 'parameters' as const, asOf: t0 }, { part: 'services' as const, asOf: t0, error: { part: 'services' as const, code: 'throttled' as const, message: 'Rate exceeded' } }] };
    const marked = markUnreachable(seeded, { kind: 'network', message: 'Cannot reach AWS (ECONNREFUSED)' });
    assert.deepEqual(marked.stale?.map((s) => [s.part, s.error?.code]), [
      ['parameters', 'network'],
      ['services', 'throttled'],
    ]);
    const fresh = read(t0);
    assert.equal(markUnreachable(fresh, { kind: 'network', message: 'x' }), fresh, 'nothing stale: unchanged');
  });
});
