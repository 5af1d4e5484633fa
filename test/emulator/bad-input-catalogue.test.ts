import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, resetConfiguration } from "../../provider/config";
import { resources as host } from "../../provider/host";
import { useEmulator } from "../helpers";
import { cases } from "./bad-inputs";

// The bad-input catalogue: bad inputs across the eight resources. Each must fail `check` (what
// `pulumi preview` runs) naming the property, and nothing may be sent that changes the server.

describe(`bad-input catalogue: ${cases.length} bad inputs across the eight resources`, () => {
  const ctx = useEmulator();
  let caught = 0;
  before(() => {
    configure({
      get: (key: string) => ({ "odoo:url": ctx.url, "odoo:apiKey": ctx.emulator.apiKey(), "odoo:database": "odoo", "odoo:masterPassword": "m" })[key],
    });
  });
  after(() => {
    resetConfiguration();
    console.log(`# bad-input catalogue: ${caught} of ${cases.length} bad inputs caught at check, naming the property`);
  });

  for (const [resource, name, inputs, property] of cases) {
    test(`${resource}: ${name} → ${property}`, async () => {
      const { failures } = await host[resource].check({}, inputs);
      assert.ok(
        failures.some((f) => f.property === property),
        `failures: ${JSON.stringify(failures)}`,
      );
      assert.ok(failures.every((f) => f.reason.length > 10 && !f.reason.includes(ctx.emulator.apiKey())));
      caught++;
    });
  }

  test("nothing that changes the server was sent, and there are at least 60 cases", () => {
    const writes = ctx.emulator.requests.filter(
      (r) => /\/(create|write|unlink|copy)$/.test(r.path) || r.path.startsWith("/web/database/") || r.path.startsWith("/upgrade/"),
    );
    assert.deepEqual(writes, []);
    assert.ok(cases.length >= 60);
  });
});
