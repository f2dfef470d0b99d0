import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

/** The request being served, for every log line written while serving it. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * JSON lines on stdout, each with the request id of the request it was written for; secrets are
 * redacted wherever they appear in a logged object.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'creditgraph' },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.apiKey', '*.clientSecret', 'req.headers.authorization'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
