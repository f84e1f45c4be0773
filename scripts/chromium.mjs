/**
 * Debian's Chromium, as every browser-driving script and test here launches it (web-test-runner,
 * `npm run screenshots`, `bench/elements`, the framework host tests): nothing downloads a browser.
 * `CHROMIUM_PATH` points elsewhere when the browser is not at Debian's path.
 */
import puppeteer from 'puppeteer-core';

/** The browser's executable. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless run in a container: no sandbox (root), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with {@link CHROMIUM_ARGS}; close it with `browser.close()`. */
export function launchChromium(options = {}) {
  return puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...options });
}
