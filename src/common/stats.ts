/** Dispersion statistics over per-school values (SPEC S6.2). Pure functions, no I/O. */

export interface Summary {
  count: number;
  mean: number | null;
  sd: number | null;
  /** 差异系数 = population standard deviation / mean (县域义务教育优质均衡督导评估) */
  cv: number | null;
  min: number | null;
  max: number | null;
}

/**
 * The official method weights each school by its enrolment: CV = sqrt(Σ p_i (x_i - x̄)²) / x̄ with
 * p_i = n_i / N and x̄ = Σ p_i x_i. Without weights every school counts the same.
 */
export function summarize(values: number[], weights?: number[]): Summary {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, sd: null, cv: null, min: null, max: null };
  const w = weights ?? values.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) return { count: n, mean: null, sd: null, cv: null, min: Math.min(...values), max: Math.max(...values) };
  const mean = values.reduce((acc, x, i) => acc + (w[i]! / total) * x, 0);
  const variance = values.reduce((acc, x, i) => acc + (w[i]! / total) * (x - mean) ** 2, 0);
  const sd = Math.sqrt(variance);
  return {
    count: n,
    mean,
    sd,
    cv: mean === 0 ? null : sd / mean,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
