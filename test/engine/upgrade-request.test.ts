import { describeUnless } from "../helpers";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { newPrivateKey, type Sshd, sshdMissing, startSshd } from "../emulator/sshd";
import { assertClean, ops, useEngine } from "./harness";
import { tempDir } from "../temp";

// UpgradeRequest through the real provider host against the fake upgrade platform: checks at
// preview, the HTTPS path with progress and download, platform failures, SERVER:ERROR while polling,
// a failed end state, a timeout then a resume, a killed run resumed from the journal, and SFTP.

const dir = tempDir("upgrade-engine-");
const dump = path.join(dir, "prod.dump");
writeFileSync(dump, Buffer.alloc(3 * 1024 * 1024, 7));
const contract = "M123456-abcdef";

function useUpgrade(extra: Parameters<typeof useEngine>[1] = {}) {
  const ctx = useEngine("upgrade", { upgrade: { stepMs: 20, contracts: [contract] }, ...extra });
  before(() => {
    ctx.engine.setConfig("odoo:upgradeContract", contract, true);
    ctx.engine.setConfig("test:platformUrl", `${ctx.emulator.url}/upgrade`);
    ctx.engine.setConfig("test:dumpFile", dump);
  });
  return ctx;
}

const platformCalls = (ctx: ReturnType<typeof useUpgrade>, method: string) =>
  ctx.emulator.requests.filter((r) => r.path === `/upgrade/database/v1/${method}`).length;

describe("UpgradeRequest over HTTPS", () => {
  const ctx = useUpgrade();

  test("preview rejects bad input, naming the property, and sends nothing", async () => {
    ctx.engine.setConfig("test:target", "19");
    ctx.engine.setConfig("test:aim", "staging");
    ctx.engine.setConfig("test:email", "ops");
    let failures = (await ctx.engine.preview()).steps[0].failures;
    assert.deepEqual(failures, [
      { property: "aim", reason: "must be 'test' or 'production'" },
      { property: "email", reason: "must be an email address" },
      { property: "target", reason: "must be an Odoo version such as '19.0' or 'saas~18.4'" },
    ]);
    ctx.engine.setConfig("test:target", "");
    ctx.engine.setConfig("test:aim", "");
    ctx.engine.setConfig("test:email", "");
    ctx.engine.setConfig("test:dumpFile", path.join(dir, "nope.dump"));
    ctx.engine.setConfig("test:transfer", "sftp");
    failures = (await ctx.engine.preview()).steps[0].failures;
    assert.deepEqual(failures, [
      { property: "dumpFile", reason: `no dump file at ${path.join(dir, "nope.dump")}` },
      { property: "sshKey", reason: "is required for an SFTP upload: a private key, as a secret" },
    ]);
    assert.equal(ctx.emulator.requests.filter((r) => r.path.startsWith("/upgrade/")).length, 0);
    ctx.engine.setConfig("test:dumpFile", dump);
    ctx.engine.setConfig("test:transfer", "");
  });

  test("up creates, uploads with progress, processes, waits until done, downloads", async () => {
    ctx.engine.setConfig("test:downloadTo", path.join(dir, "prod-19.dump"));
    const logs = ctx.engine.logs.length;
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.state, "done");
    assert.equal(result.outputs.databaseVersion, "17.0");
    const id = result.outputs.requestId;
    const log = ctx.engine.logs.slice(logs).join("");
    for (const line of [
      `upgrade request ${id} created (target 19.0, aim test)`,
      `upgrade request ${id}: uploading prod.dump (3.0 MiB) over HTTPS: 100 %`,
      `upgrade request ${id}: processing asked`,
      `upgrade request ${id}: done`,
      `upgrade request ${id}: upgraded dump written to ${path.join(dir, "prod-19.dump")}`,
    ]) {
      assert.ok(log.includes(line), `missing log line: ${line}`);
    }
    // Polling sees some of the waiting states (which ones depends on timing).
    assert.match(log, new RegExp(`upgrade request ${id}: (pending|processing|testing)`));
    // The emulator's platform hands the uploaded dump back as the "upgraded" one.
    assert.ok(readFileSync(path.join(dir, "prod-19.dump")).equals(readFileSync(dump)));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("the key, the URLs that embed it and the contract never appear in plaintext", async () => {
    const [resource] = ctx.engine.state.values();
    const key = String(resource.outputs.key);
    assert.match(key, /^[0-9a-f]{32}$/);
    assert.deepEqual(resource.secretOutputs.sort(), ["key", "urls"]);
    const checkpoint = ctx.engine.checkpoint();
    for (const secret of [key, contract]) {
      assert.ok(!checkpoint.includes(secret), "a secret in the checkpoint");
      assert.ok(!ctx.engine.logs.join("").includes(secret), "a secret in the logs");
    }
  });

  test("a platform failure names the field and the valid values; nothing is left in the state", async () => {
    ctx.engine.setConfig("test:target", "12.0");
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace upgrade [target]"]);
    const result = await ctx.engine.up();
    assert.deepEqual(result.errors, ['upgrade: upgrade platform create failed: TARGET:INVALID: Invalid value "12.0" (expected one of 16.0, 17.0, 18.0, 19.0)']);
    ctx.engine.setConfig("test:target", "");
  });

  test("destroy forgets the request and says the platform keeps it", async () => {
    const logs = ctx.engine.logs.length;
    assertClean(await ctx.engine.destroy());
    assert.match(ctx.engine.logs.slice(logs).join(""), /upgrade request \d+: forgotten \(the upgrade platform keeps its requests; nothing was deleted there\)/);
  });
});

describe("UpgradeRequest: failures while waiting", () => {
  const ctx = useUpgrade();

  test("SERVER:ERROR answers while polling are passed over", async () => {
    ctx.emulator.upgrade.failStatus(3);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.state, "done");
    assertClean(await ctx.engine.destroy());
  });

  test("a request that ends invalid fails with the platform's message, kept in the state", async () => {
    ctx.emulator.upgrade.options.finalState = "invalid";
    ctx.engine.setConfig("test:aim", "production");
    const result = await ctx.engine.up();
    assert.match(
      result.errors[0],
      // As the engine words a failure that keeps the resource in the state (Go's multierror).
      /^upgrade: 1 error occurred:\n\t\* upgrade request \d+ ended in state 'invalid': The database could not be upgraded: the dump is not a valid Odoo database\. \(the notes are at the notesUrl output: pulumi stack output --show-secrets\)\n\n$/,
    );
    const [resource] = ctx.engine.state.values();
    assert.equal(resource.outputs.state, "invalid");
    ctx.emulator.upgrade.options.finalState = "done";
  });
});

