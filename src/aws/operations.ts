// The AWS operations our adapters (parameterStore.ts, pipelines.ts, containers.ts) make, typed by the SDK's own
// input and output shapes (type-only imports: nothing of the SDK is loaded from here). An adapter sends through an
// OperationClient, which either the SDK's client fulfils (sdkOperations.ts, dist/aws.js) or the lean JSON-protocol
// client of `status` (jsonProtocol.ts, dist/lean.js, #12): one mapping from the wire's shapes to our model.

import type * as Pipeline from '@aws-sdk/client-codepipeline';
import type * as Ecs from '@aws-sdk/client-ecs';
import type * as Ssm from '@aws-sdk/client-ssm';
import type { AwsPortsFactory } from '../core/ports';

interface Op<I, O> {
  readonly input: I;
  readonly output: O;
}

export type SsmOperations = {
  GetParameters: Op<Ssm.GetParametersCommandInput, Ssm.GetParametersCommandOutput>;
  PutParameter: Op<Ssm.PutParameterCommandInput, Ssm.PutParameterCommandOutput>;
  GetParameterHistory: Op<Ssm.GetParameterHistoryCommandInput, Ssm.GetParameterHistoryCommandOutput>;
};

export type PipelineOperations = {
  GetPipelineState: Op<Pipeline.GetPipelineStateCommandInput, Pipeline.GetPipelineStateCommandOutput>;
  ListPipelineExecutions: Op<Pipeline.ListPipelineExecutionsCommandInput, Pipeline.ListPipelineExecutionsCommandOutput>;
  GetPipelineExecution: Op<Pipeline.GetPipelineExecutionCommandInput, Pipeline.GetPipelineExecutionCommandOutput>;
  StartPipelineExecution: Op<Pipeline.StartPipelineExecutionCommandInput, Pipeline.StartPipelineExecutionCommandOutput>;
  StopPipelineExecution: Op<Pipeline.StopPipelineExecutionCommandInput, Pipeline.StopPipelineExecutionCommandOutput>;
  PutApprovalResult: Op<Pipeline.PutApprovalResultCommandInput, Pipeline.PutApprovalResultCommandOutput>;
  RetryStageExecution: Op<Pipeline.RetryStageExecutionCommandInput, Pipeline.RetryStageExecutionCommandOutput>;
  ListActionExecutions: Op<Pipeline.ListActionExecutionsCommandInput, Pipeline.ListActionExecutionsCommandOutput>;
};

export type EcsOperations = {
  ListServices: Op<Ecs.ListServicesCommandInput, Ecs.ListServicesCommandOutput>;
  DescribeServices: Op<Ecs.DescribeServicesCommandInput, Ecs.DescribeServicesCommandOutput>;
  ListTasks: Op<Ecs.ListTasksCommandInput, Ecs.ListTasksCommandOutput>;
  DescribeTasks: Op<Ecs.DescribeTasksCommandInput, Ecs.DescribeTasksCommandOutput>;
  DescribeTaskDefinition: Op<Ecs.DescribeTaskDefinitionCommandInput, Ecs.DescribeTaskDefinitionCommandOutput>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operations = Record<string, Op<any, any>>;

/** Sends one operation of a service: what an adapter needs of a client. */
export interface OperationClient<O extends Operations> {
  send<K extends keyof O & string>(operation: K, input: O[K]['input']): Promise<O[K]['output']>;
}

/** The SDK's clients of an environment as OperationClients: the ones its ports use (src/aws/index.ts). */
export interface SdkOperationClients {
  readonly ssm: OperationClient<SsmOperations>;
  readonly pipelines: OperationClient<PipelineOperations>;
  readonly ecs: OperationClient<EcsOperations>;
  /** Forgets the credentials these clients hold, so that the next call loads them again. */
  invalidateCredentials(): void;
}

/** The SDK's ports of an environment, and the same clients as OperationClients (the lean client's writes). */
export interface SdkPortsFactory extends AwsPortsFactory {
  operations(env: Parameters<AwsPortsFactory>[0]): SdkOperationClients;
}
