import { buildApp } from './app';
import { boot } from './boot';
import { ConfigError } from './config';
import { registerBuiltInJobs } from './jobs';
import { runDueJobs, startScheduler } from './jobs/runner';
import { logger } from './logger';
import { scheduleRollups } from './reports/rollup-job';
import { DEMO_LOGINS } from '../seeds/demo';
import { ZoneDataError, zoneDataDescription } from './time';
import { SessionCache } from './web/session-cache';
import { expectConnectionsClosed, openSessionPool } from './web/session-store';

function banner(lines: string[]): void {
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  const runtime = await boot();
  const { ctx } = runtime;
  ctx.keys.startRefreshing();
  registerBuiltInJobs();
  const scheduler = startScheduler(ctx);
  // Catch up at start: a business day that began while no instance was running.
  void runDueJobs(ctx);
  // Every five minutes rather than once a business day, so not one of the runner's jobs; the
  // same job_runs rule lets only one instance run each slot.
  const rollups = scheduleRollups(ctx.db);

  const sessionPool = openSessionPool(runtime.connection.url);
  const sessionCache = new SessionCache(runtime.connection.url);
  await sessionCache.start();
  const app = buildApp(ctx, runtime.i18n, { sessionPool, sessionCache });
  const server = app.listen(ctx.config.port, ctx.config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  const lines = [
    `NadiPass is running on http://localhost:${port}`,
    `  public URL in QR codes: ${ctx.config.publicBaseUrl}`,
    `  database: ${runtime.connection.embedded ? `embedded PostgreSQL in ${ctx.config.dataDir}` : 'DATABASE_URL'}`,
    `  time zone: ${zoneDataDescription()}`,
    `  signing key: ${ctx.keys.signingKey().kid}`,
  ];
  if (ctx.config.demoData) {
    lines.push(
      '',
      runtime.seeded ? 'Demo data loaded. Logins:' : 'Demo logins:',
      `  club admin        ${DEMO_LOGINS.admin.email} / ${DEMO_LOGINS.admin.password}`,
      `  coordinator (10)  ${DEMO_LOGINS.coordinator.email} / ${DEMO_LOGINS.coordinator.password}`,
      `  partner staff     ${DEMO_LOGINS.partnerStaff.email} / ${DEMO_LOGINS.partnerStaff.password}`,
      `  partner manager   ${DEMO_LOGINS.partnerManager.email} / ${DEMO_LOGINS.partnerManager.password}`,
      '  A card to scan:   npm run cli -- card:issue --member 100001',
    );
  }
  banner(lines);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Before anything is awaited: Ctrl-C stops the embedded PostgreSQL at the same moment, and
    // the connections it then closes are expected, not warned about.
    expectConnectionsClosed(sessionPool);
    const listening = Promise.all([sessionCache.stop(), runtime.stopListening()]);
    await scheduler.stop();
    await rollups.stop();
    server.close();
    server.closeAllConnections();
    await listening;
    await sessionPool.end();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof ZoneDataError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'NadiPass could not start');
    process.stderr.write(`NadiPass could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
