// The package version for `spryker-deploy --version`. The bundle gets it from esbuild's `define` (so that
// cli.js does not carry package.json); run from the sources it is read from package.json.

declare const __SPRYKER_DEPLOY_VERSION__: string | undefined;

export function cliVersion(): string {
  if (typeof __SPRYKER_DEPLOY_VERSION__ === 'string') return __SPRYKER_DEPLOY_VERSION__;
  // The indirection keeps esbuild from bundling package.json should the define ever be missing.
  const load: NodeJS.Require = require;
  return (load('../../package.json') as { version: string }).version;
}
