import pino from 'pino';

/**
 * The one operational logger. It writes JSON lines to stderr so that CLI commands keep stdout
 * for their result. Personal data and secrets are redacted wherever they appear in a log object.
 */
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// An unknown LOG_LEVEL falls back to info here; the configuration check reports it at start.
function level(): string {
  const wanted = process.env.LOG_LEVEL;
  if (wanted && LEVELS.includes(wanted)) {
    return wanted;
  }

  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

export const logger = pino(
  {
    level: level(),
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
