// The core's public surface for the front ends (CLI, extension host, webview host).
export * from './model';
export * from './errors';
export type * from './ports';
export type * from './api';
export * from './environments';
export * from './version';
export * from './versionComparison';
export * from './caches';
export * from './pipeline';
export { fetchStatus, computeDrift, runningVersions } from './status';
export { createEnvironmentService, rankRollbackCandidates, MAX_APPROVAL_COMMENT, type EnvironmentServiceOptions } from './environmentService';
