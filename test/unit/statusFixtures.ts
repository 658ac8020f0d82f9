// Status snapshots for unit tests: one place that knows every field a ServiceStatus and an EnvironmentStatus
// need, so a test spells only what it is about.
import type { EnvironmentStatus, ServiceStatus } from '../../src/core/model';

/** A healthy ECS service of one task, in sync, with no deployments, images or tasks unless given. */
export function serviceStatus(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    deployments: [],
    images: [],
    tasks: [],
    runningVersions: [],
    drift: 'in-sync',
    ...overrides,
  };
}

/** A production environment `spryker-prod` in eu-central-1 read at `fetchedAt`, with no services and no errors unless given. */
export function environmentStatus(fetchedAt: Date, overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return { name: 'spryker-prod', production: true, region: 'eu-central-1', fetchedAt, services: [], errors: [], ...overrides };
}
