import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";

// `node bin/test/acceptance/run.js all|life-cycle [--except a,b]`: runs acceptance suites one file at a time
// against the server ODOO_* names, the real-only ones of this folder and the scenarios of
// test/scenarios (written once, run here with ODOO_ACC=1: against the real server, not the emulator) (npm run test:acc and test:acc:life-cycle build first, then call
// this; CI calls it on servers side by side, with the build done once).
//   all         every suite
//   life-cycle  every resource's life cycle (preview writing nothing, up, an empty second preview,
//               drift found and put back, destroy leaving the server as it was): what CI runs on the
//               versions that have no time for the rest (18 and 16; the examples, which use the same
//               resources, run on 19 and 17)
//   --except    leaves out the suites named (CI runs `interrupted` on 19 alone: what it tests is the
//               engine's, and it took 17's lane 200 s)

const LIFE_CYCLE = ["custom-model", "custom-field", "record", "record-ui", "record-set", "module", "database"];

const set = process.argv[2];
const folders = [__dirname, path.join(__dirname, "../scenarios")];
/** Every suite, by name (`custom-model`), with its file. */
const suites = new Map(
  folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith(".test.js"))
      .map((name) => [name.slice(0, -".test.js".length), path.join(folder, name)] as const),
  ),
);
const except = process.argv[3] === "--except" ? (process.argv[4] ?? "").split(",").filter(Boolean) : [];
const chosen = set === "all" ? [...suites.keys()].sort() : set === "life-cycle" ? LIFE_CYCLE : undefined;
if (!chosen || (process.argv.length > 3 && !except.length)) {
  process.stderr.write("usage: node bin/test/acceptance/run.js all|life-cycle [--except suite,suite]\n");
  process.exit(2);
}
const names = chosen.filter((name) => !except.includes(name));
const missing = [...names, ...except].filter((name) => !suites.has(name));
if (missing.length) throw new Error(`no acceptance suite ${missing.join(", ")}`);
const files = names.map((name) => suites.get(name)!);
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files], { stdio: "inherit", env: { ...process.env, ODOO_ACC: "1" } });
process.exit(result.status ?? 1);
