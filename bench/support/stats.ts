/** Percentiles of bench samples (nearest rank). */

/** The `q` quantile (0 to 1) of `xs`, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** The median of `xs`. */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
