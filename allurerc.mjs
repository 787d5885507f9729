// The Allure 3 report of an evaluation round: `allure generate allure-results` run from the
// repository root picks up this file (see the README, "Publishing the results").
//
// What it takes from the audit run: the audit writes portal-audit.json into its Allure results
// folder (portal_audit/render/evaluation.py) with the report name (the evaluation period), the
// history file to keep between rounds (--history), and the Vietnamese failure categories, each
// matched on the `failure_kind` labels of the results. The environment block (period, inventory,
// EMC export, tool and Chromium versions, where it ran) is the environment.properties beside it.
import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";

// Options of `allure generate` / `allure open` that take a value (the rest are flags).
const VALUE_OPTIONS = new Set([
  "--config", "-c", "--output", "-o", "--cwd", "--report-name", "--name", "--dump", "--port",
  "--history-limit", "--history-base-url", "--hide-labels", "--known-issues",
]);

// The results folders named on the command line, as Allure will read them, and its --cwd.
function commandLine(argv) {
  const command = argv.findIndex((arg) => arg === "generate" || arg === "watch");
  let cwd = process.cwd();
  if (command < 0) return { cwd, dirs: [] };
  const dirs = [];
  for (let i = command + 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--cwd" && i + 1 < argv.length) cwd = resolve(argv[i + 1]);
    if (arg.startsWith("--cwd=")) cwd = resolve(arg.slice("--cwd=".length));
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) dirs.push(arg);
  }
  return { cwd, dirs: dirs.map((dir) => (isAbsolute(dir) ? dir : resolve(cwd, dir))) };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readJson(path) {
  return existsSync(path) ? parseJson(readFileSync(path, "utf-8")) : undefined;
}

// A file of the results folder itself, at most this many bytes (the folder may be copied from
// other machines: a symlink or a huge file there is not read).
const RUN_INFO_MAX_BYTES = 1_000_000;

function readRunInfo(dir) {
  const path = join(dir, "portal-audit.json");
  try {
    const info = lstatSync(path);
    if (!info.isFile() || info.size > RUN_INFO_MAX_BYTES) return undefined;
  } catch {
    return undefined;
  }
  const data = parseJson(readFileSync(path, "utf-8"));
  return data !== null && typeof data === "object" && !Array.isArray(data) ? data : undefined;
}

function inside(path, root) {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + sep) && !isAbsolute(rel));
}

function realFolder(path) {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

// `allure generate` writes the history file, and its path comes from portal-audit.json, a file of
// the results folder (copied from the shards' machines): it is used only when it is a .jsonl file
// (not a symlink, not a folder) inside the folder allure runs from (at any depth) or directly beside
// a results folder (in the folder that holds it).
// Anything else is ignored with a warning; PORTAL_AUDIT_HISTORY, set by whoever runs allure, names
// a history file anywhere.
function confinedHistory(candidate, cwds, besides) {
  if (typeof candidate !== "string" || !candidate || extname(candidate) !== ".jsonl") return undefined;
  const absolute = resolve(candidate);
  try {
    if (!lstatSync(absolute).isFile()) return undefined;
  } catch {
    // Not there yet: allure creates it.
  }
  const folder = realFolder(dirname(absolute));
  if (!folder) return undefined;
  const real = join(folder, basename(absolute));
  const within = cwds.map(realFolder).some((root) => root && inside(real, root));
  const beside = besides.map(realFolder).some((root) => root === folder);
  return within || beside ? real : undefined;
}

function historyOf(evaluation, cwd, dirs) {
  if (process.env.PORTAL_AUDIT_HISTORY) return resolve(process.env.PORTAL_AUDIT_HISTORY);
  if (evaluation.history === undefined || evaluation.history === null) return undefined;
  const path = confinedHistory(evaluation.history, [process.cwd(), cwd], dirs.map((dir) => dirname(dir)));
  if (path === undefined) {
    console.warn(`portal-audit: bỏ qua tệp lịch sử '${String(evaluation.history)}' ghi trong portal-audit.json ` +
      "(chỉ nhận tệp .jsonl trong thư mục chạy allure hoặc ngay cạnh thư mục kết quả); " +
      "đặt PORTAL_AUDIT_HISTORY=TỆP để chỉ định tệp lịch sử");
  }
  return path;
}

const { cwd, dirs: named } = commandLine(process.argv);
const runInfo = (named.length ? named : [resolve(cwd, "allure-results")])
  .map(readRunInfo)
  .find((info) => info !== undefined) ?? {};
const evaluation = runInfo.evaluation !== null && typeof runInfo.evaluation === "object" ? runInfo.evaluation : {};
const historyPath = historyOf(evaluation, cwd, named);

// A round is added to the history once: generating its report again must not add it twice.
function roundAlreadyInHistory() {
  if (!historyPath || !existsSync(historyPath) || typeof evaluation.started_at !== "string") return false;
  const lines = readFileSync(historyPath, "utf-8").trim().split("\n");
  const last = parseJson(lines[lines.length - 1]);
  const started = Date.parse(evaluation.started_at);
  return Object.values(last?.testResults ?? {}).some((result) => (result.start ?? 0) >= started);
}

export default {
  name: typeof runInfo.report_name === "string" ? runInfo.report_name : "Đánh giá cổng/trang thông tin điện tử",
  output: "./allure-report",
  ...(historyPath ? { historyPath, appendHistory: !roundAlreadyInHistory() } : {}),
  hideLabels: ["framework"],
  plugins: {
    awesome: {
      options: {
        // The interface's own words (tabs, statuses, filters). Allure 3.18 offers no Vietnamese
        // (its languages: en, ru, uk, pl, es, pt, de, hy, ar, az, fr, it, ja, he, ka, kr, nl, sv, tr, zh),
        // so it is English whatever the machine's language; everything the audit writes (name, tree,
        // categories, steps, environment) is Vietnamese. Set "vi" here once Allure has it.
        reportLanguage: "en",
        // Nhóm (Bộ, ngành / Tỉnh, thành phố) → Cổng → Trang → tiêu chí.
        groupBy: ["parentSuite", "suite", "subSuite"],
      },
    },
  },
  ...(Array.isArray(runInfo.categories) ? { categories: { rules: runInfo.categories } } : {}),
};
