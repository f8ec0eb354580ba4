import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';

import { Context } from '../context';
import { AppError } from '../errors';
import { logger } from '../logger';
import { authenticateApiKey, Partner } from '../partners/service';
import { redemptionJson, verdictJson } from '../redemptions/presenter';
import { redeem } from '../redemptions/redeem';
import { recordRefusedAttempt, verifyCredential } from '../redemptions/verify';
import { MAX_GROSS_CENTS } from '../web/format';

interface ApiCaller {
  partner: Partner;
  apiKeyId: number;
}

function caller(res: Response): ApiCaller {
  return res.locals.caller as ApiCaller;
}

const redemptionSchema = z.object({
  qr: z.string().min(1).max(4096),
  offerId: z.number().int().positive(),
  grossCents: z.number().int().min(1).max(MAX_GROSS_CENTS),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/),
});

/** Authenticates `Authorization: Bearer <partner API key>`. */
function partnerApiKey(ctx: Context) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const authenticated = match ? await authenticateApiKey(ctx.db, match[1]) : null;
    if (!authenticated) {
      res.set('WWW-Authenticate', 'Bearer realm="nadipass"');
      next(new AppError(401, 'api_key'));

      return;
    }
    res.locals.caller = authenticated;
    next();
  };
}

function methodNotAllowed(allowed: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set('Allow', allowed);
    next(new AppError(405, 'method_not_allowed'));
  };
}

/**
 * A JSON object body, or 400: a scanner's text must arrive as {"qr": "..."}. Text that is not JSON
 * at all is `invalid_json` (see the error handler); JSON that is not an object (a list, a string,
 * null) is `json_object_required`, so that the integrator knows the syntax was fine.
 */
function requireJsonObject(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    next(new AppError(400, 'json_required'));

    return;
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    next(new AppError(400, 'json_object_required'));

    return;
  }
  next();
}

/** The partner API: verify then redeem, authenticated by the partner's API key. */
export function apiRoutes(ctx: Context): Router {
  const router = Router();
  router.use(partnerApiKey(ctx));
  router.post('/verify', requireJsonObject, verify(ctx));
  router.all('/verify', methodNotAllowed('POST'));
  router.post('/redemptions', requireJsonObject, createRedemption(ctx));
  router.all('/redemptions', methodNotAllowed('POST'));
  // Nothing under /api/v1 falls through to the portal's pages.
  router.use((_req: Request, _res: Response, next: NextFunction) => next(new AppError(404, 'not_found')));

  return router;
}

function verify(ctx: Context) {
  return async (req: Request, res: Response) => {
    const { partner, apiKeyId } = caller(res);
    const qr = typeof req.body.qr === 'string' ? req.body.qr : '';
    const verdict = await verifyCredential(ctx, { qr, partner });
    if (verdict.reason) {
      logger.info({ reason: verdict.reason, detail: verdict.detail, partner: partner.code }, 'verification refused');
      await recordRefusedAttempt(ctx.db, {
        action: 'verify',
        reason: verdict.reason,
        channel: 'api',
        partnerId: partner.id,
        apiKeyId,
        tokenId: verdict.tokenId,
        holderKey: verdict.holder?.holderKey,
        memberId: verdict.holder?.member.id,
      });
    }
    res.json(verdictJson(verdict, req.tr));
  };
}

function createRedemption(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = redemptionSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError(422, 'invalid_request', 'errors.invalid_request', {
        fields: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
    }

    const { partner, apiKeyId } = caller(res);
    const outcome = await redeem(ctx, { ...parsed.data, partner, apiKeyId, channel: 'api' });
    if (outcome.status === 'refused') {
      logger.info(
        { reason: outcome.verdict.reason, detail: outcome.verdict.detail, partner: partner.code },
        'redemption refused',
      );
      res.status(409).json(verdictJson(outcome.verdict, req.tr));

      return;
    }
    if (outcome.replayed) {
      res.set('Idempotent-Replayed', 'true');
    }
    res.status(201).json(redemptionJson(outcome.redemption));
  };
}
