import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: one UpgradeRequest whose inputs come from `test:*` config; the contract from
// odoo:upgradeContract (a secret) unless test:contract is set.
const cfg = new pulumi.Config("test");
const opt = (key: string) => cfg.get(key) || undefined;
const upgrade = new odoo.UpgradeRequest("upgrade", {
  contract: opt("contract"),
  email: opt("email") ?? "ops@example.com",
  target: opt("target") ?? "19.0",
  aim: (opt("aim") ?? "test") as "test" | "production",
  dumpFile: opt("dumpFile") ?? "missing.dump",
  transfer: opt("transfer") as "https" | "sftp" | "auto" | undefined,
  sshKey: opt("sshKey") ? cfg.requireSecret("sshKey") : undefined,
  timeoutMinutes: cfg.getNumber("timeoutMinutes") ?? 1,
  pollSeconds: cfg.getNumber("pollSeconds") ?? 0.02,
  downloadTo: opt("downloadTo"),
  platformUrl: opt("platformUrl") ?? "http://127.0.0.1:1",
});
export const state = upgrade.state;
export const requestId = upgrade.requestId;
export const databaseVersion = upgrade.databaseVersion;
