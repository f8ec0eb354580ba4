import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

/** The Debian package's Chromium; `.ci/run` installs it. No browser is ever downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(__dirname, '../artifacts/screenshots');

/**
 * Whether the browser tests run: when Chromium is installed, and always in CI (where a missing
 * Chromium must fail the run rather than skip it quietly).
 */
export function browserTestsEnabled(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) {
    return true;
  }
  if (process.env.CI === 'true') {
    return true;
  }
  process.stdout.write(
    `\nBrowser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} ` +
      '(install it with `apt-get install chromium`; CI fails without it).\n',
  );

  return false;
}

/** Launches Chromium with a fake camera that plays `video` (a .y4m file). */
export async function launchChromium(video: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is required for the browser tests: none at ${CHROMIUM_PATH}`);
  }

  const { chromium } = await import('playwright-core');

  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}

/** Serves the app on an ephemeral port of this machine; `localhost` counts as a secure context. */
export async function serve(app: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource: string = require('axe-core').source;

/**
 * Runs axe-core on the page and returns every violation it finds. The script is
 * evaluated through the debugging protocol, which the page's Content-Security-Policy does not
 * govern, so the page is checked exactly as the app serves it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations: AxeViolation[] = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();

    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });

  return violations;
}

/** Saves a full-page screenshot under test/artifacts/screenshots (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Clicks a submit button and waits until the page that follows has been parsed at `url`.
 * On a timeout the error says where the browser ended up and what that page said, so a failure
 * in CI can be read without a rerun.
 */
export async function submitAndWaitFor(page: Page, button: string, url: RegExp): Promise<void> {
  try {
    await Promise.all([
      page.waitForURL(url, { waitUntil: 'domcontentloaded', timeout: 45_000 }),
      page.click(button),
    ]);
  } catch (error) {
    const said = await page
      .locator('h1, [role=alert]')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `expected ${url} after clicking ${button}; the browser is at ${page.url()} ` +
        `showing ${JSON.stringify(said)}: ${(error as Error).message}`,
    );
  }
}
