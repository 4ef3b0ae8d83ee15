// DashboardE2E's browser half: Debian's chromium, headless, driven by playwright-core.
// Opens the dashboard, waits for every slot's tile to be ready, clicks "Kill a worker" (answering
// the token prompt), then waits — at most DEADLINE_MS — until the killed slot's tile shows a new
// worker id and one more restart. Prints one JSON line with what it saw; saves screenshots.
// usage: node dashboard-kill.mjs URL SLOTS TOKEN SCREENSHOT...
import { chromium } from "playwright-core";

const [url, slotsArg, token, ...screenshots] = process.argv.slice(2);
const slots = Number(slotsArg);
const DEADLINE_MS = 2000;
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS, timeout: 60000 });
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const failed = [];
  page.on("requestfailed", r => { if (!r.url().endsWith("/events")) failed.push(r.url()); });
  page.on("pageerror", e => failed.push("script error: " + e.message));
  page.on("dialog", d => d.accept(token));
  await page.goto(url);
  // every slot ready, a first event streamed
  await page.waitForFunction(n => {
    const ready = [...document.querySelectorAll(".tile[data-slot]")].filter(t => t.dataset.slot > 0 && t.dataset.state === "ready");
    return ready.length === n && document.querySelectorAll("#events li").length > 0;
  }, slots, { timeout: 60000 });
  const before = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll(".tile[data-slot]")]
      .filter(t => t.dataset.slot > 0).map(t => [t.dataset.slot, { worker: Number(t.dataset.worker), restarts: Number(t.dataset.restarts) }])));

  const killAnswer = page.waitForResponse(r => r.url().endsWith("/chaos/kill"));
  await page.click("#kill");
  const answer = await killAnswer;
  const killedAt = Date.now();
  result.killStatus = answer.status();
  const killed = await answer.json();
  result.killedWorker = killed.worker;
  result.killedSlot = killed.slot;
  result.before = before[killed.slot];
  try {
    await page.waitForFunction(([slot, old]) => {
      const tile = document.getElementById("tile-slot-" + slot);
      return tile && Number(tile.dataset.worker) !== old.worker && Number(tile.dataset.restarts) === old.restarts + 1;
    }, [String(killed.slot), before[killed.slot]], { timeout: DEADLINE_MS, polling: "raf" });
    result.latencyMs = Date.now() - killedAt;
  } catch (e) {
    result.timeout = e.message.split("\n")[0];
  }
  const tile = await page.$("#tile-slot-" + killed.slot);
  result.after = tile && { worker: Number(await tile.getAttribute("data-worker")),
                           restarts: Number(await tile.getAttribute("data-restarts")),
                           state: await tile.getAttribute("data-state") };
  result.message = await page.textContent("#message");
  result.events = await page.$$eval("#events li", items => items.slice(0, 6).map(i => i.textContent));
  result.failedRequests = failed;
  // for the picture, a few seconds of RSS history on the slots' sparklines
  await page.waitForFunction(() => [...document.querySelectorAll("#tiles polyline")]
      .some(l => l.getAttribute("points").split(" ").length >= 10), null, { timeout: 20000 }).catch(() => {});
  for (const file of screenshots) {
    await page.screenshot({ path: file });
  }
} finally {
  await browser.close();
}
console.log("RESULT " + JSON.stringify(result));
