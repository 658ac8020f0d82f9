// The words of spryker-deploy and the first decisions about a command line, before anything is loaded: the
// commands with their options and help, parsing and checking the options, and the exit codes. This is all that
// `--help`, `--version` and bad input need, so dist/cli.js (this module and ./bin) answers them without loading
// the commands (dist/cli-commands.js), the core or the AWS SDK (#12: --help starts like a small tool).
// Nothing here touches the file system, the network or the terminal.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { approvalCommentProblem, MAX_APPROVAL_COMMENT } from '../core/approvalComment';
import { cliVersion } from './version';

export const EXIT = { ok: 0, failure: 1, usage: 2, executionFailed: 3, credentials: 4, cancelled: 130 } as const;

export type Options = NonNullable<ParseArgsConfig['options']>;
export const common: Options = {
  env: { type: 'string', short: 'e' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  config: { type: 'string', short: 'c' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};
const follow: Options = { wait: { type: 'boolean' }, 'no-follow': { type: 'boolean' }, poll: { type: 'string' } };

const COMMON_HELP = `Environment options (every command):
  -e, --env <name>       environment (default: every configured one for status; the only one otherwise)
      --profile <name>   AWS profile (SSO, credential_process, assume role, saml2aws keys); default chain if unset
      --region <region>  AWS region (default eu-central-1)
      --endpoint <url>   AWS endpoint override, e.g. the sandbox (else AWS_ENDPOINT_URL)
  -c, --config <file>    config (default ./.spryker-deploy.json, else .vscode/settings.json "sprykerDeploy.environments")
  -v, --verbose          log every AWS call to stderr
      --json             print the result as JSON on stdout (one shape per command, see src/cli/README.md)
  -h, --help             this help`;

/** A command's words: the implementation of each is in ./main (COMMAND_RUNS, checked to cover every name). */
export interface CommandWords {
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  readonly help: string;
}

export const COMMANDS = {
  status: {
    summary: 'versions, pipeline and ECS services of every configured environment (or --env)',
    usage: 'spryker-deploy status [--json] [--env <name>]',
    options: {},
    help: '  --json   print {"environments":[...]} (shape in src/cli/README.md)',
  },
  deploy: {
    summary: 'deploy a version (full 40-hex commit hash; `latest` on non-production)',
    usage: 'spryker-deploy deploy <sha> [--env <name>] [--supersede] [--allow-missing-images] [--maintenance] [--yes] [--json]',
    options: { supersede: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, 'allow-missing-images': { type: 'boolean' }, maintenance: { type: 'boolean' }, ...follow },
    help: `  --supersede             deploy even if an execution is running or waiting for approval
  --allow-missing-images  deploy even if an ECR repository lacks the image (the pipeline's Build_and_Prepare builds it first)
  --maintenance           switch maintenance mode on before, and off after a successful deploy (follows it to the
                          end, through the approval); after a failure it stays on and says so
  -y, --yes               no confirmation prompt (required for production without a terminal)
  --wait                  follow through the approval to the end (default: stop when it waits for approval)
  --no-follow             return once the pipeline started
  --poll <seconds>        poll interval while following (default 5)`,
  },
  approve: {
    summary: 'approve the waiting manual approval',
    usage: 'spryker-deploy approve [--action <name>] [--comment <text>] [--env <name>] [--yes] [--wait] [--json]',
    options: { action: { type: 'string' }, comment: { type: 'string', short: 'm' }, yes: { type: 'boolean', short: 'y' }, ...follow },
    help: `  --action <name>       which approval action, when several wait in the stage (e.g. QA and product owner)
  -m, --comment <text>  summary sent with the decision (at most ${MAX_APPROVAL_COMMENT} characters)
  -y, --yes             no confirmation prompt (required for production without a terminal)
  --wait                follow the execution to its end afterwards`,
  },
  reject: {
    summary: 'reject the waiting manual approval',
    usage: 'spryker-deploy reject [--action <name>] [--comment <text>] [--env <name>] [--yes] [--json]',
    options: { action: { type: 'string' }, comment: { type: 'string', short: 'm' }, yes: { type: 'boolean', short: 'y' }, ...follow },
    help: `  --action <name>       which approval action, when several wait in the stage (e.g. QA and product owner)
  -m, --comment <text>  why (at most ${MAX_APPROVAL_COMMENT} characters)
  -y, --yes             no confirmation prompt (required for production without a terminal)`,
  },
  rollback: {
    summary: 'deploy an earlier version again (default: the one before the current)',
    usage: 'spryker-deploy rollback [--to <sha>] [--list] [--env <name>] [--maintenance] [--yes] [--json]',
    options: { to: { type: 'string' }, list: { type: 'boolean' }, supersede: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, maintenance: { type: 'boolean' }, ...follow },
    help: `  --to <sha>     the version to go back to (default: the newest earlier deployed version)
  --list         only list the candidates, newest first (--json for JSON)
  --supersede    roll back even if an execution is running or waiting
  --maintenance  maintenance mode on before, off after success, as for deploy
  -y, --yes      no confirmation prompt (required for production without a terminal)
  --wait / --no-follow / --poll <seconds>   as for deploy`,
  },
  restore: {
    summary: 'put desired_version back to the deployed version after a deploy that did not happen (rejected, failed)',
    usage: 'spryker-deploy restore [--env <name>] [--yes] [--json]',
    options: { yes: { type: 'boolean', short: 'y' } },
    help: `  Writes only desired_version, and only the deployed version; deploys nothing. Refused while an execution runs
  or waits (it deploys what desired_version holds when it builds): reject it or let it end first.
  -y, --yes   no confirmation prompt (required for production without a terminal)
  --json      {"environment", "parameter", "version", "previous", "changed"}`,
  },
  diff: {
    summary: 'what kind of change lies between two versions: commits, files, and the risky ones (schema, modules, deploy config)',
    usage: 'spryker-deploy diff <from-sha> <to-sha> [--json] [--repo <path>]',
    options: { repo: { type: 'string' } },
    help: `  --repo <path>   the Git repository to read (default: the current directory)
  --json          print {"from","to","commits","files","risk"} (shape in src/cli/README.md)
  Reads only the local repository; no AWS call. Project rules: "risk" in .spryker-deploy.json.`,
  },
  compare: {
    summary: 'what two environments run: versions, the commits each has that the other lacks, files, risk, per-service images',
    usage: 'spryker-deploy compare [<source-env> <target-env>] [--json] [--repo <path>]',
    options: { repo: { type: 'string' } },
    help: `  <source-env> <target-env>  default: the first configured environment that promotes to another, and that one
  --repo <path>              the Git repository for commits, files and risk (default: the current directory)
  --json                     print the comparison (shape in src/cli/README.md)`,
  },
  promote: {
    summary: 'deploy to an environment exactly the version another one runs (staging → prod by default)',
    usage: 'spryker-deploy promote --from <env> [--to <env>] [--supersede] [--maintenance] [--yes] [--wait | --no-follow]',
    options: { from: { type: 'string' }, to: { type: 'string' }, supersede: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, maintenance: { type: 'boolean' }, ...follow },
    help: `  --from <env>    the environment whose running version is promoted
  --to <env>      where to (default: its "promotesTo" setting, else staging → prod by name)
  --supersede     promote even if an execution is running or waiting on the target
  --maintenance   maintenance mode of the target on before, off after success, as for deploy
  -y, --yes       no confirmation prompt (required for production without a terminal)
  --wait / --no-follow / --poll <seconds>   as for deploy
  Refused (exit 1, every reason on one line) when the source is mid-deploy, its last deploy failed, a service
  drifted from its deployed version, or the target already runs it.`,
  },
  retry: {
    summary: 'retry the failed stage of the latest execution (its failed actions), then follow it',
    usage: 'spryker-deploy retry [--env <name>] [--execution <id>] [--yes] [--wait] [--json]',
    options: { execution: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, ...follow },
    help: `  --execution <id>  the failed execution (default: the latest; only the latest can be retried)
  -y, --yes         no confirmation prompt (required for production without a terminal)
  --wait / --no-follow / --poll <seconds>   as for deploy (default: follow to the end)`,
  },
  logs: {
    summary: "print a stage's CodeBuild log (default: the failed stage of the latest execution)",
    usage: 'spryker-deploy logs [--env <name>] [--execution <id>] [--stage <name>] [--json]',
    options: { execution: { type: 'string' }, stage: { type: 'string' } },
    help: `  --execution <id>  the execution (default: the latest)
  --stage <name>    the stage (default: the one that failed)
  --json            {"environment", "executionId", "stage", "action", "buildId", "logGroup", "logStream", "lines"}`,
  },
  maintenance: {
    summary: 'maintenance mode: status, or switch it on/off (Maintenance_Enable_/Maintenance_Disable_<env> pipelines)',
    usage: 'spryker-deploy maintenance on|off|status [--env <name>] [--yes] [--no-follow] [--json]',
    options: { yes: { type: 'boolean', short: 'y' }, ...follow },
    help: `  status          on or off, since when and who switched it (from the two pipelines' last executions)
  on | off        start the pipeline and follow it to its end (--no-follow: return once started)
  -y, --yes       no confirmation prompt (required for production without a terminal)
  --poll <seconds>  poll interval while following (default 5)`,
  },
  history: {
    summary: 'what was deployed when, by whom: recent executions with version, decision and how each ended',
    usage: 'spryker-deploy history [--env <name>] [--max <n>] [--repo <path>] [--json]',
    options: { max: { type: 'string' }, repo: { type: 'string' } },
    help: `  --max <n>       how many (default 20, at most 100)
  --repo <path>   the Git repository for commit subjects (default: the current directory)
  --json          {"environment", "executions": [...]} (shape in src/cli/README.md)
  Each execution: its version and commit subject, start, end, duration, result, who started it, who approved
  or rejected it with the comment, and how it ended (deployed, rejected, failed at <stage>, superseded, stopped).`,
  },
} as const satisfies Record<string, CommandWords>;


export type CommandName = keyof typeof COMMANDS;

/** Commands that are not about an environment: they take their own arguments, parsed by themselves. */
export const STANDALONE = {
  sandbox: { summary: 'start the local AWS sandbox (spryker-deploy sandbox --help for its options)' },
} as const satisfies Record<string, { readonly summary: string }>;

export type StandaloneName = keyof typeof STANDALONE;

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length), ...Object.keys(STANDALONE).map((c) => c.length));
  return `spryker-deploy — deploy, approve and roll back Spryker Cloud environments on AWS

Usage: spryker-deploy <command> [options]

Commands:
${[...Object.entries(COMMANDS), ...Object.entries(STANDALONE)]
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

${COMMON_HELP}

Run spryker-deploy <command> --help for the options of a command; spryker-deploy --version for the version.
Exit codes: 0 success, 1 failure, 2 bad input, 3 the execution failed or was rejected/stopped, 4 not signed in / credentials expired, 130 stopped following.`;
}

