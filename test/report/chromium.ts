// Opens an HTML file in Debian's headless Chromium (playwright-core, no browser download) and reports what the page
// did: every request, console errors, dialogs (an injected script would raise one); saves a full-page screenshot.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageFacts<T> {
  url: string;
  /** Every URL the page asked for, its own included. */
  requests: string[];
  /** Requests for anything but the page's own file (blocked: nothing leaves the machine). */
  foreignRequests: string[];
  /** Console errors, page errors and Content-Security-Policy violations. */
  consoleErrors: string[];
  /** Messages of alert/confirm/prompt dialogs. */
  dialogs: string[];
  screenshot: string;
  /** What `examine` returned. */
  result: T;
}

export interface InspectOptions {
  /** A laptop screen by default. */
  viewport?: { width: number; height: number };
  fullPage?: boolean;
}

/** Loads the file, runs `examine` on the live page, takes the screenshot, closes the browser. */
export async function inspectPage<T = undefined>(htmlFile: string, screenshotFile: string, examine?: (page: Page) => Promise<T>, options: InspectOptions = {}): Promise<PageFacts<T>> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (as root: apt-get update && apt-get install -y chromium)`);
  const url = pathToFileURL(resolve(htmlFile)).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1366, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    const dialogs: string[] = [];
    // Anything but the file itself is recorded and refused, so a broken page cannot reach the network.
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    const result = (examine ? await examine(page) : undefined) as T;
    mkdirSync(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: options.fullPage ?? true });
    return { url, requests, foreignRequests: requests.filter((request) => request !== url), consoleErrors, dialogs, screenshot: screenshotFile, result };
  } finally {
    await browser.close();
  }
}
