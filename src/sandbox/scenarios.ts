// Failures on demand: a CodeBuild stage that fails with an error in its log, an ECS rollout whose new tasks keep
// stopping until the deployment circuit breaker rolls the service back. Set per environment through the control API
// (`PUT /_sandbox/scenarios`), the CLI's `--scenario` and `control.setScenarios`; the engine consults them when an
// execution reaches the point. Approval expiry needs no scenario: it happens, as in AWS, after seven days
// (`POST /_sandbox/advance` gets there).
import type { ScenarioRecord, World } from './world';

/** Stages whose actions are CodeBuild builds that can fail (the approval, source and ECS stages cannot). */
const FAILABLE_BEHAVIOURS = new Set(['build', 'script', 'compare-versions', 'update-deployed-version']);

export class ScenarioError extends Error {}

/**
 * Parses a spec `kind:target[:environment][:next|always]` or a record, and checks it names what exists:
 * `stage-fails:Run_install:spryker-prod`, `rollout-fails:spryker-prod-yves:spryker-prod:always`,
 * `rollout-fails:*:spryker-staging` (every service). The environment may be left out when there is only one.
 */
export function checkScenario(world: World, input: unknown): ScenarioRecord {
  let record: Record<string, unknown>;
  if (typeof input === 'string') {
    const [kind, target, ...rest] = input.split(':');
    const mode = rest.find((r) => r === 'next' || r === 'always');
    const environment = rest.find((r) => r !== mode);
    record = { kind, ...(kind === 'stage-fails' ? { stage: target } : target && target !== '*' ? { service: target } : {}), environment, mode };
  } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    record = input as Record<string, unknown>;
  } else {
    throw new ScenarioError(`A scenario is a spec like "stage-fails:Run_install:spryker-prod" or an object, not ${JSON.stringify(input)}.`);
  }
  const envNames = world.environments.map((e) => e.name);
  const environment = record.environment ?? (envNames.length === 1 ? envNames[0] : undefined);
  const env = world.environments.find((e) => e.name === environment);
  if (!env) throw new ScenarioError(`Scenario ${JSON.stringify(input)}: name the environment (${envNames.join(', ')}).`);
  const mode = record.mode ?? 'next';
  if (mode !== 'next' && mode !== 'always') throw new ScenarioError(`Scenario ${JSON.stringify(input)}: mode is "next" or "always", not ${JSON.stringify(mode)}.`);
  const pipeline = world.pipelines[env.pipelines.normal];
  if (record.kind === 'stage-fails') {
    const stage = pipeline?.stages.find((s) => s.name === record.stage);
    if (!stage || !stage.actions.some((a) => FAILABLE_BEHAVIOURS.has(a.behavior))) {
      const failable = (pipeline?.stages ?? []).filter((s) => s.actions.some((a) => FAILABLE_BEHAVIOURS.has(a.behavior))).map((s) => s.name);
      throw new ScenarioError(`Scenario ${JSON.stringify(input)}: ${JSON.stringify(record.stage)} is not a CodeBuild stage of ${env.pipelines.normal} (one of ${failable.join(', ')}).`);
    }
    return { kind: 'stage-fails', environment: env.name, stage: stage.name, mode };
  }
  if (record.kind === 'rollout-fails') {
    const services = world.clusters[env.cluster]?.services.map((s) => s.name) ?? [];
    if (record.service !== undefined && !services.includes(record.service as string)) {
      throw new ScenarioError(`Scenario ${JSON.stringify(input)}: ${JSON.stringify(record.service)} is not a service of cluster ${env.cluster} (${services.join(', ')}).`);
    }
    return { kind: 'rollout-fails', environment: env.name, ...(record.service !== undefined ? { service: record.service as string } : {}), mode };
  }
  throw new ScenarioError(`Scenario ${JSON.stringify(input)}: the kind is "stage-fails" or "rollout-fails".`);
}

export function describeScenario(s: ScenarioRecord): string {
  return s.kind === 'stage-fails' ? `stage-fails:${s.stage}:${s.environment}:${s.mode}` : `rollout-fails:${s.service ?? '*'}:${s.environment}:${s.mode}`;
}

/** Whether the stage fails this time; a `next` scenario is used up by the failure it causes. */
export function takeStageFailure(world: World, environment: string, stage: string): boolean {
  const list = world.scenarios ?? [];
  const index = list.findIndex((s) => s.kind === 'stage-fails' && s.environment === environment && s.stage === stage);
  if (index < 0) return false;
  if (list[index].mode === 'next') list.splice(index, 1);
  return true;
}

/** The services among `services` whose rollout fails this time; `next` scenarios are used up. */
export function takeRolloutFailures(world: World, environment: string, services: readonly string[]): string[] {
  const list = world.scenarios ?? [];
  const failing = new Set<string>();
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    if (s.kind !== 'rollout-fails' || s.environment !== environment) continue;
    const hit = s.service === undefined ? services : services.filter((n) => n === s.service);
    if (hit.length === 0) continue;
    for (const n of hit) failing.add(n);
    if (s.mode === 'next') list.splice(i, 1);
  }
  return services.filter((n) => failing.has(n));
}

export interface StageFailure {
  /** The command whose non-zero exit failed the build. */
  readonly command: string;
  /** Log lines before the failure, the error itself last. */
  readonly lines: readonly string[];
  readonly exitStatus: number;
}

/** What a failing Spryker stage prints: a migration's PHP exception, a hook's non-zero exit, a failed script. */
export function stageFailure(stage: string, environment: string): StageFailure {
  if (/install/i.test(stage)) {
    const command = 'vendor/bin/install -r EU/production -s migrate -vvv';
    return {
      command,
      exitStatus: 1,
      lines: [
        `Store: DE | Environment: ${environment}`,
        'Command: vendor/bin/console propel:migrate',
        '',
        'In PDOConnection.php line 77:',
        '',
        "  SQLSTATE[42S01]: Base table or view already exists: 1050 Table 'spy_product_abstract_label' already exists",
        '',
        'propel:migrate [--fake] [--force] [-c|--config CONFIG]',
        'Command vendor/bin/console propel:migrate failed with exit code 1',
      ],
    };
  }
  if (/hook/i.test(stage)) {
    const hook = /post/i.test(stage) ? 'post-deploy' : 'pre-deploy';
    const command = `vendor/bin/install -r EU/production -s ${hook}-hook`;
    return {
      command,
      exitStatus: 2,
      lines: [`Running ${hook} hook config/install/${hook}-hook.yml`, 'Command: vendor/bin/console queue:worker:stop', 'ERROR: RabbitMQ connection refused (amqp://broker:5672): Connection refused', `The ${hook} hook exited with code 2`],
    };
  }
  const command = `./scripts/${stage.toLowerCase()}.sh`;
  return { command, exitStatus: 1, lines: [`ERROR: ${stage} failed: aws: error: An error occurred (ThrottlingException) when calling the DescribeServices operation`] };
}

/** CodePipeline's errorDetails message for a CodeBuild action whose build failed in its BUILD phase. */
export function buildFailureMessage(f: StageFailure): string {
  return `Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: ${f.command}. Reason: exit status ${f.exitStatus}`;
}
