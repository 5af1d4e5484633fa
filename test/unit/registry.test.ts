import assert from "node:assert/strict";
import { test } from "node:test";
import * as odoo from "../../provider";
import { resources } from "../../provider/host";
import { kindOf, kinds, registry } from "../../provider/registry";

// The one list of resources, and what is read from it.

test("the registry's kinds, their type tokens, classes and implementations", () => {
  assert.deepEqual(odoo.resourceTypes, {
    "pulumi-nodejs:dynamic/odoo:CustomModel": "CustomModel",
    "pulumi-nodejs:dynamic/odoo:CustomField": "CustomField",
    "pulumi-nodejs:dynamic/odoo:Record": "Record",
    "pulumi-nodejs:dynamic/odoo:RecordSet": "RecordSet",
    "pulumi-nodejs:dynamic/odoo:Database": "Database",
    "pulumi-nodejs:dynamic/odoo:UpgradeRequest": "UpgradeRequest",
    "pulumi-nodejs:dynamic/odoo:Module": "Module",
    "pulumi-nodejs:dynamic/odoo:Settings": "Settings",
  });
  // Each token names a kind, whose class is the one the package exports under the token's name.
  for (const [token, name] of Object.entries(odoo.resourceTypes)) {
    const kind = kindOf(token);
    assert.ok(kind, token);
    assert.equal((odoo as Record<string, unknown>)[name], registry[kind].resource, token);
  }
  assert.deepEqual(Object.keys(resources), kinds);
  for (const kind of kinds) {
    assert.deepEqual(Object.keys(resources[kind]).sort(), ["check", "configure", "create", "delete", "diff", "read", "update"], kind);
  }
  assert.equal(kindOf("pulumi-nodejs:dynamic/odoo:Record"), "record");
  assert.equal(kindOf("pulumi:providers:odoo"), undefined);
});
