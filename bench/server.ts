/**
 * The server under test: the app exactly as `npm start` builds it (same boot, same middleware,
 * one process), plus the baseline route `GET /bench/hello` mounted just before the partner API.
 * `npm run bench` spawns it, so the load generator never shares its event loop.
 */
import { Router } from 'express';

import { buildApp } from '../src/app';
import { boot } from '../src/boot';
import { SessionCache } from '../src/web/session-cache';
import { openSessionPool } from '../src/web/session-store';

/** The baseline: an Express 5 route answering `hello`, behind the same middleware as the API. */
function baselineRoutes(): Router {
  const router = Router();
  router.get('/bench/hello', (_req, res) => {
    res.type('text/plain').send('hello');
  });

  return router;
}

async function main(): Promise<void> {
  const runtime = await boot();
  const { ctx } = runtime;
  ctx.keys.startRefreshing();

  const sessionPool = openSessionPool(runtime.connection.url);
  const sessionCache = new SessionCache(runtime.connection.url);
  await sessionCache.start();
  const app = buildApp(ctx, runtime.i18n, {
    sessionPool,
    sessionCache,
    beforeApi: baselineRoutes(),
  });
  const server = app.listen(ctx.config.port, '127.0.0.1');
  server.once('listening', () => process.stdout.write(`listening on ${ctx.config.port}\n`));

  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await sessionCache.stop();
    await sessionPool.end();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`bench server could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
