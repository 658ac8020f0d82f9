// One wording for time everywhere: relative (whole units rounded down, as VS Code's hovers count) and UTC.
import * as assert from 'node:assert/strict';
import { relativeTime, utcTimestamp } from '../../../src/core/time';

describe('time wording', () => {
  const now = new Date(Date.UTC(2026, 10, 30, 12, 0, 0));
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it('says just now under a minute, then minutes, hours and days rounded down', () => {
    assert.equal(relativeTime(ago(59_000), now), 'just now');
    assert.equal(relativeTime(ago(5 * 60_000 + 59_000), now), '5 min ago');
    assert.equal(relativeTime(ago(3 * 3600_000 + 59 * 60_000), now), '3 h ago');
    assert.equal(relativeTime(ago(24 * 3600_000), now), '1 day ago');
    // 47 hours: VS Code's Source Control Graph hover says "1 day ago"; rounding would have said 2.
    assert.equal(relativeTime(ago(47 * 3600_000), now), '1 day ago');
    assert.equal(relativeTime(ago(12 * 24 * 3600_000), now), '12 days ago');
  });
  it('accepts dates, ISO strings and epoch milliseconds alike, and says nothing about a malformed time', () => {
    const at = ago(5 * 60_000);
    assert.equal(relativeTime(at.toISOString(), now.getTime()), '5 min ago');
    assert.equal(relativeTime(at.getTime(), now), '5 min ago');
    assert.equal(relativeTime('not a date', now), '');
    assert.equal(relativeTime(undefined, now), '');
    assert.equal(relativeTime(new Date(now.getTime() + 10 * 60_000), now), 'in 10 min');
  });
  it('writes absolute times in UTC to the minute', () => {
    assert.equal(utcTimestamp(new Date(Date.UTC(2026, 10, 30, 8, 5, 42))), '2026-11-30 08:05 UTC');
    assert.equal(utcTimestamp('2026-11-30T08:05:42+02:00'), '2026-11-30 06:05 UTC');
    assert.equal(utcTimestamp(undefined), '');
  });
});
