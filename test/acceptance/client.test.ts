import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { customFieldProvider } from "../../provider/resources/custom-field";
import { customModelProvider } from "../../provider/resources/custom-model";
import { DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { databaseProvider } from "../../provider/resources/database";
import { recordProvider } from "../../provider/resources/record";
import { rejectsWith } from "../helpers";
import { parentRefusal } from "./harness";
import { RecordingProxy } from "./recording-proxy";

// `npm run test:acc`: scenarios of the emulator suites, against the real Odoo named by ODOO_URL,
// ODOO_DATABASE, ODOO_API_KEY (and ODOO_MASTER_PASSWORD for the database manager). They create
// only x_pulumi_acc_* objects and remove them again.

const url = process.env.ODOO_URL;
const apiKey = process.env.ODOO_API_KEY;
const database = process.env.ODOO_DATABASE;
const skip = !url || !apiKey ? "skipped: set ODOO_URL, ODOO_API_KEY (and ODOO_DATABASE) to run against a real Odoo" : false;
if (skip) console.log(`# acceptance ${skip}`);

describe("acceptance: the client against a real Odoo", { skip }, () => {
  const client = new OdooClient({ url: url!, apiKey: apiKey!, database, login: process.env.ODOO_LOGIN });
  after(() => client.close());

  test("version and a read", async () => {
    const version = await client.version();
    assert.ok(version.major >= 14, JSON.stringify(version));
    const rows = await client.call<{ id: number }[]>("res.partner", "search_read", { domain: [], fields: ["name"], limit: 1 });
    assert.equal(rows.length, 1);
  });

  test("errors of facts §2 as clear sentences", async () => {
    await rejectsWith(
      client.call("x_pulumi_acc_nope", "search", { domain: [] }),
      (await client.protocolName()) === "json2" ? "ODOO_NOT_FOUND" : "ODOO_USER_ERROR",
      /x_pulumi_acc_nope/,
    );
    await rejectsWith(
      client.call("res.partner", "write", { ids: [2147483000], vals: { name: "x" } }),
      "ODOO_MISSING",
      /Record does not exist or has been deleted/,
    );
    await rejectsWith(client.call("res.partner", "read", { ids: [1], fields: ["nope_field"] }), "ODOO_SERVER_ERROR", /Invalid field 'nope_field'/);
  });

  test("CustomModel create, update, read, delete", async () => {
    const { inputs } = await customModelProvider.check({}, { model: "x_pulumi_acc_model", name: "Acceptance", connection: { url, apiKey, database } });
    const created = await customModelProvider.create(inputs);
    try {
      assert.equal(created.outs.model, "x_pulumi_acc_model");
      assert.equal((await client.call<number[]>("x_pulumi_acc_model", "create", { vals_list: [{ x_name: "r" }] })).length, 1);
      const updated = await customModelProvider.update(created.id, created.outs, { ...inputs, name: "Acceptance 2" });
      assert.equal(updated.outs.name, "Acceptance 2");
      await rejectsWith(customModelProvider.delete(created.id, created.outs), "ODOO_USER_ERROR", /still holds 1 record/);
    } finally {
      await customModelProvider.delete(created.id, { ...created.outs, forceDestroy: true });
    }
    assert.deepEqual(await customModelProvider.read(created.id, created.outs), { id: "", props: {} });
  });

  test("CustomField on res.partner: create, rename, read, delete", async () => {
    const connection = { url, apiKey, database };
    const { inputs } = await customFieldProvider.check(
      {},
      { model: "res.partner", name: "x_pulumi_acc_code", type: "char", label: "Acc", size: 8, connection },
    );
    const created = await customFieldProvider.create(inputs);
    try {
      assert.equal(created.outs.size, 8);
      const renamed = await customFieldProvider.update(created.id, created.outs, { ...inputs, name: "x_pulumi_acc_code2" });
      assert.equal(renamed.outs.name, "x_pulumi_acc_code2");
      assert.equal((await customFieldProvider.read(created.id, renamed.outs)).props.name, "x_pulumi_acc_code2");
    } finally {
      await customFieldProvider.delete(created.id, created.outs);
    }
    assert.deepEqual(await customFieldProvider.read(created.id, created.outs), { id: "", props: {} });
  });
});

describe("acceptance: Record", { skip }, () => {
  test("create with an external id and a reference, adopt it again, read, delete", async () => {
    const connection = { url, apiKey, database };
    const { inputs, failures } = await recordProvider.check(
      {},
      { model: "res.partner.category", values: { name: "pulumi acc tag" }, xmlId: "pulumi_acc.tag", connection },
    );
    assert.deepEqual(failures, []);
    const created = await recordProvider.create(inputs);
    try {
      const adopted = await recordProvider.create(inputs);
      assert.equal(adopted.id, created.id, "the external id makes the create adopt, not duplicate");
      assert.deepEqual((await recordProvider.read(created.id, created.outs)).props.values, { name: "pulumi acc tag" });
      assert.deepEqual((await recordProvider.check({}, { model: "res.partner", values: { nmae: "x" }, connection })).failures, [
        { property: "values.nmae", reason: "'nmae' is not a field of res.partner: did you mean 'name'?" },
      ]);
    } finally {
      await recordProvider.delete(created.id, created.outs);
    }
    assert.deepEqual(await recordProvider.read(created.id, created.outs), { id: "", props: {} });
  });
});

describe("acceptance: Records in one batch", { skip }, () => {
  // Creates that reach the provider in the same turn go as one call (what the engine's parallel steps
  // do when they arrive together, which under the real CLI is a matter of timing): Odoo refuses the
  // whole call for one bad record, the batch is split down to it, and only it fails.
  test("ten tags and one with a parent that does not exist: one refused alone, the ten made once, in few calls", async () => {
    const proxy = new RecordingProxy(url!);
    const connection = { url: await proxy.start(), apiKey, database };
    const names = Array.from({ length: 10 }, (_, i) => `pulumi acc batch ${i}`);
    const outcomes = await Promise.allSettled([
      ...names.map((name) => recordProvider.create({ model: "res.partner.category", values: { name }, connection })),
      recordProvider.create({ model: "res.partner.category", values: { name: "pulumi acc batch bad", parent_id: 999999999 }, connection }),
    ]);
    const made = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    try {
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        [...names.map(() => "fulfilled"), "rejected"],
      );
      const client = new OdooClient({ url: url!, apiKey: apiKey!, database, login: process.env.ODOO_LOGIN });
      assert.equal(((outcomes[10] as PromiseRejectedResult).reason as Error).message, parentRefusal((await client.version()).major));
      const found = await client.call<{ name: string }[]>("res.partner.category", "search_read", {
        domain: [["name", "=like", "pulumi acc batch %"]],
        fields: ["name"],
        order: "id",
      });
      assert.deepEqual(
        found.map((tag) => tag.name),
        names,
      );
      // One call of 11, its halves of 6 and 5, then 3 and 3, 2 and 1 down to the bad one: 7 creates, not 11.
      assert.equal(proxy.calls.filter((call) => call === "res.partner.category/create").length, 7);
    } finally {
      await Promise.all(made.map((record) => recordProvider.delete(record.id, record.outs)));
      await proxy.stop();
    }
  });
});

