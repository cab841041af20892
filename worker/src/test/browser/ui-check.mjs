// Opens one page of the Temporal UI in the system's Chromium (Debian's `chromium` package; playwright-core drives it
// and downloads no browser), waits until every expected text is on the page, and saves a full-page screenshot
// either way, so a failure can be looked at.
//
// usage: node ui-check.mjs <url> <screenshot.png> <expected text>...
// env:   CHROMIUM  the browser binary (default /usr/bin/chromium)
//        UI_CHECK_TIMEOUT_MS  how long to wait for all the texts together (default 60000)
// Prints one line per text (`found: ...` or `missing: ...`); exits 0 only when all were found.
import { chromium } from 'playwright-core';

const [url, screenshot, ...expected] = process.argv.slice(2);
if (!url || !screenshot || expected.length === 0) {
    console.error('usage: node ui-check.mjs <url> <screenshot.png> <expected text>...');
    process.exit(2);
}
const timeout = Number(process.env.UI_CHECK_TIMEOUT_MS ?? 60000);

// The UI renders user Markdown (summary, details, Current Details) in sandboxed iframes, so every frame is read.
async function appears(page, text, deadline) {
    do {
        for (const frame of page.frames()) {
            const body = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '');
            if (body.replace(/\s+/g, ' ').includes(text)) {
                return true;
            }
        }
        await page.waitForTimeout(250);
    } while (Date.now() < deadline);
    return false;
}

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox'],
});
let missing = 0;
try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    // The UI polls the server, so the network never goes idle: wait for the page, then for each text.
    await page.goto(url, { waitUntil: 'load', timeout });
    const deadline = Date.now() + timeout;
    for (const text of expected) {
        if (await appears(page, text, deadline)) {
            console.log(`found: ${text}`);
        } else {
            missing++;
            console.log(`missing: ${text}`);
        }
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
} finally {
    await browser.close();
}
process.exit(missing === 0 ? 0 : 1);
