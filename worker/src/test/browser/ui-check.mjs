// Opens one page of the Temporal UI in the system's Chromium (Debian's `chromium` package; playwright-core drives it
// and downloads no browser), waits until every expected text is on the page, and saves a full-page screenshot
// either way, so a failure can be looked at.
//
// usage: node ui-check.mjs <url> <screenshot.png> <expected text>...
// env:   CHROMIUM  the browser binary (default /usr/bin/chromium)
//        UI_CHECK_TIMEOUT_MS  how long to wait for all the texts together (default 60000)
// Prints one line per text (`found: ...` or `missing: ...`), then one per frame of user Markdown (`fits: ...` or
// `cut: ...`: whether the frame is tall enough to show its last line of text); exits 0 only when all were found and
// every frame fits.
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
    // The UI sizes each Markdown frame once, on load, from the frame's content: its last line must be inside it.
    for (const frame of page.frames()) {
        const element = await frame.frameElement().catch(() => null);
        if (!element) {
            continue;
        }
        const shown = await element.evaluate(el => el.clientHeight);
        const last = await frame.evaluate(() => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            let node = null;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                if (n.textContent.replace(/\s+/g, '') !== '') {
                    node = n;
                }
            }
            if (!node) {
                return null;
            }
            const range = document.createRange();
            range.selectNodeContents(node);
            const rects = range.getClientRects();
            return { text: node.textContent.trim(), bottom: rects[rects.length - 1].bottom + window.scrollY };
        }).catch(() => null);
        if (!last) {
            continue;
        }
        const line = `frame ${frame.name() || frame.url().slice(0, 40)}: last line "${last.text.slice(0, 60)}" ends at`
            + ` ${Math.ceil(last.bottom)} px of ${shown} px shown`;
        if (last.bottom <= shown) {
            console.log(`fits: ${line}`);
        } else {
            missing++;
            console.log(`cut: ${line}`);
        }
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
} finally {
    await browser.close();
}
process.exit(missing === 0 ? 0 : 1);
