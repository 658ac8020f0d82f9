// Formatting for the approval panel. No DOM here, so it is unit-tested under Node.

import { utcTimestamp } from '../core/time';
import { shortVersion } from '../core/version';

export function shortSha(version: string | undefined): string {
  return version === undefined ? 'unknown' : shortVersion(version);
}

/** The one relative wording of the whole product (core/time): the panel says what the tree says. */
export { relativeTime } from '../core/time';

/** "1h 02m", "3m 07s", "42s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The one absolute form (core/time), for tooltips next to a relative time: what the tree's tooltips say. */
export function absoluteTime(iso: string | undefined): string {
  return utcTimestamp(iso);
}

/** Words for screen readers and tooltips; the icon alone says nothing to them. */
export function statusLabel(status: string): string {
  switch (status) {
    case 'InProgress':
      return 'In progress';
    case 'Waiting':
      return 'Waiting for approval';
    case 'Pending':
      return 'Not started';
    default:
      return status;
  }
}
