// How a time is written, everywhere (tree, pickers, notifications, approval panel, CLI): one relative wording
// and one absolute UTC form. Pure.

type TimeInput = Date | string | number | undefined;

function toMs(at: TimeInput): number | undefined {
  if (at === undefined) return undefined;
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isNaN(ms) ? undefined : ms;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "5 min ago", "3 h ago", "1 day ago", "12 days ago"; "in 5 min" for the future (a skewed clock).
 * Whole units rounded down, as VS Code's own hovers count, so the Source Control Graph and our views agree on
 * the day. Empty for a missing or malformed time.
 */
export function relativeTime(at: TimeInput, now: Date | number): string {
  const ms = toMs(at);
  if (ms === undefined) return '';
  const nowMs = now instanceof Date ? now.getTime() : now;
  const delta = nowMs - ms;
  const abs = Math.abs(delta);
  let words: string;
  if (abs < MINUTE) return 'just now';
  if (abs < HOUR) words = `${Math.floor(abs / MINUTE)} min`;
  else if (abs < DAY) words = `${Math.floor(abs / HOUR)} h`;
  else {
    const days = Math.floor(abs / DAY);
    words = `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return delta >= 0 ? `${words} ago` : `in ${words}`;
}

/** "2026-11-30 08:05 UTC": the one absolute form, the same on every machine whatever its time zone. */
export function utcTimestamp(at: TimeInput): string {
  const ms = toMs(at);
  if (ms === undefined) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
