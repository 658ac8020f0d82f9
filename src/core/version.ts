// Versions are full Git commit hashes: the image tag in ECR must match exactly, so a short hash that
// Git would accept is still refused here.

import { DeployError } from './errors';
import type { Version } from './model';

const FULL_SHA = /^[0-9a-f]{40}$/;

export function isVersion(value: string | undefined): value is Version {
  return value !== undefined && FULL_SHA.test(value);
}

/** Validates user input as a version: trims, lowercases, and refuses anything but 40 hex characters. */
export function parseVersion(input: string): Version {
  const value = String(input ?? '').trim().toLowerCase();
  if (FULL_SHA.test(value)) return value;
  if (/^[0-9a-f]{4,39}$/.test(value)) {
    throw new DeployError(
      'invalid-input',
      `"${input}" is a short commit hash: a full 40-character hash is needed (it is the image tag), e.g. from \`git rev-parse ${value}\`.`,
    );
  }
  if (value === '') throw new DeployError('invalid-input', 'No version given: a full 40-character commit hash is needed.');
  throw new DeployError('invalid-input', `"${input}" is not a commit hash: a full 40-character hexadecimal hash is needed.`);
}

/** Is the input the `latest` keyword (staging deploys the last built version). */
export function isLatestKeyword(input: string): boolean {
  return String(input ?? '').trim().toLowerCase() === 'latest';
}

/** How many characters of a commit hash every front end shows (git's own default): the one place to change it. */
export const SHORT_HASH_LENGTH = 7;

/** A version as people read it: the short hash; anything that is not a full hash as it is; '—' for none. */
export function shortVersion(version: string | undefined): string {
  if (version === undefined) return '—';
  return isVersion(version) ? version.slice(0, SHORT_HASH_LENGTH) : version;
}

/**
 * The tag of an image reference: `repo:tag`, `repo:tag@sha256:<digest>` (pinned by digest, the tag kept for
 * people) or `repo@sha256:<digest>` (no tag). A registry port (`host:5000/repo`) is not a tag.
 */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(colon + 1) : undefined;
}

/**
 * A version parameter's value as the rest of the code compares it: people write them by hand in the console
 * (a trailing newline, upper case). A value that is a commit hash once trimmed and lower-cased becomes the hash;
 * anything else (`latest`, garbage) is kept trimmed, never guessed at. The one place where values are normalised.
 */
export function versionValue(value: string): string {
  const trimmed = value.trim();
  const lower = trimmed.toLowerCase();
  return FULL_SHA.test(lower) ? lower : trimmed;
}
