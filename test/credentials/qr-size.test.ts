import { qrSegments, qrVersion, scannedText } from '../../src/cards/qr';
import { issueCard } from '../../src/cards/service';
import { signWithActiveKey } from '../../src/credentials/issuing';
import { credentialUrl, extractToken, newTokenId } from '../../src/credentials/tokens';
import { createTestRuntime, TestRuntime } from '../support/runtime';

// A long but plausible address for the club's verification pages (50 characters).
const LONG_BASE_URL = 'https://verification.nadi-fonction-publique.gov.ma';
// 65 characters: cut to 60, the longest display name a token carries.
const LONG_FIRST = 'Mohammed-Amine Abderrahmane Fatima-Zahra';
const LONG_LAST = "Ben Abdeslam El Ouazzani";

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime({ publicBaseUrl: LONG_BASE_URL });
});

afterAll(() => runtime.close());

describe('the size of a card or voucher QR', () => {
  it('is QR version 12 or lower at error correction M for the longest realistic URLs', async () => {
    // Large ids too: a member and a dependant numbered in the millions.
    const [member] = await runtime.ctx
      .db('members')
      .insert({
        id: 9_876_543, number: '9876543', cin: 'ZZ999999', first_name: LONG_FIRST,
        last_name: LONG_LAST, full_name_ar: 'محمد أمين عبد الرحمن بن عبد السلام الوزاني',
        work_province_code: '10.261',
      })
      .returning('*');
    await runtime.ctx.db('membership_periods').insert({
      member_id: member.id, valid_from: '2026-01-01', valid_to: '2027-12-31',
    });
    const [dependant] = await runtime.ctx
      .db('dependants')
      .insert({
        id: 4_567_890, member_id: member.id, relation: 'child', first_name: LONG_FIRST,
        last_name: LONG_LAST,
      })
      .returning('*');
    const now = new Date('2026-12-03T12:00:00Z');

    const card = await issueCard(runtime.ctx, { memberNumber: '9876543', dependantId: dependant.id, now });
    const name = JSON.parse(Buffer.from(card.token.split('.')[1], 'base64url').toString()).n;
    expect(name).toHaveLength(60);
    expect(card.url.startsWith(`${LONG_BASE_URL}/v/`)).toBe(true);

    const voucher = await runtime.ctx.db.transaction((tx) =>
      signWithActiveKey(runtime.ctx.keys, tx, {
        kind: 'voucher', id: newTokenId(), holder: `D${dependant.id}`, name: `${LONG_FIRST} ${LONG_LAST}`,
        issuedAt: now, expiresAt: new Date('2027-12-31T23:00:00Z'),
      }),
    );
    const voucherUrl = credentialUrl(LONG_BASE_URL, voucher.token);

    const versions = { card: qrVersion(card.url), voucher: qrVersion(voucherUrl) };
    process.stdout.write(
      `QR versions at level M: card ${versions.card} (${card.url.length} characters), ` +
        `voucher ${versions.voucher} (${voucherUrl.length} characters)\n`,
    );
    expect(versions.card).toBeLessThanOrEqual(12);
    expect(versions.voucher).toBeLessThanOrEqual(12);
    // What a phone or a scanner reads from the QR is the same card.
    expect(extractToken(scannedText(card.url))).toBe(card.token);
  });

  it('is version 11 or lower for a typical card: a 23-character name on a short base URL', async () => {
    const base = 'https://nadi.ma';
    const card = await issueCard({ ...runtime.ctx, config: { ...runtime.ctx.config, publicBaseUrl: base } }, {
      memberNumber: '100002',
      now: new Date('2026-12-03T12:00:00Z'),
    });
    expect(card.holderName).toBe('Fatima Zahra El Idrissi');
    expect(qrVersion(card.url)).toBeLessThanOrEqual(11);
  });
});

describe('the segments of a QR', () => {
  it('puts scheme, host and /v/ in capitals in alphanumeric mode, and the token in numeric mode', () => {
    expect(qrSegments('https://nadipass.ma/v/1234567')).toEqual([
      { data: 'HTTPS://NADIPASS.MA/V/', mode: 'alphanumeric' },
      { data: '1234567', mode: 'numeric' },
    ]);
  });

  it('keeps a path of the base URL as it is, since only scheme and host are case-blind', () => {
    const url = 'https://club.example.ma:8443/NadiPass/v/1234567';
    expect(qrSegments(url).map(({ mode }) => mode)).toEqual(['alphanumeric', 'byte', 'numeric']);
    expect(scannedText(url)).toBe('HTTPS://CLUB.EXAMPLE.MA:8443/NadiPass/v/1234567');
  });

  it('writes any other text as it is, in byte mode', () => {
    expect(scannedText('https://nadipass.ma/v/eyJ.abc.def')).toBe('https://nadipass.ma/v/eyJ.abc.def');
    expect(qrSegments('K7XD-93FA')).toEqual([{ data: Buffer.from('K7XD-93FA'), mode: 'byte' }]);
  });
});
