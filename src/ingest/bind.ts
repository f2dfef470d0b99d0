import type { AnyConnector } from './sdk.js';
import { createTransport, type Transport, type TransportOptions } from './transport.js';

/** A connector with the client made for it, as the hub hands it to the engine. */
export interface BoundConnector {
  connector: AnyConnector;
  client: unknown;
  transport: Transport;
}

export class ConnectorConfigError extends Error {
  override name = 'ConnectorConfigError';
}

/**
 * Limits on every outbound request, the same for all sources unless a test says otherwise;
 * `limits` replaces the manifests' rate and concurrency (a benchmark against the sandboxes,
 * which allow any rate).
 */
export type ReliabilityOptions = Pick<TransportOptions, 'timeoutMs' | 'maxResponseBytes' | 'retries' | 'backoff' | 'breaker'> & {
  limits?: { requestsPerSecond: number; concurrency: number };
};

export const defaultReliability: ReliabilityOptions = {
  timeoutMs: 10_000,
  maxResponseBytes: 5 * 1024 * 1024,
  retries: 5,
  backoff: { initialMs: 100, maxMs: 5_000 },
  breaker: { failures: 12, halfOpenAfterMs: 10_000 },
};

/**
 * Validates a connector's configuration and makes its transport and client. A bad
 * configuration is refused naming the keys at fault; secret values never appear in it.
 */
export function bindConnector(connector: AnyConnector, config: unknown, reliability: ReliabilityOptions = defaultReliability): BoundConnector {
  const { manifest } = connector;
  const parsed = manifest.config.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConnectorConfigError(`connector ${manifest.id}: invalid configuration — ${problems.join('; ')}`);
  }
  const { limits = manifest.rateLimit, ...rest } = reliability;
  const transport = createTransport({
    source: manifest.id,
    baseUrl: (parsed.data as { baseUrl: string }).baseUrl,
    requestsPerSecond: limits.requestsPerSecond,
    concurrency: limits.concurrency,
    ...rest,
  });
  return { connector, client: connector.createClient(parsed.data, transport), transport };
}

/** The configuration with its secrets replaced, for logs and the API. */
export function redactedConfig(connector: AnyConnector, config: Record<string, unknown>): Record<string, unknown> {
  const secrets = new Set<string>(connector.manifest.secrets);
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, secrets.has(key) ? '[redacted]' : value]));
}
