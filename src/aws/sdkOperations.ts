// The SDK's clients as OperationClients (operations.ts): each operation name to its SDK Command class. Only
// dist/aws.js (and tests) load this; the lean client of `status` never does.

import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  type CodePipelineClient,
} from '@aws-sdk/client-codepipeline';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListServicesCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { EcsOperations, OperationClient, Operations, PipelineOperations, SsmOperations } from './operations';

type Commands<O extends Operations> = { readonly [K in keyof O]: new (input: O[K]['input']) => unknown };

interface SdkClient {
  send(command: unknown): Promise<unknown>;
}

function sdkOperations<O extends Operations>(client: SdkClient, commands: Commands<O>): OperationClient<O> {
  return {
    send: (operation, input) => client.send(new commands[operation](input)) as Promise<O[typeof operation]['output']>,
  };
}

const SSM: Commands<SsmOperations> = { GetParameters: GetParametersCommand, PutParameter: PutParameterCommand, GetParameterHistory: GetParameterHistoryCommand };

const PIPELINE: Commands<PipelineOperations> = {
  GetPipelineState: GetPipelineStateCommand,
  ListPipelineExecutions: ListPipelineExecutionsCommand,
  GetPipelineExecution: GetPipelineExecutionCommand,
  StartPipelineExecution: StartPipelineExecutionCommand,
  StopPipelineExecution: StopPipelineExecutionCommand,
  PutApprovalResult: PutApprovalResultCommand,
  RetryStageExecution: RetryStageExecutionCommand,
  ListActionExecutions: ListActionExecutionsCommand,
};

const ECS: Commands<EcsOperations> = {
  ListServices: ListServicesCommand,
  DescribeServices: DescribeServicesCommand,
  ListTasks: ListTasksCommand,
  DescribeTasks: DescribeTasksCommand,
  DescribeTaskDefinition: DescribeTaskDefinitionCommand,
};

export const ssmOperations = (client: SSMClient): OperationClient<SsmOperations> => sdkOperations(client, SSM);
export const pipelineOperations = (client: CodePipelineClient): OperationClient<PipelineOperations> => sdkOperations(client, PIPELINE);
export const ecsOperations = (client: ECSClient): OperationClient<EcsOperations> => sdkOperations(client, ECS);
