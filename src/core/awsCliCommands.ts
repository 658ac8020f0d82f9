// The AWS CLI commands the tools print for the user to paste (to check or put back what a deploy touched). One
// module, so that the CLI's Ctrl-C messages and the core's error messages cannot drift apart. Pure.

export interface CliTarget {
  readonly profile?: string;
  readonly region: string;
}

/** ` --profile p --region r`: where the pasted command must go (the profile only when one is configured). */
export function awsCliWhere(target: CliTarget): string {
  return `${target.profile ? ` --profile ${target.profile}` : ''} --region ${target.region}`;
}

/**
 * Puts a parameter back to a value. No `--type`: an overwrite keeps the parameter's type, so a SecureString
 * desired_version stays one; `--type String` would convert it to plain text.
 */
export function putParameterCommand(parameter: string, value: string, target: CliTarget): string {
  return `aws ssm put-parameter --name ${parameter} --value ${value} --overwrite${awsCliWhere(target)}`;
}
