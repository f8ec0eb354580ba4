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

/** How long a lost database connection waits before it is reported: see warnUnlessStopped. */
const STOPPING_GRACE_MS = 500;

/**
 * Warns about a lost database connection after a moment, unless `stopped()` says by then that
 * the app is stopping. Ctrl-C reaches the app and its embedded PostgreSQL at once, and
 * PostgreSQL may close the connections a few milliseconds before the app hears the signal.
 */
export function warnUnlessStopped(stopped: () => boolean, details: object, message: string): void {
  setTimeout(() => {
    if (!stopped()) {
      logger.warn(details, message);
    }
  }, STOPPING_GRACE_MS).unref();
}
