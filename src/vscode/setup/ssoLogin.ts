// How the SSO sign-in runs: `aws` started directly with its arguments in a terminal, never a command line typed
// into the user's shell, so a profile name is one argument whatever it contains and whatever the shell (bash,
// fish, PowerShell, cmd). Pure, so it is unit-tested.

export interface SsoLoginTerminal {
  readonly name: string;
  /** The program; the terminal finds it on PATH (aws.exe on Windows). */
  readonly shellPath: string;
  readonly shellArgs: readonly string[];
}

export function ssoLoginTerminal(profile: string): SsoLoginTerminal {
  return { name: `AWS SSO: ${profile}`, shellPath: 'aws', shellArgs: ['sso', 'login', '--profile', profile] };
}
