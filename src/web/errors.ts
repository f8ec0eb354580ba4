import type { NextFunction, Request, Response } from 'express';

import { AppError } from '../errors';
import { logger } from '../logger';

function isApi(req: Request): boolean {
  return req.path.startsWith('/api/');
}

/** Turns body-parser and CSRF failures into application errors; leaves the rest as they are. */
function normalise(error: unknown): unknown {
  if (error instanceof AppError) {
    return error;
  }

  const candidate = error as { type?: string; status?: number; code?: string };
  if (candidate?.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json');
  }
  if (candidate?.type === 'entity.too.large') {
    return new AppError(413, 'too_large');
  }
  // CASE: text PostgreSQL cannot store (a NUL byte) or read as the column's type reached a
  // query: the request was bad, not the service.
  if (candidate?.code === '22021' || candidate?.code === '22P02' || candidate?.code === '22001') {
    return new AppError(400, 'bad_request');
  }
  if (candidate?.code === 'EBADCSRFTOKEN' || (candidate?.status === 403 && /csrf/i.test(String(error)))) {
    return new AppError(403, 'csrf');
  }
  if (typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 500) {
    return new AppError(candidate.status, 'bad_request');
  }

  return error;
}

/** 404 for anything no route answered. */
export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError(404, 'not_found'));
}

/**
 * The one error mapper: an AppError becomes its status and a message in the reader's language;
 * anything else is logged in full and shown as a plain 500 that reveals nothing.
 */
export function errorHandler(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const normalised = normalise(error);
  const appError =
    normalised instanceof AppError ? normalised : new AppError(500, 'server', 'errors.server');
  if (appError.status >= 500) {
    logger.error({ err: error, requestId: req.requestId, path: req.path }, 'request failed');
  }
  // CASE: the answer had started (a session saved as the page was sent): Express's own handler
  // cuts the connection, which is all that is left to do.
  if (res.headersSent) {
    next(error);

    return;
  }

  const t = req.tr ?? ((key: string) => key);
  const message = t(appError.messageKey, appError.details ?? {});
  res.status(appError.status);
  if (isApi(req) || !req.accepts('html')) {
    res.json({ error: appError.code, message, ...(appError.details ? { details: appError.details } : {}) });

    return;
  }
  if (!req.tr) {
    res.type('text').send(message);

    return;
  }
  res.render('error', { title: t('errors.title'), message });
}
