import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { newApiKey } from "../emulator/seed";
import { newPrivateKey, type Sshd, sshdMissing, startSshd } from "../emulator/sshd";
import type { RunResult } from "./engine";
import { ops, useEngine } from "./harness";
import { tempDir } from "../temp";

// Secrets, tried systematically: one resource of each kind, each holding every secret it can hold,
// through up, refresh, a run with errors and destroy. After each run the saved state (with the
// serialized provider in it), every log line and every error message are searched for each
// secret's value: the API keys, the master password, the admin password, the contract, the SSH
// key, the upgrade request's key (which every platform URL embeds).

describe("secrets: none in state, logs or errors, through up, refresh, errors and destroy", () => {
  const dir = tempDir("secrets-");
  const dump = path.join(dir, "prod.dump");
  writeFileSync(dump, Buffer.alloc(256 * 1024, 3));
  const contract = "M-SECRET-CONTRACT-42";
  const adminPassword = "admin-" + newApiKey();
  const recordApiKey = newApiKey();
  const ctx = useEngine("secrets", { upgrade: { stepMs: 10, contracts: [contract] } });
  let sshd: Sshd | undefined;
  let sshKey = "";
  const scans = { runs: 0, texts: 0, hits: 0 };

  before(async () => {
    sshKey = newPrivateKey();
    if (!sshdMissing()) {
      sshd = await startSshd();
      ctx.emulator.upgrade.options.sftp = sshd;
    }
    ctx.emulator.databases.get("odoo")!.apiKeys.add(recordApiKey);
    ctx.engine.setConfig("odoo:masterPassword", ctx.emulator.masterPassword, true);
    ctx.engine.setConfig("odoo:upgradeContract", contract, true);
    ctx.engine.setConfig("test:recordApiKey", recordApiKey, true);
    ctx.engine.setConfig("test:adminPassword", adminPassword, true);
    ctx.engine.setConfig("test:sshKey", sshKey, true);
    ctx.engine.setConfig("test:dumpFile", dump);
    ctx.engine.setConfig("test:transfer", sshd ? "sftp" : "https");
    ctx.engine.setConfig("test:platformUrl", `${ctx.emulator.url}/upgrade`);
  });
  after(() => {
    sshd?.stop();
    console.log(`# secrets: ${scans.runs} runs, ${scans.texts} texts searched for ${secrets().length} secrets, ${scans.hits} plaintext hits`);
  });

  /** Every secret value, the upgrade keys included once the platform has handed them out. */
  const secrets = () => {
    const keyLines = sshKey.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"));
    const upgradeKeys = [...ctx.emulator.upgrade.requests.values()].map((request) => request.key);
    return [ctx.apiKey, recordApiKey, ctx.emulator.masterPassword, adminPassword, contract, ...keyLines, ...upgradeKeys];
  };

  /** Searches the state, the logs of this run and its errors; counts the hits (there must be none). */
  const scan = (result: RunResult, logsFrom: number) => {
    const texts = [ctx.engine.checkpoint(), ...ctx.engine.logs.slice(logsFrom), ...result.errors, ...result.steps.map((s) => s.error ?? "")];
    const found: string[] = [];
    for (const secret of secrets()) for (const text of texts) if (text.includes(secret)) found.push(`${secret.slice(0, 6)}… in ${text.slice(0, 80)}`);
    scans.runs++;
    scans.texts += texts.length;
    scans.hits += found.length;
    assert.deepEqual(found, [], "plaintext secrets");
  };
  const run = async (what: () => Promise<RunResult>) => {
    const logsFrom = ctx.engine.logs.length;
    const result = await what();
    scan(result, logsFrom);
    return result;
  };

  test("the scan finds a secret where there is one", () => {
    const planted: RunResult = { steps: [], errors: [`refused: ${recordApiKey}`], outputs: {}, changes: [] };
    assert.throws(() => scan(planted, ctx.engine.logs.length), /plaintext secrets/);
    Object.assign(scans, { runs: 0, texts: 0, hits: 0 });
  });

  test("up creates all five, with a secret in each", async () => {
    const result = await run(() => ctx.engine.up());
    assert.deepEqual(result.errors, []);
    // The secrets are in the state, encrypted: Pulumi's secret signature marks each.
    assert.ok(ctx.engine.checkpoint().split("4dabf18193072939515e22adb298388d").length > 6);
    assert.equal(result.outputs.upgradeState, "done");
    assert.equal(ctx.emulator.upgrade.requests.size, 1);
    assert.ok(secrets().length >= 7);
  });

  test("refresh reads all five back", async () => {
    const result = await run(() => ctx.engine.refresh());
    assert.deepEqual(result.errors, []);
  });

  test("runs that fail: errors name the operation, never a secret", async () => {
    // A key refused during refresh, a proxy page during an update, a master password refused.
    ctx.emulator.inject({ match: /res\.partner\/read$/, kind: "unauthorized", times: Infinity });
    ctx.emulator.inject({ match: /upgrade\/database\/v1\/status$/, kind: "status", status: 503, times: Infinity });
    const refreshed = await run(() => ctx.engine.refresh());
    ctx.emulator.clearFaults();
    assert.equal(refreshed.errors.length, 2, refreshed.errors.join("\n"));
    assert.ok(refreshed.errors.some((e) => /res\.partner\/read → 401 Unauthorized: Invalid apikey/.test(e)));
    assert.ok(refreshed.errors.some((e) => /upgrade platform status → HTTP 503/.test(e)));
    const password = ctx.emulator.masterPassword;
    ctx.emulator.masterPassword = "changed-" + newApiKey();
    ctx.engine.setConfig("test:transfer", "https");
    const destroyed = await run(() => ctx.engine.destroy());
    ctx.emulator.masterPassword = password;
    ctx.engine.setConfig("test:transfer", sshd ? "sftp" : "https");
    assert.deepEqual(destroyed.errors, ["db: database drop failed: Database deletion error: Access Denied"]);
    assert.ok(ctx.emulator.databases.has("secret_db"), "the database stays, and so does its place in the state");
    assert.deepEqual(ops(destroyed).sort(), [
      "delete book",
      "delete db failed: database drop failed: Database deletion error: Access Denied",
      "delete isbn",
      "delete partner",
      "delete upgrade",
    ]);
  });

  test("destroy then removes what is left", async () => {
    const result = await run(() => ctx.engine.destroy());
    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result), ["delete db"]);
    assert.equal(ctx.emulator.databases.has("secret_db"), false);
    assert.equal(scans.hits, 0);
  });
});
