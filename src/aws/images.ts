import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { isDeployError } from '../core/errors';
import type { ImageRegistryPort } from '../core/ports';
import { allPages, type Caller } from './call';

/** ECR. */
export class ImageRegistryClient implements ImageRegistryPort {
  constructor(
    private readonly client: ECRClient,
    private readonly call: Caller,
  ) {}

  async listRepositories(prefix: string): Promise<readonly string[]> {
    const names = await allPages(async (token) => {
      const out = await this.call('DescribeRepositories', () =>
        this.client.send(new DescribeRepositoriesCommand({ maxResults: 1000, ...(token ? { nextToken: token } : {}) })),
      );
      const matching = (out.repositories ?? []).flatMap((r) => (r.repositoryName?.startsWith(prefix) ? [r.repositoryName] : []));
      return { items: matching, next: out.nextToken };
    });
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
