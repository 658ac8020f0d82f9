// Whether a Git repository can be read, and why not, in words. Pure.

export type GitAvailability = 'pending' | 'unavailable' | 'none' | 'ready';

/**
 * Why no repository can be read, for the approval panel: the true cause, so that Restricted Mode (where VS Code
 * turns the git extension off) is not reported as "open the repository". undefined when one is open.
 */
export function noRepositoryReason(state: GitAvailability, trusted: boolean): string | undefined {
  switch (state) {
    case 'ready':
      return undefined;
    case 'pending':
      return 'The Git repository is still being read.';
    case 'unavailable':
      return trusted
        ? 'The built-in Git extension is disabled or unavailable, so the commits between the versions cannot be listed.'
        : 'This folder is open in Restricted Mode, where VS Code turns the built-in Git extension off, so the commits between the versions cannot be listed. Trust the folder to see them.';
    case 'none':
      return 'Open the project’s Git repository in this window to see the commits between the versions.';
  }
}
