// Finds the three test engines on this machine (Debian packages by default; CHROME_PATH,
// FIREFOX_PATH and WEBKIT_DRIVER_PATH override). Shared by the test runner config and e2e tests.
import { existsSync } from 'node:fs';

const first = (...paths) => paths.find((p) => p && existsSync(p));

export function chromiumPath() {
  return first(process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium',
    '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable');
}
export function firefoxPath() {
  return first(process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox');
}
export function webkitDriverPath() {
  return first(process.env.WEBKIT_DRIVER_PATH, '/usr/bin/WebKitWebDriver');
}
export function miniBrowserPath() {
  return first(process.env.WEBKIT_BROWSER_PATH, '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser');
}

/** Flags for headless Chromium here: root needs --no-sandbox; the machine has no internet. */
export const chromiumArgs = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--disable-sync', '--disable-quic', '--mute-audio',
  // Tests run in several tabs at once: background tabs must still get frames and timers.
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows',
];
