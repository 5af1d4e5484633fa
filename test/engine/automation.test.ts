import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { ensureProject } from "../cli/cli-engine";
import { describeWithCli } from "../cli/locate";
import { OdooEmulator } from "../emulator/server";
import { SECRET, SIG } from "./engine";
import { tempDir } from "../temp";

// The quickstart through Pulumi's Automation API, which drives the real CLI (`npm run pulumi-cli`
// builds it; CI always has it): up, a preview that must show no change, the exported state holding
// no key, destroy. Without a CLI it says it skipped, and fails in CI.

describeWithCli("the quickstart through the Automation API", (cliDir) => {
  let emulator: OdooEmulator;
  let backend: string;
  before(async () => {
    // The Automation API runs the `pulumi` on PATH (this test file has a process of its own).
    process.env.PATH = `${cliDir}${path.delimiter}${process.env.PATH}`;
    emulator = new OdooEmulator();
    await emulator.start();
    backend = tempDir("pulumi-odoo-auto-");
  });
  after(async () => {
    await emulator.stop();
    rmSync(backend, { recursive: true, force: true });
  });

  test("up, an empty preview, no key in the exported state, destroy", async () => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const env = {
      PULUMI_HOME: path.join(backend, "home"),
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "test",
      PULUMI_SKIP_UPDATE_CHECK: "1",
    };
    const workDir = ensureProject(path.resolve(__dirname, "../../examples/quickstart"), "automation");
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: "automation", workDir }, { envVars: env });
    await stack.setConfig("odoo:url", { value: emulator.url });
    await stack.setConfig("odoo:apiKey", { value: emulator.apiKey(), secret: true });
    await stack.setConfig("odoo:database", { value: "odoo" });
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 });
    assert.deepEqual(Object.keys(up.outputs).sort(), ["model", "modelId"]);
    assert.equal(up.outputs.model.value, "x_library_book");
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 2 });
    // The Automation API exports with secrets shown: the key is there, marked secret (the engine
    // keeps the stack's configuration on its default provider); `pulumi stack export` has it encrypted.
    const shown = (await stack.exportStack()).deployment.resources.find((r: { type: string }) => r.type === "pulumi:providers:pulumi-nodejs");
    assert.deepEqual(shown.inputs["odoo:apiKey"], { [SIG]: SECRET, plaintext: JSON.stringify(emulator.apiKey()) });
    const exported = spawnSync("pulumi", ["stack", "export", "--stack", "automation"], { cwd: workDir, env: { ...process.env, ...env }, encoding: "utf8" });
    assert.equal(exported.status, 0, exported.stderr);
    assert.ok(exported.stdout.includes('"ciphertext"'));
    assert.ok(!exported.stdout.includes(emulator.apiKey()));
    const destroy = await stack.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 2 });
  });
});
