// One long-lived Lighthouse (its Node API) for a worker of the audit: Chromium is started once by
// chrome-launcher (the launcher and default flags the Lighthouse CLI uses) and each run attaches to
// it over the DevTools protocol, so a run no longer pays Node's and Chromium's start-up.
//
//   node lighthouse_service.mjs LIGHTHOUSE_PACKAGE_DIR   (CHROME_PATH, HOME from the environment)
//
// stdin: one JSON request a line {"url", "output", "flags", "chromeFlags", "chromePath", "home",
// "benchmarkIndex"}; the first request's chromeFlags, chromePath and home start Chromium (the same for
// every request of a worker; without chromePath or home, the environment's), so the process can start
// and load Lighthouse before the worker knows which Chromium it uses. benchmarkIndex (optional): the
// value this machine measured before, reused instead of measuring it again. stdout: one JSON
// answer a line per request, in order: {"ok": true} once OUTPUT.report.json and OUTPUT.report.html
// are written, or {"ok": false, "error": "..."}. Requests are handled one at a time (the Python side
// also holds the machine's Lighthouse lock), so no two runs overlap.
import {createRequire} from 'module';
import {writeFileSync} from 'fs';
import path from 'path';
import readline from 'readline';
import {pathToFileURL} from 'url';

const packageDir = process.argv[2];
const require = createRequire(path.join(packageDir, 'package.json'));
const {default: lighthouse} = await import(pathToFileURL(path.join(packageDir, 'core', 'index.js')).href);
const chromeLauncher = await import(pathToFileURL(require.resolve('chrome-launcher')).href);
// The same module instance Lighthouse's gatherers import (same file URL), so a replaced function
// is the one Lighthouse evaluates in the page.
const {pageFunctions} = await import(pathToFileURL(path.join(packageDir, 'core', 'lib', 'page-functions.js')).href);

// Answers start with MARK: anything else a library prints to stdout is skipped by the reader.
const MARK = "@portal-audit-lighthouse@ ";
let chrome = null;
let benchmarkIndex = null;

// BenchmarkIndex (a ~1 s busy loop in the page at the start of every run) only feeds the report's
// environment section and a slow-CPU warning; under simulated throttling no metric reads it
// (core/gather/base-artifacts.js, driver/environment.js; nothing in lib/lantern, computed or audits).
// It is measured once and reused: the machine does not change between runs. The worker passes the
// value this machine measured since it started (portal_audit.visit.lighthouse_service.BenchmarkMemo);
// without one, this service's first run measures it.
function reuseBenchmarkIndex(value) {
  if (benchmarkIndex !== null || typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return;
  benchmarkIndex = value;
  // Lighthouse sends the function's source to the page: a function returning the measured value.
  pageFunctions.computeBenchmarkIndex = new Function(
    `return function computeBenchmarkIndex() { return ${JSON.stringify(value)}; }`)();
}

async function browser(request) {
  if (chrome === null) {
    chrome = await chromeLauncher.launch({
      chromeFlags: request.chromeFlags, logLevel: 'silent', handleSIGINT: false,
      ...(request.chromePath ? {chromePath: request.chromePath} : {}),
      ...(request.home ? {envVars: {...process.env, HOME: request.home}} : {})});
  }
  return chrome;
}

function dropBrowser() {
  // After a failed run the browser may be the cause: the next run starts a fresh one.
  try { chrome?.kill(); } catch { /* already gone */ }
  chrome = null;
}

async function measure(request) {
  reuseBenchmarkIndex(request.benchmarkIndex);
  const launched = await browser(request);
  const flags = {...request.flags, port: launched.port, output: ['json', 'html'], logLevel: 'silent'};
  const result = await lighthouse(request.url, flags);
  if (!result) throw new Error('Lighthouse không trả kết quả');
  if (!result.lhr.runtimeError) reuseBenchmarkIndex(result.lhr.environment?.benchmarkIndex);
  writeFileSync(`${request.output}.report.json`, result.report[0]);
  writeFileSync(`${request.output}.report.html`, result.report[1]);
}

function answer(message) {
  process.stdout.write(MARK + JSON.stringify(message) + '\n');
}

const lines = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    await measure(JSON.parse(line));
    answer({ok: true});
  } catch (err) {
    dropBrowser();
    answer({ok: false, error: String(err?.message ?? err).slice(0, 300)});
  }
}
dropBrowser();
