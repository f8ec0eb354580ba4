import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '../support/cli';
import { freePort } from '../support/ports';

const ROOT = path.join(__dirname, '../..');


async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer on port ${port} within ${timeoutMs} ms`);
}

describe('the embedded database', () => {
  let dataDir: string;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-embedded-'));
    fs.chmodSync(dataDir, 0o755);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves npm start, and the CLI works on the same data folder with and without the server', async () => {
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
    };
    const port = await freePort();
    // As the README says, through npm: stopping npm must stop the server and its PostgreSQL.
    server = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let banner = '';
    server.stdout!.on('data', (chunk) => (banner += chunk));
    await waitForHealth(port, 120_000);
    expect(banner).toContain(`NadiPass is running on http://localhost:${port}`);
    expect(banner).toContain('admin@nadipass.ma');

    const whileRunning = await runCli(['card:issue', '--member', '100001'], env);
    expect(whileRunning.code).toBe(0);
    expect(whileRunning.stdout).toMatch(/^http:\/\/localhost:3000\/v\//);
    const page = await fetch(`http://127.0.0.1:${port}${new URL(whileRunning.stdout.trim()).pathname}`);
    expect(await page.text()).toContain('Carte valable');

    server.kill('SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
    // PostgreSQL removes its pid file as the last step of a clean shutdown.
    const pidFile = path.join(dataDir, 'postgres/postmaster.pid');
    for (let waited = 0; fs.existsSync(pidFile) && waited < 20_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(fs.existsSync(pidFile)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const alone = await runCli(['partner:api-key', '--partner', 'PH-GLM-01'], env);
    expect(alone.code).toBe(0);
    expect(alone.stdout.trim()).toMatch(/^np_/);
    expect(fs.existsSync(path.join(dataDir, 'postgres/postmaster.pid'))).toBe(false);
  }, 180_000);

  it('stops cleanly on Ctrl-C, which reaches the server and its PostgreSQL at once', async () => {
    const port = await freePort();
    // A process group of its own, as a terminal's foreground job is: Ctrl-C signals all of it.
    server = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        DATABASE_URL: '',
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let errors = '';
    server.stderr!.on('data', (chunk) => (errors += chunk));
    await waitForHealth(port, 120_000);
    // The login page starts a session: the session store now holds an open connection.
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toContain('nadipass.sid=');
    // The whole page, not just its headers: the session is stored before the page ends.
    expect(await login.text()).toContain('name="_csrf"');

    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    process.kill(-server.pid!, 'SIGINT');
    await exited;
    const pidFile = path.join(dataDir, 'postgres/postmaster.pid');
    for (let waited = 0; fs.existsSync(pidFile) && waited < 20_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(fs.existsSync(pidFile)).toBe(false);
    expect(errors).not.toContain('Unhandled');
    expect(errors).not.toMatch(/^\s+at /m);
    // Nothing at warn level or above: the connections PostgreSQL closed were being closed anyway.
    const warnings = errors
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.level >= 40)
      .map((entry) => entry.msg);
    expect(warnings).toEqual([]);
  }, 180_000);
});
