import type { NextFunction, Request, Response } from 'express';

import { AppError } from '../errors';
import type { SessionUser } from './types';

type PartnerUser = Extract<SessionUser, { kind: 'partner' }>;
type ClubUser = Extract<SessionUser, { kind: 'club' }>;

/** The signed-in partner user, or a redirect to the login page. */
export function requirePartnerUser(req: Request, res: Response, next: NextFunction): void {
  const user = req.session.user;
  if (!user) {
    res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);

    return;
  }
  if (user.kind !== 'partner') {
    next(new AppError(403, 'forbidden'));

    return;
  }
  next();
}

/** A signed-in partner manager: staff accounts, voids and statements are theirs alone. */
export function requirePartnerManager(req: Request, res: Response, next: NextFunction): void {
  requirePartnerUser(req, res, (error?: unknown) => {
    if (error) {
      next(error);

      return;
    }
    if (partnerUser(req).role !== 'manager') {
      next(new AppError(403, 'forbidden'));

      return;
    }
    next();
  });
}

/** A signed-in club user (admin or coordinator). */
export function requireClubUser(req: Request, res: Response, next: NextFunction): void {
  const user = req.session.user;
  if (!user) {
    res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);

    return;
  }
  if (user.kind !== 'club') {
    next(new AppError(403, 'forbidden'));

    return;
  }
  next();
}

export function partnerUser(req: Request): PartnerUser {
  return req.session.user as PartnerUser;
}

export function clubUser(req: Request): ClubUser {
  return req.session.user as ClubUser;
}

/**
 * Signs a user in: a new session id (a session fixed before sign-in is worthless after it), the
 * user in it, and the session stored before the caller answers. The browser follows a redirect as
 * soon as it has the headers, so the next page must find the session already written.
 */
export async function startSession(req: Request, user: SessionUser): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  );
  req.session.user = user;
  await new Promise<void>((resolve, reject) =>
    req.session.save((error) => (error ? reject(error) : resolve())),
  );
}
