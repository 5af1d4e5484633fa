import { existsSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// An upgrade pipeline: back up a database, upgrade the dump on Odoo's upgrade platform, restore
// the upgraded dump as a new database. Re-running `pulumi up` after an interruption continues the
// same upgrade request; the backup is taken once (delete dumps/ to take a new one).

const cfg = new pulumi.Config();
const source = cfg.get("source") ?? "production";
const target = cfg.get("target") ?? "19.0";
const dump = `dumps/${source}.dump`;
const upgraded = `dumps/${source}-${target}.dump`;

async function main() {
  if (!existsSync(dump)) await odoo.backupDatabase({ name: source, format: "dump", to: dump });

  const upgrade = new odoo.UpgradeRequest("upgrade", {
    email: cfg.require("email"),
    target,
    aim: "test",
    dumpFile: dump,
    downloadTo: upgraded,
    platformUrl: cfg.get("upgradePlatformUrl"), // default https://upgrade.odoo.com
    timeoutMinutes: 24 * 60,
    pollSeconds: cfg.getNumber("pollSeconds") ?? 30,
  });

  // The restore waits for the upgrade: its file only exists once the request is done.
  const restored = new odoo.Database("upgraded", {
    name: `${source}-${target.replace(/\W/g, "")}`,
    restoreFrom: upgrade.state.apply(() => upgraded),
    copy: true,
    neutralize: true,
    deletionProtection: false,
  });

  return { state: upgrade.state, databaseVersion: upgrade.databaseVersion, database: restored.name };
}

export = main();