export function commandHelp(c: CommandWords): string {
  return `${c.usage}\n\n${c.summary}\n\n${c.help}\n\n${COMMON_HELP}`;
}

/** What a command line asks for, decided before anything is read: an answer to print, or a command to run. */
export type CommandLine =
  | { readonly kind: 'answer'; readonly stdout?: string; readonly stderr?: string; readonly code: number }
  | { readonly kind: 'standalone'; readonly name: StandaloneName; readonly args: readonly string[] }
  | { readonly kind: 'command'; readonly name: CommandName; readonly values: Record<string, string | boolean | undefined>; readonly positionals: string[] };

const has = <T extends object>(table: T, name: string): name is Extract<keyof T, string> => Object.prototype.hasOwnProperty.call(table, name);

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return { kind: 'answer', stdout: mainHelp(), code: name ? EXIT.ok : EXIT.usage };
  if (name === '--version' || name === '-V') return { kind: 'answer', stdout: cliVersion(), code: EXIT.ok };
  if (has(STANDALONE, name)) return { kind: 'standalone', name, args: rest };
  if (!has(COMMANDS, name)) {
    return { kind: 'answer', stderr: `spryker-deploy: unknown command "${name}" (commands: ${[...Object.keys(COMMANDS), ...Object.keys(STANDALONE)].join(', ')}; see --help)`, code: EXIT.usage };
  }
  const command: CommandWords = COMMANDS[name];
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...common, ...command.options }, allowPositionals: true, strict: true });
  } catch (e) {
    return { kind: 'answer', stderr: `spryker-deploy ${name}: ${(e as Error).message.split('\n')[0]} (see spryker-deploy ${name} --help)`, code: EXIT.usage };
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { kind: 'answer', stdout: commandHelp(command), code: EXIT.ok };
  // Every option's value is checked here, before any file is read or AWS is called.
  const optionProblem = checkOptionValues(values);
  if (optionProblem) return { kind: 'answer', stderr: `spryker-deploy ${name}: ${optionProblem}`, code: EXIT.usage };
  return { kind: 'command', name, values, positionals: parsed.positionals };
}