const master = process.env.ODOO_MASTER_PASSWORD;
describe("acceptance: the database manager and Database", { skip: skip || (!master && "skipped: set ODOO_MASTER_PASSWORD") }, () => {
  test("list", async () => {
    const manager = new DbManagerClient(url!, master!);
    assert.ok(Array.isArray(await manager.list()));
    await manager.close();
  });

  test(
    "duplicate with neutralize, backup, restore, drop, drift (<database>_copy and _restored)",
    { skip: !database && "skipped: set ODOO_DATABASE (the database to copy)" },
    async () => {
      const connection = { url, apiKey };
      // Named after the database copied: PostgreSQL's names are shared by every server on it.
      const [copyName, restoredName] = [`${database}_copy`, `${database}_restored`];
      const copy = await databaseProvider.check({}, { name: copyName, copyFrom: database, masterPassword: master, deletionProtection: false, connection });
      assert.deepEqual(copy.failures, []);
      const created = await databaseProvider.create(copy.inputs);
      assert.equal(created.outs.neutralized, true);
      const dir = require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "acc-"));
      const file = `${dir}/copy.zip`;
      const manager = new DbManagerClient(url!, master!);
      try {
        await manager.backup({ name: copyName, format: "zip" }, file);
        await manager.restore(restoredName, file, { copy: true });
        assert.ok((await manager.list()).includes(restoredName));
        await manager.drop(restoredName);
        await databaseProvider.delete(created.id, created.outs);
        assert.deepEqual(await databaseProvider.read(created.id, created.outs), { id: "", props: {} });
      } finally {
        for (const name of [copyName, restoredName]) if (await manager.exists(name)) await manager.drop(name);
        await manager.close();
      }
    },
  );
});
