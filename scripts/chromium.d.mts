/** Types of `chromium.mjs` (plain JavaScript, so that web-test-runner's config can import it). */
import type { Browser, LaunchOptions } from 'puppeteer-core';

/** The browser's executable: `CHROMIUM_PATH`, or Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string;
/** Flags for a headless run in a container. */
export const CHROMIUM_ARGS: string[];
/** Launches headless Chromium; `options` are puppeteer's, over the defaults. */
export function launchChromium(options?: LaunchOptions): Promise<Browser>;
