import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

/** JSON lines on stdout; secrets are redacted wherever they appear in a logged object. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'creditgraph' },
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.apiKey', '*.clientSecret', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