describe("UpgradeRequest: a timeout, then the next up resumes the same request", () => {
  const ctx = useUpgrade();

  test("timeout: the request is kept in the state with the way forward, and no journal is left", async () => {
    ctx.emulator.upgrade.options.stepMs = 400;
    ctx.engine.setConfig("test:timeoutMinutes", "0.002");
    const result = await ctx.engine.up();
    assert.match(
      result.errors[0],
      /^upgrade: 1 error occurred:\n\t\* upgrade request \d+ is still '(pending|processing)' after 0\.002 minutes: run pulumi up again to keep waiting on the same request \(raise timeoutMinutes if needed\)\n\n$/,
    );
    assert.equal(ctx.engine.state.size, 1);
    assert.ok([...ctx.engine.state.values()][0].initErrors);
    assert.deepEqual(readdirSync(path.join(__dirname, "programs/upgrade/.pulumi-odoo")), []);
  });

  test("the next up waits on the same request, without a new create or upload", async () => {
    ctx.engine.setConfig("test:timeoutMinutes", "1");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ops(result), ["update upgrade"]);
    assert.equal(result.outputs.state, "done");
    assert.equal(platformCalls(ctx, "create"), 1);
    assert.equal(platformCalls(ctx, "upload"), 1);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });
});

describe("UpgradeRequest: a run killed during the upload resumes from the local journal", () => {
  const ctx = useUpgrade();

  test("the journal holds the request; the next up continues it", async () => {
    const journalDir = path.join(__dirname, "programs/upgrade/.pulumi-odoo");
    rmSync(journalDir, { recursive: true, force: true });
    ctx.emulator.inject({ match: /\/upgrade\/database\/v1\/upload$/, kind: "delay", delayMs: 1500 });
    const run = ctx.engine.up();
    while (platformCalls(ctx, "upload") === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    ctx.engine.killHost();
    const killed = await run;
    assert.equal(killed.errors.length, 1);
    assert.equal(ctx.engine.state.size, 0);
    const [journal] = readdirSync(journalDir);
    assert.equal((statSync(path.join(journalDir, journal)).mode & 0o777).toString(8), "600");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.state, "done");
    assert.equal(platformCalls(ctx, "create"), 1);
    assert.equal(existsSync(path.join(journalDir, journal)), false);
  });
});

const noSshd = sshdMissing();
describeUnless(noSshd, "UpgradeRequest over SFTP (real OpenSSH)", () => {
  let sshd: Sshd;
  let privateKey = "";
  const ctx = useUpgrade();
  before(async () => {
    sshd = await startSshd();
    ctx.emulator.upgrade.options.sftp = sshd;
    privateKey = newPrivateKey();
  });
  after(() => sshd?.stop());

  test("the public key is sent, the dump goes over SFTP, the request finishes", async () => {
    ctx.engine.setConfig("test:transfer", "sftp");
    ctx.engine.setConfig("test:sshKey", privateKey, true);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.state, "done");
    assert.match(readFileSync(sshd.authorizedKeysFile, "utf8"), /^# pulumi-odoo\nssh-ed25519 \S+ pulumi-odoo\n$/);
    assert.equal(statSync(path.join(sshd.dir, "prod.dump")).size, 3 * 1024 * 1024);
    assert.equal(platformCalls(ctx, "upload"), 0);
    const secretLine = privateKey.split("\n")[1];
    assert.ok(!ctx.engine.checkpoint().includes(secretLine) && !ctx.engine.logs.join("").includes(secretLine));
  });
});
