/** The endpoint of an environment: its own, else the factory's, else AWS_ENDPOINT_URL; none: AWS's own for the region. */
export function resolveEndpoint(explicit: string | undefined, fallback?: string): string | undefined {
  const value = explicit || fallback || process.env.AWS_ENDPOINT_URL;
  return value ? value : undefined;
}
