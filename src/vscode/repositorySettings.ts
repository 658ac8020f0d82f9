// Which settings came with the repository: pure (no vscode import), so the rule is unit-tested.

/**
 * Where the environments in effect come from when a repository gave them (a folder's .vscode/settings.json, a
 * .code-workspace file): those may not send the user's credentials elsewhere or make production not production,
 * in a trusted workspace too (Restricted Mode ignores them altogether). The user's own settings are taken as written.
 */
export function repositorySource(inspected: { readonly workspaceValue?: unknown; readonly workspaceFolderValue?: unknown } | undefined): string | undefined {
  return inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined
    ? "The workspace's sprykerDeploy.environments (its .vscode/settings.json or .code-workspace file)"
    : undefined;
}
