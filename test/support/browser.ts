import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { systemClock } from '../../src/common/clock.js';
import { withoutFaketime } from './clock.js';

/**
 * The browser the console's tests drive: CHROMIUM_PATH when set (Debian's /usr/bin/chromium,
 * say), otherwise the Chromium that `npm ci` installed with @sparticuz/chromium — inside the
 * package, brotli-compressed, so a machine needs nothing but Node. It is unpacked once into a
 * folder of its version under the system's temporary folder (the package unpacks into
 * os.tmpdir(), so a child process does it with TMPDIR pointing there), and checked by asking its
 * version: an unpacking cut short is done again instead of failing every later run.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? registryChromium(),
    env: withoutFaketime(),
    // No sandbox as root; nothing reaching out of a closed network (its connections would be refused, many at a time).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page whose clock is the one the test's own process sees: Chromium runs without libfaketime
 * (withoutFaketime), so in CI's run a year ahead it gets that time from Playwright's clock, and
 * the console must behave the same on any date, like the hub.
 */
export async function openClockedPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const page = await browser.newPage(options);
  await page.clock.setSystemTime(systemClock());
  return page;
}

function registryChromium(): string {
  const require = createRequire(import.meta.url);
  // The package exports no package.json: its own is three folders up from its entry point.
  const { version } = JSON.parse(readFileSync(join(dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const folder = join(tmpdir(), `creditgraph-chromium-${version}`);
  for (let attempt = 1; ; attempt++) {
    mkdirSync(folder, { recursive: true });
    const unpack = "import('@sparticuz/chromium').then(({ default: chromium }) => chromium.executablePath()).then((path) => process.stdout.write(path))";
    const path = execFileSync(process.execPath, ['--input-type=module', '-e', unpack], { env: { ...process.env, TMPDIR: folder }, encoding: 'utf8' });
    try {
      execFileSync(path, ['--version'], { env: withoutFaketime(), encoding: 'utf8', timeout: 30_000 });
      return path;
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      if (attempt === 2) throw new Error(`the Chromium of @sparticuz/chromium ${version} does not start from ${path}`, { cause: error });
    }
  }
}
