import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { isDeployError } from '../core/errors';
import type { ImageRegistryPort } from '../core/ports';
import type { Caller } from './call';

/** ECR. */
export class ImageRegistryClient implements ImageRegistryPort {
  constructor(
    private readonly client: ECRClient,
    private readonly call: Caller,
  ) {}

  async listRepositories(prefix: string): Promise<readonly string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.call('DescribeRepositories', () =>
        this.client.send(new DescribeRepositoriesCommand({ maxResults: 1000, ...(token ? { nextToken: token } : {}) })),
      );
      for (const r of out.repositories ?? []) if (r.repositoryName?.startsWith(prefix)) names.push(r.repositoryName);
      token = out.nextToken;
    } while (token);
    return names.sort();
  }

  async hasImage(repository: string, tag: string): Promise<boolean> {
    try {
      const out = await this.call('DescribeImages', () =>
        this.client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })),
      );
      return (out.imageDetails ?? []).some((d) => d.imageTags?.includes(tag));
    } catch (e) {
      // The tag is absent: AWS answers ImageNotFoundException (a missing repository stays an error).
      if (isDeployError(e) && e.details.awsCode === 'ImageNotFoundException') return false;
      throw e;
    }
  }
}
