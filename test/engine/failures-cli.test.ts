import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { CliEngine } from "../cli/cli-engine";
import { describeWithCli } from "../cli/locate";
import { tracesIn } from "../helpers";
import { OdooEmulator } from "../emulator/server";
import { OdooClient } from "../../provider/client/odoo-client";

// What a user reads when a step fails, through the real CLI: the provider's sentence under its
// resource, once, and no stack trace. Pulumi's dynamic provider host prints the errors of check, diff,
// read and delete with their stack besides (seen in CI: a destroy refused by CustomModel's guard
// showed the sentence twice and three "at …" lines).

describeWithCli("failures through the CLI: one sentence under the resource, no stack trace", (cliDir) => {
  const emulator = new OdooEmulator();
  let engine: CliEngine;
  let client: OdooClient;
  before(async () => {
    const url = await emulator.start();
    client = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" });
    engine = new CliEngine({
      cliDir,
      programDir: path.join(__dirname, "programs", "custom-model"),
      config: { "odoo:url": url, "odoo:apiKey": emulator.apiKey(), "odoo:database": "odoo", "test:model": "x_cli_guarded" },
      secretConfig: ["odoo:apiKey"],
    });
  });
  after(async () => {
    await client.close();
    await emulator.stop();
  });

  const guard =
    "model 'x_cli_guarded' still holds 1 record, which deleting it would destroy: set forceDestroy: true and apply it first if that is what you want";

  test("a delete the guard refuses (thrown by delete): the sentence once, under its resource", async () => {
    assert.deepEqual((await engine.up()).errors, []);
    await client.call("x_cli_guarded", "create", { vals_list: [{ x_name: "kept" }] });
    const from = engine.logs.length;
    const refused = await engine.destroy();
    assert.deepEqual(refused.errors, [`book: ${guard}`]);
    const output = engine.logs.slice(from).join("");
    assert.deepEqual(tracesIn(output), []);
    assert.doesNotMatch(output, /OdooError/);
  });

  test("once allowed, destroy deletes it", async () => {
    engine.setConfig("test:forceDestroy", "true");
    assert.deepEqual((await engine.up()).errors, []);
    assert.deepEqual((await engine.destroy()).errors, []);
  });
});

// A connection the program cannot make (here an apply that throws, as a key read from a vault might)
// fails every resource that uses it on one and the same error object. @pulumi/pulumi prefixes the
// message of the error it is given with 'error serializing property "connection": ' each time one
// resource fails on it, so the one line it prints grew a prefix per resource (22 in a program of 22).
describeWithCli("a connection the program could not make: its error once, prefixed once", (cliDir) => {
  test("five Records on one failing connection", async () => {
    const engine = new CliEngine({
      cliDir,
      programDir: path.join(__dirname, "programs", "failed-connection"),
      config: { "test:url": "http://odoo.invalid" },
    });
    const result = await engine.preview();
    const said = engine.logs
      .join("")
      .split("\n")
      .filter((line) => line.includes("the vault has no key"));
    // Said twice, as the CLI says a program's failure: under the stack's diagnostics and at the end.
    const line = '<ref *1> Error: error serializing property "connection": the vault has no key for http://odoo.invalid';
    assert.deepEqual(
      said.map((l) => l.trim()),
      [line, line],
    );
    assert.equal(result.errors.length, 1);
  });
});
