import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import ExcelJS from 'exceljs';

import { DEMO_LOGINS } from '../../seeds/demo';
import { runCli } from '../support/cli';
import { csrfTokenOf } from '../support/forms';
import { createTestDatabase } from '../support/runtime';
import { ServerProcess, startServerProcess } from '../support/server-process';

// Spreadsheets are read and written by a library loaded on first use. Jest loads modules its own
// way, so these run the CLI and the server as a user does, where that loading happens for real.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ServerProcess | null = null;
let workDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-xlsx-'));
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
  await database.drop();
});

/** The session cookie of a signed-in user, from the login form as a browser sends it. */
async function signIn(base: string, login: { email: string; password: string }): Promise<string> {
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .find((cookie) => cookie.startsWith('nadipass.sid=')) ?? '';
  const page = await fetch(`${base}/login`);
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(page) },
    body: new URLSearchParams({ _csrf: csrfTokenOf(await page.text()), ...login }).toString(),
  });
  expect(response.status).toBe(302);

  return cookieOf(response);
}

describe('spreadsheets in the running app', () => {
  it('checks an XLSX roster from the command line', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Adhérents');
    sheet.addRow(['Nom', 'Prénom', 'CIN', 'Téléphone', 'Province']);
    sheet.addRow(['Saidi', 'Hind', 'K77702', '0655501002', 'Guelmim']);
    const file = path.join(workDir, 'roster.xlsx');
    await workbook.xlsx.writeFile(file);

    const dry = await runCli(['members:import', file, '--dry-run'], {
      DATABASE_URL: database.url,
    });
    expect(dry.stderr).not.toMatch(/TypeError/);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 new members would be created');
  }, 240_000);

  it("downloads a report as XLSX from the server's report page", async () => {
    server = await startServerProcess(database.url);
    const base = `http://127.0.0.1:${server.port}`;
    const cookie = await signIn(base, DEMO_LOGINS.admin);

    const query = 'from=2026-01-01&to=2026-12-31&format=xlsx';
    const response = await fetch(`${base}/admin/reports?${query}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets[0].getRow(1).values).toContain('Région');
  }, 120_000);
});
