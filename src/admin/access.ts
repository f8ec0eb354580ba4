import type { NextFunction, Request, Response } from 'express';

import { AppError, notFound } from '../errors';
import type { RegionScope } from '../reports/ledger';
import { clubUser } from '../web/auth';

/**
 * Only the club's administrators: coordinators read, they never change anything. Goes after
 * `requireClubUser`.
 */
export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (clubUser(req).role !== 'admin') {
    next(new AppError(403, 'forbidden'));

    return;
  }
  next();
}

/** The regions the signed-in club user may read: all (null) for an admin. */
export function regionScope(req: Request): RegionScope {
  const user = clubUser(req);

  return user.role === 'admin' ? null : user.regions;
}

/**
 * Stops a coordinator at anything outside their regions with a 404, the same answer as for
 * something that does not exist, so they learn nothing about other regions.
 */
export function assertRegionVisible(req: Request, regionCode: string | null | undefined): void {
  const scope = regionScope(req);
  if (scope && (!regionCode || !scope.includes(regionCode))) {
    throw notFound();
  }
}

/** How the audit log names the signed-in club user. */
export function actorOf(req: Request): string {
  const user = clubUser(req);

  return `club:${user.id} ${user.name}`;
}
