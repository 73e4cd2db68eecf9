import { Logger } from '@nestjs/common';
import type { ConsumerLogger } from '../consumer/integration-consumer';
import type { RelayLogger } from '../relay/relay';

/** The relay's and consumers' lines through the Nest logger (the service's pino logger). */
export function nestLogger(context: string): ConsumerLogger & RelayLogger {
  const logger = new Logger(context);
  const line = (message: string, fields?: Record<string, unknown>) => (fields ? `${message} ${JSON.stringify(fields)}` : message);
  return {
    info: (message, fields) => logger.log(line(message, fields)),
    warn: (message, fields) => logger.warn(line(message, fields)),
    error: (message, fields) => logger.error(line(message, fields)),
  };
}
