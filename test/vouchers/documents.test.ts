import { PNG } from 'pngjs';

import { scannedText } from '../../src/cards/qr';
import { voucherPdf, voucherPng, voucherSvg, VoucherSheet } from '../../src/vouchers/documents';
import { readPdf } from '../support/pdf';
import { decodeQrPng } from '../support/qr';

const URL = 'https://nadipass.ma/v/1150067447553558135541422632276944240496858049116403397292540939979946';

const sheet: VoucherSheet = {
  qrText: URL,
  code: 'K7XD-93FA',
  holder: { latin: 'Fatima Zahra El Idrissi', arabic: 'فاطمة الزهراء الإدريسي' },
  offer: { fr: 'Test de glycémie offert', ar: 'اختبار السكري مجانا' },
  partner: 'Pharmacie Al Amal',
  validUntil: { fr: '31/12/2026', ar: '31/12/2026' },
  labels: {
    club: { fr: 'Nadi Al Mouadaf', ar: 'نادي الموظف' },
    heading: { fr: 'Bon de réduction', ar: 'قسيمة تخفيض' },
    code: { fr: 'Code à donner si le QR code ne passe pas', ar: 'رمز يُعطى إذا تعذّرت قراءة رمز QR' },
    validUntil: { fr: "Valable jusqu'au", ar: 'صالحة إلى غاية' },
  },
};

describe('a voucher as a document', () => {
  it('prints an A6 PDF whose text holds both scripts in reading order, and whose QR scans', async () => {
    const { text, info, png } = readPdf(await voucherPdf(sheet));
    // 105 × 148 mm is 297.64 × 419.53 points.
    expect(info).toMatch(/Page size:\s+297\.6\d* x 419\.5\d* pts/);
    for (const expected of [
      'Bon de réduction', 'قسيمة تخفيض', 'Test de glycémie offert', 'اختبار السكري مجانا',
      'Pharmacie Al Amal', 'K7XD-93FA', 'Fatima Zahra El Idrissi', 'فاطمة الزهراء الإدريسي',
      "Valable jusqu'au 31/12/2026",
    ]) {
      expect(text).toContain(expected);
    }
    expect(decodeQrPng(png)).toBe(scannedText(URL));
  });

  it('draws the same voucher as a PNG at 300 dpi whose QR scans', () => {
    const png = voucherPng(sheet);
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([1240, 1748]);
    expect(decodeQrPng(png)).toBe(scannedText(URL));
  });

  it('draws its text as outlines, shaped here, with the words kept as their titles', () => {
    const svg = voucherSvg(sheet);
    expect(svg).not.toContain('<text');
    expect(svg).toContain('<title>فاطمة الزهراء الإدريسي</title>');
    expect(svg).toContain('<title>K7XD-93FA</title>');
  });
});
