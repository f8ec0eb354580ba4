import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '../support/cli';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let env: Record<string, string>;
let workDir: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  env = { DATABASE_URL: runtime.url };
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-roster-'));
});

afterAll(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  await runtime.close();
});

function writeRoster(name: string, lines: string[]): string {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, `\ufeff${['Nom;Prénom;CIN;Téléphone;Province', ...lines].join('\r\n')}\r\n`);

  return file;
}

describe('npm run cli -- members:import', () => {
  it('lists problems by row and exits 1, checks with --dry-run, then imports, then changes nothing', async () => {
    const bad = writeRoster('bad.csv', ['Saidi;Hind;K77701;0655501001;Guelmim', 'Idrissi;Ali;77;06;Nulle part']);
    const refused = await runCli(['members:import', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Ligne 3');
    expect(refused.stderr).toContain('nothing was written');
    expect(await runtime.ctx.db('members').where({ cin: 'K77701' }).first()).toBeUndefined();

    const good = writeRoster('good.csv', ['Saidi;Hind;K77701;0655501001;Guelmim']);
    const dry = await runCli(['members:import', good, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 new members would be created');
    expect(await runtime.ctx.db('members').where({ cin: 'K77701' }).first()).toBeUndefined();

    const done = await runCli(['members:import', good], env);
    expect(done.code).toBe(0);
    expect(await runtime.ctx.db('members').where({ cin: 'K77701' }).first()).toMatchObject({ first_name: 'Hind' });
    const again = await runCli(['members:import', good], env);
    expect(again.stdout).toContain('0 new members were created, 0 updated, 1 left unchanged');
  }, 240_000);
});
