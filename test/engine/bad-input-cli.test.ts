import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { CliEngine } from "../cli/cli-engine";
import { describeWithCli } from "../cli/locate";
import { tracesIn } from "../helpers";
import { cases } from "../emulator/bad-inputs";
import { OdooEmulator } from "../emulator/server";

// The bad-input catalogue through the real CLI: each case is a program of one resource, previewed
// with `pulumi preview` as a user would. Each must fail the preview with a check failure naming the
// property, show no stack trace, and send nothing that changes the server. Three stacks take the
// cases in turn, side by side.

const LANES = 3;

describeWithCli(`bad-input catalogue through pulumi preview: ${cases.length} cases`, (cliDir) => {
  const emulator = new OdooEmulator();
  const lanes: CliEngine[] = [];
  const seen = new Map<string, { failures: { property: string; reason: string }[]; errors: string[]; logs: string }>();
  before(async () => {
    const url = await emulator.start();
    const config = { "odoo:url": url, "odoo:apiKey": emulator.apiKey(), "odoo:database": "odoo", "odoo:masterPassword": "m" };
    for (let n = 0; n < LANES; n++) {
      lanes.push(
        new CliEngine({ cliDir, programDir: path.join(__dirname, "programs", "one-resource"), config, secretConfig: ["odoo:apiKey", "odoo:masterPassword"] }),
      );
    }
    // Every case previewed up front, a lane each in turn; the tests below read what each showed.
    const queue = [...cases];
    await Promise.all(
      lanes.map(async (engine) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [resource, name, inputs] = next;
          engine.setConfig("test:resource", resource);
          engine.setConfig("test:inputs", JSON.stringify(inputs));
          const from = engine.logs.length;
          const result = await engine.preview();
          seen.set(`${resource}: ${name}`, {
            failures: result.steps.flatMap((s) => s.failures ?? []),
            errors: result.errors,
            logs: engine.logs.slice(from).join(""),
          });
        }
      }),
    );
  });
  after(() => emulator.stop());

  for (const [resource, name, , property] of cases) {
    test(`${resource}: ${name} → ${property}`, () => {
      const { failures, errors, logs } = seen.get(`${resource}: ${name}`)!;
      assert.ok(
        failures.some((f) => f.property === property),
        `failures: ${JSON.stringify(failures)}; errors: ${JSON.stringify(errors)}`,
      );
      assert.ok(errors.length > 0);
      assert.deepEqual(tracesIn(logs), [], "no stack trace");
      assert.ok(!logs.includes(emulator.apiKey()));
    });
  }

  test("nothing that changes the server was sent", () => {
    const writes = emulator.requests.filter(
      (r) => /\/(create|write|unlink|copy)$/.test(r.path) || r.path.startsWith("/web/database/") || r.path.startsWith("/upgrade/"),
    );
    assert.deepEqual(writes, []);
  });
});
