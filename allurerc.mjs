// The Allure 3 report of an evaluation round: `allure generate allure-results` run from the
// repository root picks up this file (see the README, "Publishing the results").
//
// What it takes from the audit run: the audit writes portal-audit.json into its Allure results
// folder (portal_audit/render/evaluation.py) with the report name (the evaluation period), the
// history file to keep between rounds (--history), and the Vietnamese failure categories, each
// matched on the `failure_kind` labels of the results. The environment block (period, inventory,
// EMC export, tool and Chromium versions, where it ran) is the environment.properties beside it.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

// Options of `allure generate` / `allure open` that take a value (the rest are flags).
const VALUE_OPTIONS = new Set([
  "--config", "-c", "--output", "-o", "--cwd", "--report-name", "--name", "--dump", "--port",
  "--history-limit", "--history-base-url", "--hide-labels", "--known-issues",
]);

// The results folders named on the command line, as Allure will read them.
function resultsDirs(argv) {
  const command = argv.findIndex((arg) => arg === "generate" || arg === "watch");
  if (command < 0) return [];
  const dirs = [];
  let cwd = process.cwd();
  for (let i = command + 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--cwd" && i + 1 < argv.length) cwd = argv[i + 1];
    if (arg.startsWith("--cwd=")) cwd = arg.slice("--cwd=".length);
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) dirs.push(arg);
  }
  return dirs.map((dir) => (isAbsolute(dir) ? dir : resolve(cwd, dir)));
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

const named = resultsDirs(process.argv);
const runInfo = (named.length ? named : [resolve("allure-results")])
  .map((dir) => readJson(join(dir, "portal-audit.json")))
  .find((info) => info !== undefined) ?? {};
const evaluation = runInfo.evaluation ?? {};
const historyPath = evaluation.history;

// A round is added to the history once: generating its report again must not add it twice.
function roundAlreadyInHistory() {
  if (!historyPath || !existsSync(historyPath) || !evaluation.started_at) return false;
  const lines = readFileSync(historyPath, "utf-8").trim().split("\n");
  const last = parseJson(lines[lines.length - 1]);
  const started = Date.parse(evaluation.started_at);
  return Object.values(last?.testResults ?? {}).some((result) => (result.start ?? 0) >= started);
}

export default {
  name: runInfo.report_name ?? "Đánh giá cổng/trang thông tin điện tử",
  output: "./allure-report",
  ...(historyPath ? { historyPath, appendHistory: !roundAlreadyInHistory() } : {}),
  hideLabels: ["framework"],
  plugins: {
    awesome: {
      options: {
        // Nhóm (Bộ, ngành / Tỉnh, thành phố) → Cổng → Trang → tiêu chí.
        groupBy: ["parentSuite", "suite", "subSuite"],
      },
    },
  },
  ...(runInfo.categories ? { categories: { rules: runInfo.categories } } : {}),
};
