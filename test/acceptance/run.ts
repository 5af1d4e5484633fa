import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";

// `node bin/test/acceptance/run.js all|life-cycle`: runs acceptance suites one file at a time
// against the server ODOO_* names (npm run test:acc and test:acc:life-cycle build first, then call
// this; CI calls it on servers side by side, with the build done once).
//   all         every suite
//   life-cycle  every resource's life cycle (preview writing nothing, up, an empty second preview,
//               drift found and put back, destroy leaving the server as it was) and every example:
//               what CI runs on the versions that have no time for the rest (18 and 16)

const LIFE_CYCLE = ["custom-model", "custom-field", "record", "record-ui", "module", "database", "examples"];

const set = process.argv[2];
const all = readdirSync(__dirname)
  .filter((name) => name.endsWith(".test.js"))
  .sort();
const files = set === "all" ? all : set === "life-cycle" ? LIFE_CYCLE.map((name) => `${name}.test.js`) : undefined;
if (!files) {
  process.stderr.write("usage: node bin/test/acceptance/run.js all|life-cycle\n");
  process.exit(2);
}
const missing = files.filter((file) => !all.includes(file));
if (missing.length) throw new Error(`no acceptance suite ${missing.join(", ")}`);
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files.map((file) => path.join(__dirname, file))], { stdio: "inherit" });
process.exit(result.status ?? 1);
