import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { qrPng, scannedText } from '../../src/cards/qr';
import { issueCard } from '../../src/cards/service';
import { typeQwertyOnAzerty } from '../../src/credentials/keyboard';
import { DEMO_LOGINS } from '../../seeds/demo';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { writeFakeCameraVideo } from './fake-camera';
import {
  axeViolations,
  browserTestsEnabled,
  launchChromium,
  screenshot,
  SCREENSHOT_DIR,
  serve,
  submitAndWaitFor,
} from './support';

jest.setTimeout(180_000);

const describeInBrowser = browserTestsEnabled() ? describe : describe.skip;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

let runtime: TestRuntime;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tempDir: string;
let cardUrl: string;
const axeReport: { page: string; lang: string; serious: number; other: string[] }[] = [];

async function checkAxe(name: string): Promise<void> {
  const lang = await page.locator('html').getAttribute('lang');
  const all = await axeViolations(page);
  const violations = all.filter(({ impact }) => impact === 'serious' || impact === 'critical');
  const other = all.filter((violation) => !violations.includes(violation));
  axeReport.push({
    page: name,
    lang: String(lang),
    serious: violations.length,
    other: other.map(({ id, impact }) => `${id} (${impact})`),
  });
  expect({ page: name, lang, violations }).toEqual({ page: name, lang, violations: [] });
}

/** The trimmed text of the first element that matches. */
async function textOf(on: Page, selector: string): Promise<string> {
  return ((await on.locator(selector).first().textContent()) ?? '').trim();
}

