// The named profiles of the shared config files, for the profile pickers of the CLI and the extension.

import { readFile } from 'node:fs/promises';
import { configFilePath, credentialsFilePath } from './credentials';

export interface ProfileInfo {
  readonly name: string;
  /** Which files define it. */
  readonly sources: readonly ('config' | 'credentials')[];
  readonly region?: string;
  /** How it gets credentials, as far as the files tell. */
  readonly kind: 'sso' | 'credential-process' | 'assume-role' | 'static' | 'other';
}

/** Sections of an INI file with their keys (comments and blank lines skipped). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current && !/^\s/.test(rawLine)) current.set(kv[1].trim().toLowerCase(), kv[2].trim());
  }
  return sections;
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
  const profiles = new Map<string, { sources: Set<'config' | 'credentials'>; keys: Map<string, string> }>();
  const add = (name: string, source: 'config' | 'credentials', keys: Map<string, string>) => {
    const entry = profiles.get(name) ?? { sources: new Set(), keys: new Map() };
    entry.sources.add(source);
    for (const [k, v] of keys) entry.keys.set(k, v);
    profiles.set(name, entry);
  };
  for (const [section, keys] of parseIni(configText)) {
    if (section === 'default') add('default', 'config', keys);
    else if (section.startsWith('profile ')) add(section.slice('profile '.length).trim(), 'config', keys);
  }
  for (const [section, keys] of parseIni(credentialsText)) add(section, 'credentials', keys);
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
