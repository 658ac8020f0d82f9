// The profiles of the shared config and credentials files read as the SDK reads them (@smithy/core/config's
// parseIni, getConfigData and parseKnownFiles: inline comments, sub-sections, `[profile x]` in the config file,
// the credentials file winning key by key), but synchronously: the lean client of `status` (lean.ts) decides when
// its ports are made whether a profile has static keys. A unit test compares this with the SDK's own reading.
// Only the files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/config, ~/.aws/credentials) name.

import { readFileSync } from 'node:fs';
import { configFilePath, credentialsFilePath } from './credentials';

export type Profile = Readonly<Record<string, string>>;

const SECTION_PREFIX = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];

/** The SDK's parseIni: `{ section: { key: value } }`, prefixed sections as `type.name`, sub-section keys as `parent.key`. */
export function parseSdkIni(text: string): Record<string, Record<string, string>> {
  const map: Record<string, Record<string, string>> = {};
  let section: string | undefined;
  let subSection: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0].trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      section = undefined;
      subSection = undefined;
      const name = line.slice(1, -1);
      const prefixed = SECTION_PREFIX.exec(name);
      if (prefixed) {
        if (SECTION_TYPES.includes(prefixed[1])) section = `${prefixed[1]}.${prefixed[3]}`;
      } else {
        section = name;
      }
      if (name === '__proto__' || name === 'profile __proto__') throw new Error(`Found invalid profile name "${name}"`);
      continue;
    }
    if (!section) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (value === '') {
      subSection = key;
      continue;
    }
    if (subSection && raw.trimStart() === raw) subSection = undefined;
    (map[section] ??= {})[subSection ? `${subSection}.${key}` : key] = value;
  }
  return map;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The merged profiles of both files (the SDK's parseKnownFiles), by profile name. */
export function readProfiles(): Record<string, Profile> {
  const config = parseSdkIni(read(configFilePath()));
  const credentials = parseSdkIni(read(credentialsFilePath()));
  const profiles: Record<string, Record<string, string>> = {};
  // getConfigData: `[default]`, then every `[profile x]` (a `[profile default]` replaces `[default]`); other
  // unprefixed sections of the config file are not profiles.
  if (config.default) profiles.default = { ...config.default };
  for (const [section, keys] of Object.entries(config)) {
    if (section.startsWith('profile.')) profiles[section.slice('profile.'.length)] = { ...keys };
  }
  for (const [section, keys] of Object.entries(credentials)) profiles[section] = { ...profiles[section], ...keys };
  return profiles;
}
