import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import jsQR from 'jsqr';
import { PNG } from 'pngjs';

import { renderCardPdf, renderCardSheetPdf, type PrintableCard } from '../../src/cards/pdf';
import { scannedText } from '../../src/cards/qr';
import { credentialUrl } from '../../src/credentials/tokens';

// The PDFs are checked with poppler's command-line tools (Debian package poppler-utils): they
// read the files as a printer driver or a viewer would, independently of the code that wrote them.

const MM = 72 / 25.4;
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJrIjoiYyIsImp0aSI6IjAxSjk4WFlaQUJDREVGR0hKS01OUFFSUyIs' +
  'ImgiOiJtOjEwMDAwMSIsIm4iOiJGYXRpbWEgWmFocmEgRWwgSWRyaXNzaSIsImV4cCI6MTc5ODc2MTU5OSwiaWF0Ijox' +
  'NzY0NzAwMDAwLCJ2IjoxfQ.MEUCIQDx3y1Ab2Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4Yz5AiBa6Bc7De8Fg9Hi0Jk1Lm';

function buildCard(overrides: Partial<PrintableCard> = {}): PrintableCard {
  return {
    holderNameLatin: 'Fatima Zahra El Idrissi',
    holderNameArabic: 'فاطمة الزهراء الإدريسي',
    membershipNumber: '100001',
    validUntil: { fr: '31/12/2026', ar: '31/12/2026' },
    qrText: `https://nadipass.example.ma/v/${TOKEN}`,
    ...overrides,
  };
}

/**
 * The verification URL of a card token shaped like the ones we sign (ES256 header, claims with a
 * 60-character name, 64-byte signature), different for each `seed`. Not verifiable: only its size
 * and its digits matter to the QR.
 */
function cardUrl(seed: number): string {
  const header = { alg: 'ES256', kid: 'Ab3x' };
  const claims = {
    v: 1,
    k: 'c',
    jti: crypto.createHash('sha256').update(`id ${seed}`).digest('base64url').slice(0, 11),
    sub: `M${1_000_000 + seed}`,
    n: 'Mohamed Amine Ben Abdeslam El Ouazzani Chahdi Al Alaoui Talb',
    iat: 1_764_700_000 + seed,
    exp: 1_798_761_600,
  };
  const signature = crypto.createHash('sha512').update(`signature ${seed}`).digest();
  const parts = [JSON.stringify(header), JSON.stringify(claims)].map((json) => Buffer.from(json));
  const token = [...parts, signature]
    .map((part) => part.toString('base64url'))
    .join('.');

  return credentialUrl('https://nadipass.example.ma', token);
}

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'card-pdf-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

let pdfCount = 0;

/** Runs a poppler tool on a PDF and returns its standard output. */
function poppler(tool: string, pdf: Buffer, args: string[] = []): Buffer {
  pdfCount++;
  const file = path.join(workDir, `${pdfCount}.pdf`);
  fs.writeFileSync(file, pdf);
  // pdftotext writes to a file unless told "-"; the other tools write to standard output.
  const output = tool === 'pdftotext' ? ['-'] : [];
  const result = spawnSync(tool, [...args, file, ...output], { maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new Error(
      `${tool} could not run (${result.error.message}): these tests need poppler-utils ` +
        '(apt-get install poppler-utils)',
    );
  }
  if (result.status !== 0) {
    throw new Error(`${tool} failed: ${result.stderr.toString()}`);
  }

  return result.stdout;
}

/**
 * The PDF's text as pdftotext extracts it, without the direction marks it puts around
 * right-to-left lines, and with each run of white space made one space.
 */
function extractText(pdf: Buffer): string {
  return poppler('pdftotext', pdf)
    .toString('utf8')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/\s+/gu, ' ');
}

/** Page sizes in points, from pdfinfo. */
function pageSizes(pdf: Buffer): { width: number; height: number }[] {
  const info = poppler('pdfinfo', pdf, ['-f', '1', '-l', '1000']).toString('utf8');

  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gmu)].map((match) => ({
    width: Number(match[1]),
    height: Number(match[2]),
  }));
}

const DPI = 200;

/**
 * Renders the top-left corner of the first page (`width` × `height` mm) at an office printer's
 * resolution, and reads the QR code in it. jsQR reads one code per image, so a sheet is cropped
 * to its first card.
 */
function decodeQr(pdf: Buffer, width: number, height: number): string | undefined {
  const pixels = (mm: number) => String(Math.ceil((mm / 25.4) * DPI));
  const args = ['-png', '-r', String(DPI), '-f', '1', '-l', '1', '-W', pixels(width)];
  const png = PNG.sync.read(poppler('pdftoppm', pdf, [...args, '-H', pixels(height)]));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);

  return code?.data;
}

