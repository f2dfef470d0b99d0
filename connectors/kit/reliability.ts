import type { ReliabilityOptions } from '../../src/ingest/sdk.js';

/** Fast retries so fault tests stay short, and a breaker that one test's faults cannot open. */
export const FAST_RELIABILITY: ReliabilityOptions = {
  timeoutMs: 1000,
  maxResponseBytes: 5 * 1024 * 1024,
  retries: 8,
  backoff: { initialMs: 20, maxMs: 300 },
  breaker: { failures: 100, halfOpenAfterMs: 500 },
};
