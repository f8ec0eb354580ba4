import pino from 'pino';

/**
 * The one operational logger. It writes JSON lines to stderr so that CLI commands keep stdout
 * for their result. Personal data and secrets are redacted wherever they appear in a log object.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: undefined,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.cin',
        '*.phone',
        '*.token',
        '*.qr',
        '*.apiKey',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination(2),
);

export type Logger = typeof logger;
