import { pino, type Logger } from 'pino';
import type { EngineLog } from '../application/engine/context.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** JSON lines on stdout (pino), the engine's log on top of it. */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ name: 'journey', level });
}

export function engineLog(logger: Logger): EngineLog {
  return {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
  };
}
