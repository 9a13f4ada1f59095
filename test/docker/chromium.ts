// Debian's chromium driven by playwright-core, as the browser tests launch it: headless, without
// its own sandbox (we run as root), first-run and background network traffic off. Each launch has
// a fresh, temporary profile (playwright's own user-data-dir).
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
