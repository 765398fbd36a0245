import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Playwright from 'playwright-core';

/** Chromium to render with: $CHROMIUM_PATH, else Debian's; undefined when neither exists. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
}

/** Renders SVG files to PNG files of the same size (for viewers that show no SVG). */
export async function svgsToPngs(files: Array<{ svg: string; png: string }>, executablePath: string): Promise<void> {
  // Loaded at run time from node_modules: bundling playwright-core would break its own file lookups.
  const { chromium } = createRequire(__filename)('playwright-core') as typeof Playwright;
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    for (const { svg, png } of files) {
      const text = await readFile(svg, 'utf8');
      const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(text) ?? [];
      await page.setViewportSize({ width: Number(width ?? 1000), height: Number(height ?? 600) });
      await page.setContent(`<html><body style="margin:0">${text}</body></html>`);
      await page.screenshot({ path: png, omitBackground: false });
    }
  } finally {
    await browser.close();
  }
}
