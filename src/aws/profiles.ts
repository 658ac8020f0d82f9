// The named profiles of the shared config files, for the profile pickers of the CLI and the extension.

import { readFile } from 'node:fs/promises';
import { configFilePath, credentialsFilePath } from './credentials';
import { parseSdkIni } from './sharedFiles';

export interface ProfileInfo {
  readonly name: string;
  /** Which files define it. */
  readonly sources: readonly ('config' | 'credentials')[];
  readonly region?: string;
  /** How it gets credentials, as far as the files tell. */
  readonly kind: 'sso' | 'credential-process' | 'assume-role' | 'static' | 'other';
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export async function listProfiles(): Promise<ProfileInfo[]> {
  const [configText, credentialsText] = await Promise.all([readOptional(configFilePath()), readOptional(credentialsFilePath())]);
  // Read as the SDK reads them (sharedFiles.ts): the picker lists what the SDK's chain will find, with the same keys.
  const config = parseSdkIni(configText);
  const credentials = parseSdkIni(credentialsText);
  const profiles = new Map<string, { sources: Set<'config' | 'credentials'>; keys: Map<string, string> }>();
  const add = (name: string, source: 'config' | 'credentials', keys: Record<string, string>) => {
    const entry = profiles.get(name) ?? { sources: new Set(), keys: new Map() };
    entry.sources.add(source);
    for (const [k, v] of Object.entries(keys)) entry.keys.set(k, v);
    profiles.set(name, entry);
  };
  if (config.default) add('default', 'config', config.default);
  for (const [section, keys] of Object.entries(config)) {
    if (section.startsWith('profile.')) add(section.slice('profile.'.length), 'config', keys);
  }
  for (const [section, keys] of Object.entries(credentials)) add(section, 'credentials', keys);
  return [...profiles.entries()]
    .map(([name, { sources, keys }]) => ({
      name,
      sources: [...sources],
      ...(keys.get('region') ? { region: keys.get('region') } : {}),
      kind: keys.has('sso_session') || keys.has('sso_start_url')
        ? ('sso' as const)
        : keys.has('credential_process')
          ? ('credential-process' as const)
          : keys.has('role_arn')
            ? ('assume-role' as const)
            : keys.has('aws_access_key_id')
              ? ('static' as const)
              : ('other' as const),
    }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}
