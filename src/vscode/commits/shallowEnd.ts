// The Commits view's words for a shallow clone (`git clone --depth`): why deployed versions are missing from its
// history, and what Fetch Full History will download. Pure.

import { shortVersion } from '../../core/version';

/** What the offer says it will download, before anything is downloaded. */
export const FULL_HISTORY_OFFER = 'Fetch Full History downloads every older commit of the remote (git fetch --unshallow); on a large project that can take a few minutes.';

/** The Commits view's last row in a shallow clone: why deployed versions are missing, and the fix. */
export function shallowEndText(missing: readonly { env: string; version: string }[]): { label: string; description: string; tooltip: string } {
  const versions = missing.map((m) => `${m.env} ${shortVersion(m.version)}`).join(', ');
  return {
    label: 'History ends here: this is a shallow clone',
    description: missing.length ? `not here: ${versions}. Click to fetch the full history` : 'click to fetch the full history',
    tooltip: [
      'This repository was cloned with --depth, so its older commits are not here and a plain fetch never brings them.',
      missing.length ? `The deployed versions ${versions} are among them.` : '',
      FULL_HISTORY_OFFER,
    ]
      .filter(Boolean)
      .join('\n\n'),
  };
}