async function shoot(name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-360`);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `${name}-desktop`);
}

/**
 * Types as a keyboard scanner or a clerk does, into whatever has the focus, once the page has
 * put it on the field whose id matches: autofocus lands a moment after the page has loaded.
 */
async function typeInto(field: RegExp, text: string): Promise<void> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.activeElement?.id ?? ''),
    field.source,
  );
  await page.keyboard.type(text);
}

async function redemptionCount(): Promise<number> {
  const row = await runtime.ctx.db('redemptions').where({ kind: 'redeem' }).count('* as n').first();

  return Number(row?.n);
}

describeInBrowser('the counter in a real Chromium', () => {
  beforeAll(async () => {
    runtime = await createTestRuntime();
    server = await serve(runtime.app);
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    cardUrl = card.url;
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-camera-'));
    const video = path.join(tempDir, 'card.y4m');
    writeFakeCameraVideo(await qrPng(card.url), video);
    fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });

    browser = await launchChromium(video);
    context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    await context.grantPermissions(['camera'], { origin: server.url });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
    if (tempDir) {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
    if (axeReport.length > 0) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, 'axe.json'), JSON.stringify(axeReport, null, 2));
    }
  });

  it('logs in, in French by default from the browser, and lands on the scan field', async () => {
    await page.goto(`${server.url}/login`);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await checkAxe('login');
    await page.fill('#email', DEMO_LOGINS.partnerStaff.email);
    await page.fill('#password', DEMO_LOGINS.partnerStaff.password);
    await submitAndWaitFor(page, 'button[type=submit]', /\/portal\/scan$/);

    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr');
    await checkAxe('scan');
    await shoot('scan-fr');
  });

  it('scans the card held in front of the fake camera and shows a large green verdict', async () => {
    await page.click('[data-camera-start]');
    await page.waitForURL(/\/portal\/verify$/, { timeout: 30_000 });

    expect(await textOf(page, '.verdict.ok .verdict-word')).toMatch(/VALIDE/);
    expect(await textOf(page, '.holder-name')).toContain('Ahmed Bennani');
    expect(await textOf(page, '.valid-until')).toMatch(/^31\/12\/\d{4}$/);
    expect(await textOf(page, '.offer h3')).toContain('10 % sur la parapharmacie');
    expect(await textOf(page, '.remaining')).toContain('Reste : 4');
    const size = await page.locator('.verdict-word').evaluate((node) => getComputedStyle(node).fontSize);
    expect(parseFloat(size)).toBeGreaterThanOrEqual(32);
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^amount-\d+$/);
    await checkAxe('verdict-valid');
    await shoot('verdict-fr');

    // The scan page would open the camera again by itself (it remembers the choice), and the
    // fake camera shows the card forever: the next tests use the keyboard.
    expect(await page.evaluate(() => localStorage.getItem('nadipass.camera'))).toBe('on');
    await page.evaluate(() => localStorage.removeItem('nadipass.camera'));
  });

  it('says plainly when the browser offers no camera, and keeps the scanner field ready', async () => {
    // As on plain http on a shop's network: not a secure context, so no mediaDevices at all.
    const noCamera = await browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
    await noCamera.addInitScript(() => {
      Object.defineProperty(navigator, 'mediaDevices', { value: undefined });
    });
    await noCamera.addCookies(await context.cookies());
    const other = await noCamera.newPage();
    await other.goto(`${server.url}/portal/scan`);
    await other.waitForFunction(() => document.querySelector('[data-camera-status]')?.textContent !== '');

    expect(await textOf(other, '[data-camera-status]')).toContain('Pas de caméra utilisable');
    expect(await other.locator('[data-camera-start]').isVisible()).toBe(false);
    expect(await other.evaluate(() => document.activeElement?.id)).toBe('qr');
    await noCamera.close();
  });

  it('takes a token typed by a keyboard scanner, then an AZERTY-mangled one, each with Enter', async () => {
    await page.goto(`${server.url}/portal/scan`);
    const token = cardUrl.slice(cardUrl.lastIndexOf('/') + 1);
    await typeInto(/^qr$/, token);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    expect(await textOf(page, '.verdict-word')).toMatch(/VALIDE/);

    await page.goto(`${server.url}/portal/scan`);
    await typeInto(/^qr$/, typeQwertyOnAzerty(scannedText(cardUrl)));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    expect(await textOf(page, '.verdict-word')).toMatch(/VALIDE/);
    expect(await textOf(page, '.notice')).toContain('clavier QWERTY');
    expect(await page.locator('input[name=qr][type=hidden]').first().inputValue()).toBe(scannedText(cardUrl));
  });

  it('refuses junk in words, with what to do next, and gives the focus back to the scan field', async () => {
    await page.goto(`${server.url}/portal/scan`);
    await typeInto(/^qr$/, 'not-a-card');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    expect(await textOf(page, '.verdict.no .verdict-word')).toMatch(/REFUSÉ/);
    expect(await page.locator('.reason').getAttribute('data-reason')).toBe('malformed');
    expect(await textOf(page, '.next')).toContain('Scannez à nouveau');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr');
    await checkAxe('verdict-refused');
  });

  it('redeems with the discount shown first, prints a receipt, and a reload does not redeem again', async () => {
    await page.goto(`${server.url}/portal/scan`);
    await typeInto(/^qr$/, cardUrl);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    const before = await redemptionCount();

    await typeInto(/^amount-\d+$/, '250,00');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/redeem\/confirm$/);
    expect(await textOf(page, '.discount')).toMatch(/25,00\s*MAD/);
    expect(await textOf(page, '.net')).toMatch(/225,00\s*MAD/);
    expect(await redemptionCount()).toBe(before);
    await checkAxe('confirm');

    // A double click on the confirm button.
    await page.dblclick('form[action="/portal/redeem"] button[type=submit]');
    await page.waitForURL(/\/portal\/receipts\/R[A-Z0-9]+\?saved=1$/);
    expect(await textOf(page, '.reference')).toMatch(/^R[A-Z0-9]{10}$/);
    expect(await textOf(page, '.discount')).toMatch(/25,00\s*MAD/);
    expect(await redemptionCount()).toBe(before + 1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr');
    await checkAxe('receipt');
    await shoot('receipt-fr');

    await page.reload();
    expect(await textOf(page, '.reference')).toMatch(/^R[A-Z0-9]{10}$/);
    await page.goBack();
    await page.goForward();
    expect(await redemptionCount()).toBe(before + 1);
  });

  it('switches to Arabic, right to left, remembered on the account, and stays accessible', async () => {
    await page.goto(`${server.url}/portal/scan`);
    await page.click('.lang');
    await page.waitForURL(/lang=ar/);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await textOf(page, 'h1')).toBe('التحقق من بطاقة أو قسيمة');
    const user = await runtime.ctx.db('partner_users').where({ email: DEMO_LOGINS.partnerStaff.email }).first();
    expect(user.language).toBe('ar');
    await checkAxe('scan');
    await shoot('scan-ar');

    await page.fill('#qr', cardUrl);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    expect(await textOf(page, '.verdict-word')).toMatch(/صالحة/);
    expect(await textOf(page, '.holder-name')).toContain('أحمد بناني');
    await checkAxe('verdict-valid');
    await shoot('verdict-ar');

    await typeInto(/^amount-\d+$/, '١٢٠');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/redeem\/confirm$/);
    await checkAxe('confirm');
    await page.click('form[action="/portal/redeem"] button[type=submit]');
    await page.waitForURL(/\/portal\/receipts\//);
    expect(await textOf(page, 'h1')).toBe('وصل');
    await checkAxe('receipt');
    await shoot('receipt-ar');

    await page.fill('#qr', 'not-a-card');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/verify$/);
    expect(await textOf(page, '.verdict-word')).toMatch(/مرفوضة/);
    await checkAxe('verdict-refused');
  });

  it('opens the public verdict page of the QR in both languages', async () => {
    for (const lang of ['fr', 'ar']) {
      await page.goto(`${new URL(cardUrl).pathname.replace(/^/, server.url)}?lang=${lang}`);
      expect(await textOf(page, '.verdict-word')).toMatch(lang === 'fr' ? /Carte valable/ : /بطاقة صالحة/);
      await checkAxe('public-verdict');
      await shoot(`public-verdict-${lang}`);
    }
  });

  it('applies the language kept on the account at the next login, in a fresh browser', async () => {
    const fresh = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    const other = await fresh.newPage();
    await other.goto(`${server.url}/login`);
    expect(await other.locator('html').getAttribute('dir')).toBe('ltr');
    await other.fill('#email', DEMO_LOGINS.partnerStaff.email);
    await other.fill('#password', DEMO_LOGINS.partnerStaff.password);
    await submitAndWaitFor(other, 'button[type=submit]', /\/portal\/scan$/);
    expect(await other.locator('html').getAttribute('dir')).toBe('rtl');
    page = other;
    await checkAxe('scan-after-login');
    await other.goto(`${server.url}/login`);
    expect(await other.locator('html').getAttribute('dir')).toBe('rtl');
    await checkAxe('login');
    await fresh.close();
  });

  it("shows a manager's pages (lists, statement, staff) accessibly in both languages", async () => {
    const managerContext = await browser.newContext({ viewport: DESKTOP, locale: 'ar-MA' });
    page = await managerContext.newPage();
    await page.goto(`${server.url}/login`);
    // No choice on the account yet: the browser's Arabic decides.
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.fill('#email', DEMO_LOGINS.partnerManager.email);
    await page.fill('#password', DEMO_LOGINS.partnerManager.password);
    await submitAndWaitFor(page, 'button[type=submit]', /\/portal\/scan$/);

    for (const lang of ['ar', 'fr']) {
      await page.goto(`${server.url}/portal/redemptions?lang=${lang}`);
      expect(await page.locator('table.ledger tbody tr').count()).toBe(2);
      await checkAxe('redemptions');
      await shoot(`redemptions-${lang}`);

      await page.goto(`${server.url}/portal/statement`);
      expect(await textOf(page, '.total-count')).toMatch(lang === 'ar' ? /^[2٢]$/ : /^2$/);
      await checkAxe('statement');
      await shoot(`statement-${lang}`);

      await page.goto(`${server.url}/portal/staff`);
      expect(await page.locator('.staff-card').count()).toBe(2);
      await checkAxe('staff');
      await shoot(`staff-${lang}`);
    }
    await managerContext.close();
  });
});
