// AWS console deep links for what the tree shows. Pure.

import type { EnvironmentConfig } from '../../core/model';
import type { EnvTreeNode } from '../tree/nodes';

export function pipelineConsoleUrl(region: string, pipeline: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/view?region=${region}`;
}

export function arnConsoleUrl(region: string, arn: string): string {
  return `https://console.aws.amazon.com/go/view?region=${region}&arn=${encodeURIComponent(arn)}`;
}

export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/health?region=${region}`;
}

export function parameterConsoleUrl(region: string, parameter: string): string {
  return `https://${region}.console.aws.amazon.com/systems-manager/parameters/${parameter.replace(/^\//, '').split('/').map(encodeURIComponent).join('/')}/description?region=${region}`;
}

export { isCustomEndpoint } from '../../core/environments';

export function isLocalEndpoint(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
}

/** What the console command opens for a node: chosen by what the node is. */
export function consoleTarget(node: EnvTreeNode | undefined, env: EnvironmentConfig): { url: string; what: string } {
  const r = env.region;
  switch (node?.kind) {
    case 'service': {
      const name = node.service.name;
      return { url: serviceConsoleUrl(r, env.cluster, name), what: `service ${name}` };
    }
    case 'task':
    case 'container': {
      const td = node.kind === 'task' ? node.task.taskDefinition : undefined;
      if (td && td.startsWith('arn:')) return { url: arnConsoleUrl(r, td), what: `task definition ${td.split('/').pop()}` };
      return { url: serviceConsoleUrl(r, env.cluster, node.serviceName), what: `service ${node.serviceName}` };
    }
    case 'version': {
      const parameter = node.parameter;
      return { url: parameterConsoleUrl(r, parameter), what: `parameter ${parameter}` };
    }
    default:
      return { url: pipelineConsoleUrl(r, env.pipelines.normal), what: `pipeline ${env.pipelines.normal}` };
  }
}
