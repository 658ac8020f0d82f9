import { isDeployError } from '../core/errors';
import type { ParameterHistoryEntry, ParameterStorePort, ParameterValue } from '../core/ports';
import { allPages, type Caller } from './call';
import type { OperationClient, SsmOperations } from './operations';

/** SSM Parameter Store. */
export class ParameterStoreClient implements ParameterStorePort {
  constructor(
    private readonly client: OperationClient<SsmOperations>,
    private readonly call: Caller,
  ) {}

  async getParameters(names: readonly string[]): Promise<ReadonlyMap<string, ParameterValue>> {
    const found = new Map<string, ParameterValue>();
    // AWS takes at most 10 names per call.
    for (let i = 0; i < names.length; i += 10) {
      // With decryption: a SecureString read without it answers the KMS ciphertext (a String is unaffected).
      const out = await this.call('GetParameters', () => this.client.send('GetParameters', { Names: names.slice(i, i + 10), WithDecryption: true }));
      for (const p of out.Parameters ?? []) {
        if (p.Name === undefined || p.Value === undefined) continue;
        found.set(p.Name, { name: p.Name, value: p.Value, version: p.Version ?? 0, ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}) });
      }
    }
    return found;
  }

  async putParameter(name: string, value: string): Promise<number> {
    // No Type on overwrite: AWS keeps the parameter's own type (a SecureString stays one). Giving `String` would
    // convert it. Only a parameter that does not exist yet needs a type, and AWS says so.
    try {
      const out = await this.call('PutParameter', () => this.client.send('PutParameter', { Name: name, Value: value, Overwrite: true }));
      return out.Version ?? 0;
    } catch (e) {
      if (!isDeployError(e) || e.details.awsCode !== 'ValidationException' || !/type is required/i.test(e.message)) throw e;
      const out = await this.call('PutParameter', () => this.client.send('PutParameter', { Name: name, Value: value, Type: 'String', Overwrite: true }));
      return out.Version ?? 0;
    }
  }

  async getParameterHistory(name: string): Promise<readonly ParameterHistoryEntry[]> {
    return allPages(async (token) => {
      const out = await this.call('GetParameterHistory', () =>
        this.client.send('GetParameterHistory', { Name: name, MaxResults: 50, WithDecryption: true, ...(token ? { NextToken: token } : {}) }),
      );
      const items = (out.Parameters ?? []).flatMap((p): ParameterHistoryEntry[] =>
        p.Value === undefined
          ? []
          : [
              {
                name: p.Name ?? name,
                value: p.Value,
                version: p.Version ?? 0,
                ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}),
                ...(p.LastModifiedUser ? { lastModifiedUser: p.LastModifiedUser } : {}),
              },
            ],
      );
      return { items, next: out.NextToken };
    }, 1000);
  }
}
