// ECR: the image repositories of each environment; an image tag is a version (commit sha).
import { AwsError, checkRange, compact, optNumber, optObject, optString, page, reqString, seconds, type JsonObject, type OperationContext, type ServiceDefinition } from './protocol';
import { sha256Hex, type RepositoryRecord, type World } from './world';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

export function repositoryUri(world: World, name: string): string {
  return `${world.accountId}.dkr.ecr.${world.region}.amazonaws.com/${name}`;
}

export function hasImage(world: World, repository: string, tag: string): boolean {
  return world.repositories[repository]?.images.some((i) => i.tags.includes(tag)) ?? false;
}

/** Pushes an image for `tag` (what the pipeline's build does); the digest is stable per repository and tag. */
export function pushImage(world: World, repository: string, tag: string, at: number): void {
  const repo = world.repositories[repository];
  if (!repo || hasImage(world, repository, tag)) return;
  const digestSource = sha256Hex(`${repository}:${tag}`);
  repo.images.push({ digest: `sha256:${digestSource}`, tags: [tag], sizeInBytes: 180_000_000 + (parseInt(digestSource.slice(0, 6), 16) % 90_000_000), pushedAt: at });
}

function describeRepository(world: World, repo: RepositoryRecord): JsonObject {
  return {
    repositoryArn: `arn:aws:ecr:${world.region}:${world.accountId}:repository/${repo.name}`,
    registryId: world.accountId,
    repositoryName: repo.name,
    repositoryUri: repositoryUri(world, repo.name),
    createdAt: seconds(repo.createdAt),
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function checkRegistry(world: World, input: JsonObject): void {
  const registryId = optString(input, 'registryId');
  if (registryId !== undefined && registryId !== world.accountId) {
    throw invalidParameter(`Invalid parameter at 'registryId' failed to satisfy constraint: 'The registry id '${registryId}' is not accessible by the caller'`);
  }
}

function describeRepositories(input: JsonObject, ctx: OperationContext): JsonObject {
  checkRegistry(ctx.world, input);
  const names = input.repositoryNames === undefined ? undefined : (input.repositoryNames as unknown);
  const max = optNumber(input, 'maxResults');
  const token = optString(input, 'nextToken');
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
    throw new AwsError('SerializationException', "Expected a list of strings for 'repositoryNames'.");
  }
  checkRange(max, 'maxResults', 1, 1000, invalidParameter);
  if (names && (max !== undefined || token !== undefined)) {
    throw invalidParameter('Invalid parameter at \'maxResults\' failed to satisfy constraint: \'Cannot specify maxResults or nextToken when repositoryNames is specified\'');
  }
  if (names) {
    if (names.length < 1 || names.length > 100) throw invalidParameter("Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must have length between 1 and 100'");
    const repos = (names as string[]).map((n) => {
      const repo = ctx.world.repositories[n];
      if (!repo) throw new AwsError('RepositoryNotFoundException', `The repository with name '${n}' does not exist in the registry with id '${ctx.world.accountId}'`);
      return repo;
    });
    return { repositories: repos.map((r) => describeRepository(ctx.world, r)) };
  }
  const all = Object.values(ctx.world.repositories).sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, nextToken } = page(all, max ?? 100, token, 'repositories', 'InvalidParameterException');
  return compact({ repositories: items.map((r) => describeRepository(ctx.world, r)), nextToken });
}

function describeImages(input: JsonObject, ctx: OperationContext): JsonObject {
  checkRegistry(ctx.world, input);
  const name = reqString(input, 'repositoryName', 'repositoryName');
  const max = optNumber(input, 'maxResults');
  const token = optString(input, 'nextToken');
  const filter = optObject(input, 'filter');
  const ids = input.imageIds as unknown;
  checkRange(max, 'maxResults', 1, 1000, invalidParameter);
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((i) => typeof i !== 'object' || i === null))) {
    throw new AwsError('SerializationException', "Expected a list of structures for 'imageIds'.");
  }
  if (ids !== undefined && (max !== undefined || token !== undefined)) {
    throw invalidParameter("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Cannot specify maxResults or nextToken when imageIds is specified'");
  }
  const tagStatus = filter ? optString(filter, 'tagStatus') : undefined;
  if (tagStatus !== undefined && !['TAGGED', 'UNTAGGED', 'ANY'].includes(tagStatus)) {
    throw invalidParameter(`Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]'`);
  }
  const repo = ctx.world.repositories[name];
  if (!repo) throw new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${ctx.world.accountId}'`);
  const detail = (i: RepositoryRecord['images'][number]): JsonObject =>
    compact({
      registryId: ctx.world.accountId,
      repositoryName: repo.name,
      imageDigest: i.digest,
      imageTags: i.tags.length > 0 ? [...i.tags] : undefined,
      imageSizeInBytes: i.sizeInBytes,
      imagePushedAt: seconds(i.pushedAt),
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    });
  if (ids) {
    const found: JsonObject[] = [];
    const list = ids as JsonObject[];
    if (list.length < 1 || list.length > 100) throw invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
    for (const id of list) {
      const tag = optString(id, 'imageTag');
      const digest = optString(id, 'imageDigest');
      if (tag === undefined && digest === undefined) throw invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'imageTag or imageDigest must be specified'");
      const image = repo.images.find((i) => (tag === undefined || i.tags.includes(tag)) && (digest === undefined || i.digest === digest));
      if (!image) {
        throw new AwsError('ImageNotFoundException', `The image with imageId {imageDigest:'${digest ?? 'null'}', imageTag:'${tag ?? 'null'}'} does not exist within the repository with name '${repo.name}' in the registry with id '${ctx.world.accountId}'`);
      }
      found.push(detail(image));
    }
    return { imageDetails: found };
  }
  const selected = repo.images.filter((i) => (tagStatus === 'TAGGED' ? i.tags.length > 0 : tagStatus === 'UNTAGGED' ? i.tags.length === 0 : true));
  const { items, nextToken } = page(selected, max ?? 100, token, `images:${name}:${tagStatus ?? 'ANY'}`, 'InvalidParameterException');
  return compact({ imageDetails: items.map(detail), nextToken });
}

export const ecrService: ServiceDefinition = {
  signingName: 'ecr',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  operations: { DescribeRepositories: describeRepositories, DescribeImages: describeImages },
};