describe('renderCardPdf', () => {
  it('renders one page of ID-1 size, 85.6 × 54 mm', async () => {
    const pdf = await renderCardPdf(buildCard());

    const sizes = pageSizes(pdf);
    expect(sizes).toHaveLength(1);
    expect(sizes[0].width).toBeCloseTo(85.6 * MM, 1);
    expect(sizes[0].height).toBeCloseTo(54 * MM, 1);
    expect(sizes[0].width).toBeCloseTo(242.65, 1);
    expect(sizes[0].height).toBeCloseTo(153.07, 1);
  });

  it('prints the Latin name, the Arabic name in reading order and the number as text', async () => {
    const card = buildCard();

    const text = extractText(await renderCardPdf(card));

    expect(text).toContain('Fatima Zahra El Idrissi');
    // Compared as a string in logical order: the lam-alef ligature of "الإ", the kerning between
    // ر and ي, and joined letter forms all have to come back as the original characters.
    expect(text).toContain('فاطمة الزهراء الإدريسي');
    expect(text).toContain('100001');
    expect(text).toContain('31/12/2026');
  });

  it("prints a dependant's relation in both languages", async () => {
    const card = buildCard({
      holderNameLatin: 'Yasmine Bennani',
      holderNameArabic: 'ياسمين بناني',
      relation: { fr: 'Enfant de Ahmed Bennani', ar: 'ابنة أحمد بناني' },
    });

    const text = extractText(await renderCardPdf(card));

    expect(text).toContain('Enfant de Ahmed Bennani');
    expect(text).toContain('ابنة أحمد بناني');
    expect(text).toContain('ياسمين بناني');
  });

  it('prints a 60-character Latin name whole, wrapped if need be', async () => {
    const name = 'Mohamed Amine Ben Abdeslam El Ouazzani Chahdi Al Alaoui Talb';
    expect(name).toHaveLength(60);

    const text = extractText(await renderCardPdf(buildCard({ holderNameLatin: name })));

    expect(text).toContain(name);
  });

  it('draws a QR code that a scanner reads back as the card’s qrText', async () => {
    const card = buildCard();

    const pdf = await renderCardPdf(card);

    expect(decodeQr(pdf, 85.6, 54)).toBe(card.qrText);
  });

  it('embeds its fonts, subset, so that the card prints the same anywhere', async () => {
    const fonts = poppler('pdffonts', await renderCardPdf(buildCard())).toString('utf8');

    const rows = fonts.split('\n').slice(2).filter((row) => row.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      // Columns: name, type (two words), encoding, emb, sub, uni.
      expect(row).toMatch(/\byes\s+yes\s+yes\b/u);
    }
  });
});

describe('renderCardSheetPdf', () => {
  const cards = Array.from({ length: 23 }, (_, index) =>
    buildCard({
      membershipNumber: String(200001 + index),
      qrText: `https://nadipass.example.ma/v/${TOKEN}${index}`,
    }),
  );
  let sheet: Buffer;

  beforeAll(async () => {
    sheet = await renderCardSheetPdf(cards);
  });

  it('puts 23 cards on 3 A4 pages', () => {
    const sizes = pageSizes(sheet);
    expect(sizes).toHaveLength(3);
    for (const size of sizes) {
      expect(size.width).toBeCloseTo(210 * MM, 1);
      expect(size.height).toBeCloseTo(297 * MM, 1);
    }
  });

  it('prints every membership number of the batch', () => {
    const text = extractText(sheet);

    for (const card of cards) {
      expect(text).toMatch(new RegExp(`\\b${card.membershipNumber}\\b`, 'u'));
    }
  });

  it('embeds each font once for the whole sheet, not once per card', () => {
    const fonts = poppler('pdffonts', sheet).toString('utf8');

    const names = fonts
      .split('\n')
      .slice(2)
      .filter((row) => row.trim() !== '')
      .map((row) => row.split(/\s+/u)[0]);
    // Regular, semibold and bold, each in a Latin and an Arabic file at most.
    expect(names.length).toBeLessThanOrEqual(6);
    expect(new Set(names).size).toBe(names.length);
  });

  it('draws readable QR codes', () => {
    // The first card lies within 105 × 66 mm of the page's corner (half the width, and its
    // 54 mm height plus the top margin).
    expect(decodeQr(sheet, 105, 66)).toBe(cards[0].qrText);
  });

  it('draws a QR that scans back as its card’s URL on every card of a full sheet', async () => {
    const fullSheet = Array.from({ length: 10 }, (_, index) =>
      buildCard({ membershipNumber: String(300001 + index), qrText: cardUrl(index) }),
    );

    const pdf = await renderCardSheetPdf(fullSheet);

    // The page cut into 2 columns and 5 rows of equal cells holds one card's QR, quiet zone
    // included, in each cell, in the order of the cards.
    const args = ['-png', '-r', String(DPI), '-f', '1', '-l', '1'];
    const page = PNG.sync.read(poppler('pdftoppm', pdf, args));
    const width = Math.floor(page.width / 2);
    const height = Math.floor(page.height / 5);
    const scanned = fullSheet.map((_, slot) => {
      const cell = new PNG({ width, height });
      const [left, top] = [(slot % 2) * width, Math.floor(slot / 2) * height];
      PNG.bitblt(page, cell, left, top, width, height, 0, 0);
      const options = { inversionAttempts: 'dontInvert' } as const;

      return jsQR(new Uint8ClampedArray(cell.data), width, height, options)?.data;
    });

    expect(scanned).toEqual(fullSheet.map((card) => scannedText(card.qrText)));
  });

  it('refuses an empty batch with a TypeError', async () => {
    await expect(renderCardSheetPdf([])).rejects.toThrow(TypeError);
  });
});
