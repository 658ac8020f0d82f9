// Credentials as AWS users have them (named profiles with SSO, credential_process, assume role, or the static
// keys saml2aws writes; environment variables; the default chain), re-read when they expire, when the shared
// files change (someone signed in again) or when AWS refused them, so that no restart is ever needed.

import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CredentialSource {
  readonly provider: AwsCredentialIdentityProvider;
  /** Forget the cached credentials: the next call loads them again (after an expiry error). */
  invalidate(): void;
  /** Whether invalidating can help (static test credentials never change). */
  readonly reloadable: boolean;
}

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Refresh this long before the stated expiry, so that a call never leaves with credentials about to expire. */
const EXPIRY_MARGIN_MS = 60_000;

export function configFilePath(): string {
  return process.env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
}

export function credentialsFilePath(): string {
  return process.env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
}

function mtimes(): string {
  const stamp = (p: string) => {
    try {
      return String(statSync(p).mtimeMs);
    } catch {
      return '-';
    }
  };
  return `${stamp(configFilePath())}|${stamp(credentialsFilePath())}`;
}

/**
 * The SDK client memoises what a provider returns and asks again only when the expiration is less than five
 * minutes away; credentials without an expiration (static keys) would be kept forever. Handing it an expiry a
 * minute out makes it ask this (cheap, cached) source before each call, so that a reload is seen at once.
 */
function withShortExpiry(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  const soon = Date.now() + 60_000;
  const expiration = credentials.expiration && credentials.expiration.getTime() < soon ? credentials.expiration : new Date(soon);
  return { ...credentials, expiration };
}

export function createCredentialSource(
  options: { profile?: string; credentials?: StaticCredentials; load?: (profile?: string) => Promise<AwsCredentialIdentity> } = {},
): CredentialSource {
  if (options.credentials) {
    const fixed = { ...options.credentials };
    return { provider: async () => fixed, invalidate: () => {}, reloadable: false };
  }
  // A fresh chain each time with ignoreCache: the SDK's own memoisation would keep static keys forever.
  const load = options.load ?? ((profile?: string) => fromNodeProviderChain({ ...(profile ? { profile } : {}), ignoreCache: true })());
  let cached: { readonly credentials: AwsCredentialIdentity; readonly files: string } | undefined;
  let loading: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) => !c.expiration || c.expiration.getTime() - Date.now() > EXPIRY_MARGIN_MS;
  const provider: AwsCredentialIdentityProvider = async () => withShortExpiry(await current());
  const current = async (): Promise<AwsCredentialIdentity> => {
    const files = mtimes();
    if (cached && cached.files === files && fresh(cached.credentials)) return cached.credentials;
    if (!loading) {
      loading = load(options.profile)
        .then((credentials) => {
          cached = { credentials, files };
          return credentials;
        })
        .finally(() => {
          loading = undefined;
        });
    }
    return loading;
  };
  return {
    provider,
    invalidate: () => {
      cached = undefined;
    },
    reloadable: true,
  };
}
