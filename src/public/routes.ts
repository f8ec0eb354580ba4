import { Router, type Request, type Response } from 'express';

import { Context } from '../context';
import { logger } from '../logger';
import { verdictView } from '../redemptions/presenter';
import { recordRefusedAttempt, verifyCredential } from '../redemptions/verify';

// Offline verifiers may keep the key set for five minutes (and fetch it again at once when a
// token names a key they do not have); a retired key stays in the set while anything it signed
// is still valid.
const JWKS_CACHE = 'public, max-age=300, stale-while-revalidate=60';

/** Public pages: the verdict page a card's QR opens, the club's public keys, the health check. */
export function publicRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/healthz', healthz(ctx));
  router.get('/.well-known/jwks.json', jwks(ctx));
  router.get('/v/:token', publicVerdict(ctx));

  return router;
}

/** For load balancers and monitors: 200 when the database answers, 503 when it does not. */
function healthz(ctx: Context) {
  return async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    try {
      await ctx.db.raw('select 1');
    } catch (error) {
      logger.warn({ err: error }, 'health check: the database does not answer');
      res.status(503).json({ status: 'database_unreachable' });

      return;
    }
    res.json({ status: 'ok' });
  };
}

function jwks(ctx: Context) {
  return (_req: Request, res: Response) => {
    res.set('Cache-Control', JWKS_CACHE).type('application/jwk-set+json');
    res.send(JSON.stringify(ctx.keys.publicKeySet()));
  };
}

/**
 * What anyone who opens a card's QR URL sees: valid or not, the holder's name and how long the
 * membership runs. No other personal data: the page is public.
 */
function publicVerdict(ctx: Context) {
  return async (req: Request, res: Response) => {
    const token = String(req.params.token);
    const verdict = await verifyCredential(ctx, { qr: token });
    if (verdict.reason) {
      await recordRefusedAttempt(ctx.db, {
        action: 'verify',
        reason: verdict.reason,
        channel: 'public',
        tokenId: verdict.tokenId,
        holderKey: verdict.holder?.holderKey,
      });
    }

    const view = verdictView(verdict, req.lang, req.tr);
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    res.render('public-verdict', {
      title: req.tr('public.title'),
      verdict: view,
      holder: view.holder && {
        name: view.holder.name,
        otherName: view.holder.otherName,
        validUntil: view.holder.validUntil,
      },
    });
  };
}
