// Round trips from call timings: what a latency multiplies (the benchmarks and the load test count them).

/** Round trips = the longest chain of calls where each started only after the previous one finished. */
export function roundTrips(calls: readonly { start: number; end: number }[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j].end <= c.start) d = Math.max(d, depth[j] + 1);
    depth.push(d);
  });
  return Math.max(0, ...depth);
}