/** The values of numeric and bounded options, checked before anything is read: a problem, or undefined. */
function checkOptionValues(values: Record<string, string | boolean | undefined>): string | undefined {
  const poll = values.poll;
  if (typeof poll === 'string') {
    const seconds = Number(poll);
    if (poll.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 600) return `--poll must be a number of seconds above 0 and at most 600 (got "${poll}").`;
  }
  const max = values.max;
  if (typeof max === 'string') {
    const n = Number(max);
    if (max.trim() === '' || !Number.isInteger(n) || n < 1 || n > 100) return `--max must be a whole number from 1 to 100 (got "${max}").`;
  }
  const comment = values.comment;
  if (typeof comment === 'string') {
    const problem = approvalCommentProblem(comment.trim());
    if (problem) return problem;
  }
  if (values.wait && values['no-follow']) return '--wait and --no-follow contradict each other: choose one.';
  // The shapes CodePipeline accepts (botocore: PipelineExecutionId, StageName, ActionName).
  const execution = values.execution;
  if (typeof execution === 'string' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(execution)) {
    return `--execution takes a pipeline execution id like 3f9c6a1e-…-…-…-… (got "${execution}"); spryker-deploy history lists them.`;
  }
  for (const name of ['stage', 'action'] as const) {
    const value = values[name];
    if (typeof value === 'string' && !/^[A-Za-z0-9.@_-]{1,100}$/.test(value)) return `--${name} takes a ${name} name of letters, digits and . @ - _ (got "${value}").`;
  }
  return undefined;
}
