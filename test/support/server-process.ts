import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

export interface ServerProcess {
  port: number;
  /** Everything the process printed on stdout so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a real `tsx src/server.ts` on a database, on a free port, and resolves once it
 * listens. Only this process is stopped by `stop()`.
 */
export function startServerProcess(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/server.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${stdout}\n${stderr}`));
    }, 45_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stdout}\n${stderr}`));
    });
    child.stdout!.on('data', () => {
      const match = /running on http:\/\/localhost:(\d+)/.exec(stdout);
      if (!match) {
        return;
      }
      clearTimeout(timer);
      resolve({
        port: Number(match[1]),
        output: () => stdout,
        async stop() {
          if (child.exitCode === null) {
            child.kill('SIGTERM');
          }
          await exited;
        },
      });
    });
  });
}
