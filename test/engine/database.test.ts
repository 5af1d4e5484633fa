import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { assertClean, ops, useEngine } from "./harness";
import { tempDir } from "../temp";

// Database through the real provider host: checks at preview, fresh/copy/restore, the deletion
// guard, backups before drop, drift, cleanup after a failed create, secrets.

describe("Database, engine level", () => {
  const ctx = useEngine("database", { databases: ["odoo", "production"] });
  const dir = tempDir("db-engine-");
  const list = () => new DbManagerClient(ctx.emulator.url, ctx.emulator.masterPassword).list();
  const adminPassword = "admin-pass-0123456789";
  let madeKey = "";

  test("setup: the master password is stack configuration (a secret)", () => {
    ctx.engine.setConfig("odoo:masterPassword", ctx.emulator.masterPassword, true);
  });

  test("preview rejects bad input with the property named, and nothing reaches the server", async () => {
    ctx.engine.setConfig("test:name", "bad name!");
    ctx.engine.setConfig("test:restoreFrom", path.join(dir, "missing.zip"));
    ctx.engine.setConfig("test:extra", JSON.stringify({ lang: "fr_BE" }));
    const from = ctx.emulator.requests.length;
    let result = await ctx.engine.preview();
    assert.deepEqual(result.steps[0].failures, [
      { property: "name", reason: "must be letters, digits, '_', '.' or '-', starting with a letter or digit, at least 2 characters (Odoo's rule)" },
    ]);
    ctx.engine.setConfig("test:name", "engine_db");
    result = await ctx.engine.preview();
    assert.deepEqual(result.steps[0].failures, [
      { property: "lang", reason: "only applies to a fresh database, not with restoreFrom" },
      { property: "restoreFrom", reason: `no backup file at ${path.join(dir, "missing.zip")}` },
    ]);
    ctx.engine.setConfig("test:restoreFrom", "");
    ctx.engine.setConfig("test:extra", "{}");
    result = await ctx.engine.preview();
    assert.deepEqual(result.steps[0].failures, [
      { property: "adminPassword", reason: "is required for a fresh database (the admin user's password; pass it as a secret)" },
    ]);
    assert.deepEqual(
      ctx.emulator.requests.slice(from).filter((r) => r.path.startsWith("/web/database/")),
      [],
    );
  });

  test("a fresh database: created, then no change on a second preview or refresh", async () => {
    ctx.engine.setConfig("test:adminPassword", adminPassword, true);
    const result = await ctx.engine.up();
    assertClean(result);
    // The database's own admin made an API key (a secret output), through which its uuid was read.
    const db = [...ctx.engine.state.values()][0];
    assert.deepEqual(db.secretOutputs.includes("apiKey"), true);
    assert.match(String(db.outputs.apiKey), /^[0-9a-f]{40}$/);
    madeKey = String(db.outputs.apiKey);
    assert.ok(!ctx.engine.checkpoint().includes(madeKey), "the made API key in plaintext in the checkpoint");
    const client = new OdooClient({ url: ctx.emulator.url, apiKey: String(db.outputs.apiKey), database: "engine_db" });
    const [param] = await client.call<{ value: string }[]>("ir.config_parameter", "search_read", {
      domain: [["key", "=", "database.uuid"]],
      fields: ["value"],
    });
    await client.close();
    assert.deepEqual(result.outputs, { source: "fresh", uuid: param.value, neutralized: false });
    assert.ok((await list()).includes("engine_db"));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("with the state lost, the database is refused until adopt: true, which takes it over with a new key of its own", async () => {
    const { uuid } = [...ctx.engine.state.values()][0].outputs;
    ctx.engine.state.clear();
    assert.deepEqual((await ctx.engine.up()).errors, ["db: database 'engine_db' already exists: set adopt: true to take it over, or choose another name"]);
    ctx.engine.setConfig("test:adopt", "true");
    const result = await ctx.engine.up();
    assertClean(result);
    // A key its admin made with adminPassword, as at creation: what depends on it works at once.
    const key = String([...ctx.engine.state.values()][0].outputs.apiKey);
    assert.match(key, /^[0-9a-f]{40}$/);
    assert.notEqual(key, madeKey);
    assert.deepEqual(result.outputs, { source: "fresh", uuid, neutralized: false });
    assert.ok(!ctx.engine.checkpoint().includes(key), "the adopted database's key in plaintext in the checkpoint");
    ctx.engine.setConfig("test:adopt", "false");
    assertClean(await ctx.engine.up());
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("deletion protection: destroy refuses, says how, and keeps the database and the state", async () => {
    const result = await ctx.engine.destroy();
    assert.deepEqual(result.errors, [
      "db: database 'engine_db' is protected from deletion: set deletionProtection: false and run pulumi up first, then destroy (or replace) it",
    ]);
    assert.equal(ctx.engine.state.size, 1);
    assert.ok((await list()).includes("engine_db"));
  });

  test("a replacement of a protected database is refused before anything is made", async () => {
    ctx.engine.setConfig("test:extra", JSON.stringify({ lang: "fr_BE" }));
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace db [lang]"]);
    const result = await ctx.engine.up();
    assert.match(result.errors[0], /is protected from deletion/);
    assert.ok((await list()).includes("engine_db"));
    ctx.engine.setConfig("test:extra", "{}");
  });

  test("unprotected with backupBeforeDrop: destroy writes a complete backup, then drops", async () => {
    ctx.engine.setConfig("test:deletionProtection", "false");
    ctx.engine.setConfig("test:backupBeforeDrop", path.join(dir, "backups"));
    assert.deepEqual(ops(await ctx.engine.preview()), ["update db [backupBeforeDrop,deletionProtection]"]);
    assertClean(await ctx.engine.up());
    const result = await ctx.engine.destroy();
    assertClean(result);
    assert.equal((await list()).includes("engine_db"), false);
    const backups = readdirSync(path.join(dir, "backups"));
    assert.equal(backups.length, 1);
    assert.match(backups[0], /^engine_db_\d{4}-\d{2}-\d{2}T.*\.zip$/);
  });

  test("a copy of production, neutralized: a new uuid, read through the key that the copy keeps", async () => {
    ctx.engine.setConfig("test:copyFrom", "production");
    ctx.engine.setConfig("test:adminPassword", "");
    ctx.engine.setConfig("odoo:apiKey", ctx.emulator.apiKey("production"), true);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.source, "copy");
    assert.equal(result.outputs.neutralized, true);
    assert.match(String(result.outputs.uuid), /^[0-9a-f-]{36}$/);
    assert.ok((await list()).includes("engine_db"));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("a copy Odoo makes whole but answers with a bare 500 (a prefork 19 closing its own cursor) is kept, not dropped", async () => {
    assertClean(await ctx.engine.destroy());
    ctx.engine.setConfig("test:deletionProtection", "false");
    ctx.emulator.inject({ match: /^POST \/web\/database\/duplicate/, kind: "status", status: 500, afterWork: true });
    const logs = ctx.engine.logs.length;
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.neutralized, true);
    assert.match(
      ctx.engine.logs.slice(logs).join(""),
      /database 'engine_db': Odoo answered the duplicate with HTTP 500 and no message, but the copy is whole \(a uuid of its own, neutralized\): carrying on with it/,
    );
    assert.ok((await list()).includes("engine_db"));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("a database dropped outside Pulumi is reported gone by refresh", async () => {
    await new DbManagerClient(ctx.emulator.url, ctx.emulator.masterPassword).drop("engine_db");
    assert.deepEqual(ops(await ctx.engine.refresh()), ["read-gone db"]);
    assert.equal(ctx.engine.state.size, 0);
  });

  test("a failed restore leaves no half-made database behind, and says so", async () => {
    const garbage = path.join(dir, "garbage.zip");
    writeFileSync(garbage, "not a backup");
    ctx.engine.setConfig("test:copyFrom", "");
    ctx.engine.setConfig("test:restoreFrom", garbage);
    const result = await ctx.engine.up();
    assert.deepEqual(result.errors, [
      "db: database restore failed: Database restore error: Couldn't restore database (the half-made database 'engine_db' was dropped, so a retry can work)",
    ]);
    assert.equal((await list()).includes("engine_db"), false);
    assert.equal(ctx.engine.state.size, 0);
  });

  test("restore from a backup made by backupDatabase", async () => {
    const { backupDatabase } = await import("../../provider/backup");
    const backup = await backupDatabase({
      name: "production",
      format: "zip",
      to: path.join(dir, "prod.zip"),
      url: ctx.emulator.url,
      masterPassword: ctx.emulator.masterPassword,
    });
    assert.ok(backup.size > 0 && existsSync(backup.path));
    ctx.engine.setConfig("test:restoreFrom", backup.path);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.source, "restore");
    assert.equal(result.outputs.neutralized, false);
  });

  test("no secret in the state, the serialized provider or the logs", async () => {
    const checkpoint = ctx.engine.checkpoint();
    for (const secret of [ctx.emulator.masterPassword, adminPassword, ctx.emulator.apiKey("production"), madeKey]) {
      assert.ok(!checkpoint.includes(secret), "a secret in the checkpoint");
      assert.ok(!ctx.engine.logs.join("").includes(secret), "a secret in the logs");
    }
    assertClean(await ctx.engine.destroy());
  });
});
