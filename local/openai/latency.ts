// Draws a request's simulated processing delay from the settings and one uniform draw.
import type { StandInSettings } from './settings.js';

/** Uniform in [latency − jitter, latency + jitter], floored at 0 and rounded to whole ms. */
export function drawLatencyMs(settings: Pick<StandInSettings, 'latencyMs' | 'jitterMs'>, draw: number): number {
  const { latencyMs, jitterMs } = settings;
  return Math.max(0, Math.round(latencyMs - jitterMs + draw * 2 * jitterMs));
}
