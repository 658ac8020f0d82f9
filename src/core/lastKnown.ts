// What a refresh that could not reach AWS keeps: the parts of the status (versions, pipeline, services) that the
// last read answered, marked stale with the time they were read and the error that kept them from being read
// again. An outage must never turn an environment read before into "Never deployed". Pure.

import type { DeployErrorKind } from './errors';
import type { EnvironmentStatus, PartError, StalePart, StatusPart } from './model';

/**
 * Errors that say nothing about the environment, only that the question did not get through (network, throttling,
 * AWS's 5xx, a proxy's answer). A not-found or an access-denied is AWS's answer and replaces what was known.
 */
const UNREACHABLE: ReadonlySet<string> = new Set<DeployErrorKind>(['network', 'throttled', 'aws', 'unknown']);

export function couldNotReach(error: Pick<PartError, 'code'>): boolean {
  return UNREACHABLE.has(error.code);
}

export const STATUS_PARTS: readonly StatusPart[] = ['parameters', 'pipeline', 'services'];

/** Does the status hold this part's values (a read answered them)? */
export function hasPart(status: EnvironmentStatus, part: StatusPart): boolean {
  switch (part) {
    case 'parameters':
      return status.desiredVersion !== undefined || status.lastDeployedVersion !== undefined;
    case 'pipeline':
      return status.pipeline !== undefined;
    case 'services':
      return status.services.length > 0;
  }
}

function partOf(status: EnvironmentStatus, part: StatusPart): Partial<EnvironmentStatus> {
  switch (part) {
    case 'parameters':
      return {
        desiredVersion: status.desiredVersion,
        lastDeployedVersion: status.lastDeployedVersion,
        lastDeployedParameter: status.lastDeployedParameter,
        lastDeployedAt: status.lastDeployedAt,
      };
    case 'pipeline':
      return { pipeline: status.pipeline };
    case 'services':
      return { services: status.services };
  }
}

/** When the previous status read this part: its own stale time if it was already stale, else its fetch time. */
function readAt(previous: EnvironmentStatus, part: StatusPart): Date {
  return previous.stale?.find((s) => s.part === part)?.asOf ?? previous.fetchedAt;
}

/**
 * The status to show after `next` was read: each part `next` could not read because AWS could not be reached is
 * taken from `previous` (when it had one) and listed in `stale`; everything `next` did read is `next`'s.
 */
export function keepLastKnown(previous: EnvironmentStatus | undefined, next: EnvironmentStatus): EnvironmentStatus {
  if (!previous || previous.name !== next.name) return next;
  let merged: EnvironmentStatus = next;
  const stale: StalePart[] = [];
  for (const part of STATUS_PARTS) {
    const error = next.errors.find((e) => e.part === part && couldNotReach(e));
    if (!error || !hasPart(previous, part)) continue;
    merged = { ...merged, ...partOf(previous, part) };
    stale.push({ part, asOf: readAt(previous, part), error });
  }
  if (stale.length === 0) return next;
  // Optional fields copied as undefined would read as "present but empty" to code that checks `in`.
  const cleaned = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as unknown as EnvironmentStatus;
  return { ...cleaned, stale };
}

/** The oldest read among the stale parts: how old what the user sees may be. */
export function oldestStale(status: EnvironmentStatus): StalePart | undefined {
  return status.stale?.reduce<StalePart | undefined>((oldest, s) => (!oldest || s.asOf < oldest.asOf ? s : oldest), undefined);
}

/** The stale entry of one part, if that part is shown from an earlier read. */
export function stalePart(status: EnvironmentStatus, part: StatusPart): StalePart | undefined {
  return status.stale?.find((s) => s.part === part);
}
