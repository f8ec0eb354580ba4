import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PNG } from 'pngjs';
import request from 'supertest';

import { scannedText } from '../../src/cards/qr';
import { issueCard } from '../../src/cards/service';
import { runCli } from '../support/cli';
import { readPdf } from '../support/pdf';
import { decodeQrPng } from '../support/qr';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { signedInAgent } from './support';

// The PDF is read back with poppler (poppler-utils), as a viewer or a printer driver would: its
// text layer must hold both scripts in reading order, and its rendering must scan.

let runtime: TestRuntime;
let workDir: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'card-downloads-'));
});

afterAll(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  await runtime.close();
});

async function childOfAhmed(): Promise<number> {
  const row = await runtime.ctx
    .db('dependants')
    .join('members', 'members.id', 'dependants.member_id')
    .where({ 'members.number': '100001', 'dependants.relation': 'child' })
    .first('dependants.id');

  return row.id;
}

describe('card downloads', () => {
  it("gives an admin the dependant's printable PDF: ID-1 size, both scripts, number, date, QR", async () => {
    const card = await issueCard(runtime.ctx, {
      memberNumber: '100001',
      dependantId: await childOfAhmed(),
      now: new Date('2026-12-03T12:00:00Z'),
    });
    const { agent } = await signedInAgent(runtime.app);
    const response = await agent.get(`/admin/cards/${card.id}/card.pdf`).buffer(true);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="?carte-100001-\d+\.pdf"?$/);

    const { text, info, png } = readPdf(response.body);
    // 85.6 × 54 mm is 242.65 × 153.07 points.
    expect(info).toMatch(/Page size:\s+242\.6\d* x 153\.0\d* pts/);
    expect(text).toContain('Youssef Bennani');
    // Arabic comes out in logical order, letter by letter, as typed: shaped glyphs map back.
    expect(text).toContain('يوسف بناني');
    expect(text).toContain('100001');
    expect(text).toContain('31/12/2027');
    expect(decodeQrPng(png)).toBe(scannedText(card.url));
  });

  it('gives the card face as SVG and as PNG, both of the card the holder carries', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const { agent } = await signedInAgent(runtime.app);

    const svg = await agent.get(`/admin/cards/${card.id}/card.svg`).buffer(true);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const document = svg.body.toString('utf8');
    expect(document).toContain('width="85.6mm" height="54mm"');
    expect(document).toContain('Fatima Zahra El Idrissi');
    expect(document).toContain('فاطمة الزهراء الإدريسي');
    // Anchored by its right end, where an Arabic line ends.
    expect(document).toMatch(/text-anchor="end" xml:lang="ar">فاطمة الزهراء الإدريسي</);

    const png = await agent.get(`/admin/cards/${card.id}/card.png`).buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    // The whole face at 300 dots per inch: 85.6 × 54 mm is 1012 × 638 pixels.
    const image = PNG.sync.read(png.body);
    expect([image.width, image.height]).toEqual([1012, 638]);
    expect(decodeQrPng(png.body)).toBe(scannedText(card.url));

    const unknownFormat = await agent.get(`/admin/cards/${card.id}/card.gif`);
    expect(unknownFormat.status).toBe(404);
  });

  it('refuses to download a revoked card, and keeps downloads to club admins', async () => {
    const first = await issueCard(runtime.ctx, { memberNumber: '100003' });
    await issueCard(runtime.ctx, { memberNumber: '100003' });
    const { agent } = await signedInAgent(runtime.app);
    const revoked = await agent.get(`/admin/cards/${first.id}/card.pdf?lang=ar`);
    expect(revoked.status).toBe(404);
    expect(revoked.text).toContain('هذه البطاقة غير موجودة أو لم تعد صالحة.');

    const anonymous = await request(runtime.app).get(`/admin/cards/${first.id}/card.pdf`);
    expect(anonymous.status).toBe(302);
  });

  it('writes the PDF from the command line with card:issue --pdf', async () => {
    const file = path.join(workDir, 'cli-card.pdf');
    const result = await runCli(['card:issue', '--member', '100004', '--pdf', file], {
      DATABASE_URL: runtime.url,
    });
    expect(result.code).toBe(0);
    const url = result.stdout.trim();
    expect(url).toMatch(/^http:\/\/localhost:3000\/v\/[1-9][0-9]+$/);

    const { text, png } = readPdf(fs.readFileSync(file));
    expect(text).toContain('Salma Tazi');
    expect(text).toContain('سلمى التازي');
    expect(decodeQrPng(png)).toBe(scannedText(url));
  });
});
