import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { scannedText } from '../../src/cards/qr';
import { credentialUrl } from '../../src/credentials/tokens';
import { runCli } from '../support/cli';
import { decodeQrPng } from '../support/qr';
import { createTestRuntime, TestRuntime } from '../support/runtime';

// Each command starts a process of its own: slow on a busy machine.
jest.setTimeout(180_000);

let runtime: TestRuntime;
let env: Record<string, string>;
let workDir: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  env = { DATABASE_URL: runtime.url, PUBLIC_BASE_URL: 'https://carte.example.ma' };
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-cli-'));
});

afterAll(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  await runtime.close();
});

describe('npm run cli', () => {
  it('issues a card: the QR text alone on stdout, the same text in the PNG and SVG files', async () => {
    const png = path.join(workDir, 'card.png');
    const svg = path.join(workDir, 'card.svg');
    const result = await runCli(['card:issue', '--member', '100001', '--png', png, '--svg', svg], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^https:\/\/carte\.example\.ma\/v\/[1-9][0-9]+$/);
    expect(decodeQrPng(fs.readFileSync(png))).toBe(scannedText(lines[0]));
    expect(fs.readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('checks the image path before issuing, so a typo never revokes the card in use', async () => {
    const first = await runCli(['card:issue', '--member', '100004'], env);
    expect(first.code).toBe(0);
    const failed = await runCli(['card:issue', '--member', '100004', '--png', '/no/such/folder/card.png'], env);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('cannot write /no/such/folder/card.png');
    const valid = await runtime.ctx.db('cards').where({ holder_key: 'M4' }).whereNull('revoked_at');
    expect(valid).toHaveLength(1);
    expect(first.stdout.trim()).toBe(credentialUrl('https://carte.example.ma', valid[0].token));

    const again = await runCli(['card:issue', '--member', '100004'], env);
    expect(again.stderr).toContain("The holder's previous card is revoked");
  });

  it('prints a partner API key that the API accepts, and keeps only its hash', async () => {
    const result = await runCli(['partner:api-key', '--partner', 'PH-GLM-01'], env);
    expect(result.code).toBe(0);
    const key = result.stdout.trim();
    expect(key).toMatch(/^np_[\w-]{32}$/);
    const stored = await runtime.ctx.db('partner_api_keys').pluck('key_hash');
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain(key);

    const response = await request(runtime.app)
      .post('/api/v1/verify')
      .set('Authorization', `Bearer ${key}`)
      .send({ qr: 'nothing' });
    expect(response.status).toBe(200);
  });

  it('creates a portal login, and refuses a second one with the same e-mail', async () => {
    const args = ['partner:user', '--partner', 'CL-CAS-01', '--email', 'Accueil@Clinique.ma', '--password', 'bonjour-2026', '--role', 'manager'];
    const created = await runCli(args, env);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe('accueil@clinique.ma (manager)');
    const row = await runtime.ctx.db('partner_users').where({ email: 'accueil@clinique.ma' }).first();
    expect(row.role).toBe('manager');
    expect(row.password_hash).toMatch(/^scrypt\$/);

    const clubEmail = await runCli(
      ['partner:user', '--partner', 'CL-CAS-01', '--email', 'admin@nadipass.ma', '--password', 'bonjour-2026'],
      env,
    );
    expect(clubEmail.code).toBe(1);
    expect(clubEmail.stderr).toContain('a login with that e-mail already exists');

    const notAnEmail = await runCli(
      ['partner:user', '--partner', 'CL-CAS-01', '--email', 'notanemail', '--password', 'bonjour-2026'],
      env,
    );
    expect(notAnEmail.code).toBe(1);
    expect(notAnEmail.stderr).toContain('not a valid e-mail address');

    const again = await runCli(args, env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('a login with that e-mail already exists');
  });

  it('prints the region report as CSV, one line per region', async () => {
    const result = await runCli(['report:regions', '--from', '2026-01-01', '--to', '2026-12-31'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('region_code,region_name,redemptions,gross_mad,discount_mad');
    expect(lines).toHaveLength(13);
    expect(lines[10]).toBe('10,Guelmim-Oued Noun,0,0.00,0.00');
  });

  it('explains a mistake on stderr with exit code 2, and an unknown member with exit code 1', async () => {
    const badDate = await runCli(['report:regions', '--from', '31/12/2026'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--from must be a date written YYYY-MM-DD');

    const unknown = await runCli(['card:issue', '--member', '999999'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no member has that number');
    expect(unknown.stdout).toBe('');

    const reversed = await runCli(['report:regions', '--from', '2026-12-03', '--to', '2026-12-01'], env);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('--from must not be after --to');

    const nothing = await runCli([], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('card:issue --member <number>');
  });
});
