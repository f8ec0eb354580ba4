import crypto from 'node:crypto';
import path from 'node:path';

import { csrfSync } from 'csrf-sync';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { i18n } from 'i18next';
import pg from 'pg';
import { pinoHttp } from 'pino-http';

import { requireAdmin } from './admin/access';
import { apiRoutes } from './api/routes';
import { cardPrintRoutes } from './cards/print-routes';
import { auditRoutes } from './audit/routes';
import { Context } from './context';
import { credentialAdminRoutes, revocationRoutes } from './credentials/routes';
import { logger } from './logger';
import { memberAdminRoutes } from './members/admin-routes';
import { partnerAdminRoutes } from './partners/admin-routes';
import { importRoutes, rosterUploadParser } from './members/import-routes';
import { portalRoutes } from './portal/routes';
import { publicRoutes } from './public/routes';
import { memberAreaRoutes } from './members/area-routes';
import { voidRoutes } from './redemptions/void-routes';
import { reportRoutes } from './reports/routes';
import { requireClubUser } from './web/auth';
import { errorHandler, notFoundHandler } from './web/errors';
import { languageMiddleware, rememberUserLanguage } from './web/language';
import { SessionCache } from './web/session-cache';
import { openSessionPool, SessionStore } from './web/session-store';
import { useViews } from './web/views';

export interface AppOptions {
  /** The pg pool that stores sessions; the app opens its own when none is given. */
  sessionPool?: pg.Pool;
  /** Live sessions kept in memory, started by the caller; without it each request reads its own. */
  sessionCache?: SessionCache;
  /**
   * Routes mounted just before the partner API, behind the same middleware: the benchmark's
   * baseline route, so that it pays for everything the API pays for except the API itself.
   */
  beforeApi?: express.Router;
  /**
   * Whether the session store deletes expired sessions on a timer (default yes). Tests turn it
   * off: the timer outlives a test file's database inside the same jest worker.
   */
  pruneSessions?: boolean;
}

/** Builds the Express app: public pages, the partner API, the portal and the club's pages. */
export function buildApp(ctx: Context, i18n: i18n, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  useViews(app);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);

        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url.replace(/\/v\/[^?]+/i, '/v/[token]') }) },
    }),
  );
  app.use((req: Request, _res: Response, next: NextFunction) => {
    req.requestId = String(req.id);
    next();
  });
  // The portal is served on plain http on a shop's local network too: there, neither HSTS nor
  // upgrading the page's own requests to https (which would break its styles, scripts and forms).
  const https = ctx.config.publicBaseUrl.startsWith('https://');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      strictTransportSecurity: https,
    }),
  );
  app.use('/static', express.static(path.join(__dirname, '../public'), { maxAge: '1h' }));
  // The QR decoder for camera scanning, served from its npm package: no CDN, works offline.
  app.use('/static/vendor', express.static(path.dirname(require.resolve('jsqr')), { maxAge: '1d' }));
  app.use(languageMiddleware(i18n));

  app.use(publicRoutes(ctx));
  app.use(revocationRoutes(ctx));
  if (options.beforeApi) {
    app.use(options.beforeApi);
  }
  // NOTE: 2 MB, so that an absurdly long scan still gets a verdict (refused) rather than a 413.
  app.use('/api/v1', express.json({ limit: '2mb', strict: false }), apiRoutes(ctx));

  const sessionPool =
    options.sessionPool ?? openSessionPool(ctx.db.client.config.connection.connectionString);
  app.use(
    session({
      name: 'nadipass.sid',
      secret: ctx.config.sessionSecret,
      store: new SessionStore({
        pool: sessionPool,
        prune: options.pruneSessions !== false,
        cache: options.sessionCache,
      }),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.publicBaseUrl.startsWith('https://') ? 'auto' : false,
        maxAge: 12 * 60 * 60 * 1000,
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '32kb' }));
  // A roster upload is multipart: read it (administrators only) before the CSRF check needs it.
  app.post('/admin/members/import', requireClubUser, requireAdmin, rosterUploadParser);
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => req.body?._csrf,
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = generateToken(req);
    res.locals.user = req.session.user;
    next();
  });
  app.use(csrfSynchronisedProtection);
  app.use(rememberUserLanguage(ctx));

  app.get('/', (req, res) => {
    res.render('home', { title: req.tr('home.title') });
  });
  app.use(portalRoutes(ctx));
  app.use(reportRoutes(ctx));
  app.use(credentialAdminRoutes(ctx));
  app.use(voidRoutes(ctx));
  app.use(memberAreaRoutes(ctx, i18n));
  app.use(cardPrintRoutes(ctx));
  app.use(importRoutes(ctx));
  app.use(memberAdminRoutes(ctx));
  app.use(partnerAdminRoutes(ctx));
  app.use(auditRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);

  return app;
}
