import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests leave screenshots of the main pages for review. */
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

/**
 * Debian's Chromium, headless. Without the background-networking flags it keeps trying hosts
 * this offline machine cannot reach (STACK.md).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
