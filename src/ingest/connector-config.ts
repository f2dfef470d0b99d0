import { bindConnector, type BoundConnector, type ReliabilityOptions } from './bind.js';
import type { AnyConnector } from './sdk.js';

/**
 * A connector's configuration comes from the environment, one variable per key of its
 * schema: `CONNECTOR_<ID>_<KEY>` in upper snake case (for tax: CONNECTOR_TAX_BASE_URL,
 * CONNECTOR_TAX_CLIENT_ID, CONNECTOR_TAX_CLIENT_SECRET). A connector with none of its
 * variables set is simply not configured; one with some is validated, and a bad value stops
 * the start naming the variable (never printing a secret).
 */
export function environmentVariable(connectorId: string, key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return `CONNECTOR_${connectorId.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}_${snake}`;
}

function configKeys(connector: AnyConnector): string[] {
  const shape = (connector.manifest.config as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

export function configFromEnvironment(connector: AnyConnector, environment: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const entries = configKeys(connector)
    .map((key) => [key, environment[environmentVariable(connector.manifest.id, key)]] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== '');
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Binds every connector configured in the environment. */
export function bindFromEnvironment(
  connectors: readonly AnyConnector[],
  environment: NodeJS.ProcessEnv,
  reliability?: ReliabilityOptions,
): Map<string, BoundConnector> {
  const bound = new Map<string, BoundConnector>();
  for (const connector of connectors) {
    const config = configFromEnvironment(connector, environment);
    if (!config) continue;
    try {
      bound.set(connector.manifest.id, bindConnector(connector, config, reliability));
    } catch (error) {
      const names = configKeys(connector).map((key) => environmentVariable(connector.manifest.id, key));
      throw new Error(`${(error as Error).message} (set through ${names.join(', ')})`, { cause: error });
    }
  }
  return bound;
}
