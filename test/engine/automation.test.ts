import { describeUnless } from "../helpers";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { OdooEmulator } from "../emulator/server";

// Where a `pulumi` CLI is on PATH, the quickstart runs through the Automation API with a local file
// backend: up, a preview that must show no change, destroy. Elsewhere this says why it skipped.

const hasCli = spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
const skip = hasCli ? false : "skipped: no pulumi CLI on PATH (the engine-level driver covers these programs)";
if (skip) console.log(`# automation API ${skip}`);

describeUnless(skip, "the quickstart through the Automation API", () => {
  let emulator: OdooEmulator;
  before(async () => {
    emulator = new OdooEmulator();
    await emulator.start();
  });
  after(() => emulator.stop());

  test("up, an empty preview, destroy", async () => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const root = path.resolve(__dirname, "../../..");
    const backend = mkdtempSync(path.join(tmpdir(), "pulumi-odoo-auto-"));
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "automation", workDir: root },
      { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "test" } },
    );
    await stack.setConfig("odoo:url", { value: emulator.url });
    await stack.setConfig("odoo:apiKey", { value: emulator.apiKey(), secret: true });
    await stack.setConfig("odoo:database", { value: "odoo" });
    const up = await stack.up();
    assert.equal(up.summary.resourceChanges?.create, 1);
    const preview = await stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary).filter((k) => k !== "same"), []);
    const state = JSON.stringify(await stack.exportStack());
    assert.ok(!state.includes(emulator.apiKey()));
    await stack.destroy();
  });
});
