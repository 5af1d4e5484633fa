import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { request } from "undici";
import { OdooClient } from "../../provider/client/odoo-client";
import { alertText, DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { rejectsWith, useEmulator } from "../helpers";
import { tempDir } from "../temp";

// odoo19-facts §6: the database manager, every row, through DbManagerClient.

describe("database manager (facts §6)", () => {
  const ctx = useEmulator({ databases: ["pulumi"] });
  const dir = tempDir("dbm-");
  const manager = () => new DbManagerClient(ctx.url, ctx.emulator.masterPassword);
  const wrong = () => new DbManagerClient(ctx.url, "not-the-password");
  const fresh = { login: "admin", password: "admin-pw", lang: "en_US" };

  test("list answers the database names", async () => {
    assert.deepEqual(await manager().list(), ["pulumi"]);
  });

  test("create: 303 on success, without demo data unless asked, phone always sent", async () => {
    await manager().create({ name: "created", ...fresh });
    assert.deepEqual(await manager().list(), ["created", "pulumi"]);
    assert.equal(ctx.emulator.databases.get("created")!.demo, false);
    await manager().create({ name: "with_demo", ...fresh, demo: true });
    assert.equal(ctx.emulator.databases.get("with_demo")!.demo, true);
  });

  const createFailures: [string, () => Promise<void>, string][] = [
    ["wrong master password", () => wrong().create({ name: "nope", ...fresh }), "database create failed: Database creation error: Access Denied"],
    [
      "existing name",
      () => manager().create({ name: "pulumi", ...fresh }),
      "database create failed: Database creation error: database 'pulumi' already exists!",
    ],
    [
      "bad name",
      () => manager().create({ name: "bad name!", ...fresh }),
      "database create failed: Database creation error: Houston, we have a database naming issue! Make sure you only use letters, numbers, underscores, hyphens, or dots in the database name, and you'll be golden.",
    ],
  ];
  for (const [name, run, message] of createFailures) {
    test(`create refused: ${name} (200 HTML alert → one readable sentence)`, async () => {
      await rejectsWith(run(), "ODOO_DBMANAGER", message);
    });
  }

  test("create without phone or login, and without lang (500 page), as the raw server answers", async () => {
    const post = async (form: Record<string, string>) => {
      const response = await request(`${ctx.url}/web/database/create`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
      return { status: response.statusCode, alert: alertText(await response.body.text()) };
    };
    const base = { master_pwd: ctx.emulator.masterPassword, name: "raw", password: "p", lang: "en_US" };
    assert.deepEqual(await post({ ...base, login: "admin" }), { status: 200, alert: "Database creation error: 'phone'" });
    assert.deepEqual(await post({ ...base, phone: "" }), { status: 200, alert: "Database creation error: 'login'" });
    const { lang: _, ...noLang } = base;
    assert.deepEqual(await post({ ...noLang, login: "admin", phone: "" }), { status: 500, alert: undefined });
  });

  test("duplicate with neutralize: a new uuid, neutralized, keys kept", async () => {
    await manager().duplicate("pulumi", "pulumi_dup", true);
    const key = ctx.emulator.apiKey("pulumi");
    const param = async (database: string, key2: string) =>
      new OdooClient({ url: ctx.url, apiKey: key, database }).call<{ value: string }[]>("ir.config_parameter", "search_read", {
        domain: [["key", "=", key2]],
        fields: ["value"],
      });
    assert.equal((await param("pulumi_dup", "database.is_neutralized"))[0].value, "True");
    assert.notEqual((await param("pulumi_dup", "database.uuid"))[0].value, (await param("pulumi", "database.uuid"))[0].value);
  });

  const duplicateFailures: [string, () => Promise<void>, string][] = [
    ["wrong password", () => wrong().duplicate("pulumi", "x_copy", false), "database duplicate failed: Database duplication error: Access Denied"],
    [
      "existing new name",
      () => manager().duplicate("pulumi", "pulumi_dup", false),
      'database duplicate failed: Database duplication error: database "pulumi_dup" already exists',
    ],
    [
      "missing source",
      () => manager().duplicate("nope_src", "x_copy", false),
      'database duplicate failed: Database duplication error: template database "nope_src" does not exist',
    ],
    [
      "bad new name",
      () => manager().duplicate("pulumi", "bad name", false),
      "database duplicate failed: Database duplication error: 'NoneType' object has no attribute 'uid'",
    ],
  ];
  for (const [name, run, message] of duplicateFailures) {
    test(`duplicate refused: ${name}`, async () => {
      await rejectsWith(run(), "ODOO_DBMANAGER", message);
    });
  }

  test("backup streams to a file, complete or not at all; errors are told by Content-Type", async () => {
    const to = path.join(dir, "pulumi.zip");
    const size = await manager().backup({ name: "pulumi", format: "zip" }, to);
    assert.equal(size, readFileSync(to).length);
    assert.ok(size > 1000);
    await rejectsWith(
      wrong().backup({ name: "pulumi", format: "zip" }, path.join(dir, "x.zip")),
      "ODOO_DBMANAGER",
      "database backup failed: Database backup error: Access Denied",
    );
    await rejectsWith(
      manager().backup({ name: "nope_db", format: "dump" }, path.join(dir, "y.dump")),
      "ODOO_DBMANAGER",
      "database backup failed: Database backup error: Database 'nope_db' is not known",
    );
    assert.deepEqual(readdirSync(dir).sort(), ["pulumi.zip"]);
  });

  test("an unknown backup format gives a custom-format dump, not an error", async () => {
    const to = path.join(dir, "odd.tar");
    assert.ok((await manager().backup({ name: "pulumi", format: "tar" as "dump" }, to)) > 0);
    rmSync(to);
  });

  test("a create that fails in module init leaves a half-made database behind", async () => {
    ctx.emulator.failNextCreate = true;
    await rejectsWith(manager().create({ name: "half", ...fresh }), "ODOO_DBMANAGER", "database create failed: Database creation error: 'res.users'");
    assert.ok((await manager().list()).includes("half"));
    await manager().drop("half");
  });

  test("restore from a backup (streamed multipart); copy gives a new uuid", async () => {
    const file = path.join(dir, "pulumi.zip");
    await manager().restore("pulumi_restored", file, { copy: true });
    assert.ok((await manager().list()).includes("pulumi_restored"));
    await rejectsWith(manager().restore("pulumi_restored", file), "ODOO_DBMANAGER", "database restore failed: Database restore error: Database already exists");
    await rejectsWith(wrong().restore("other", file), "ODOO_DBMANAGER", "database restore failed: Database restore error: Access Denied");
  });

  test("restore of a garbage file fails and leaves an empty database behind; no name validation", async () => {
    const garbage = path.join(dir, "garbage.bin");
    writeFileSync(garbage, "not a backup");
    await rejectsWith(
      manager().restore("left_behind", garbage),
      "ODOO_DBMANAGER",
      "database restore failed: Database restore error: Couldn't restore database",
    );
    assert.ok((await manager().list()).includes("left_behind"));
    await manager().restore("bad name", path.join(dir, "pulumi.zip"));
    assert.ok((await manager().list()).includes("bad name"));
  });

  test("drop: 303; a missing database answers 303 too, so list tells", async () => {
    await manager().drop("left_behind");
    await manager().drop("never_existed");
    assert.equal(await manager().exists("left_behind"), false);
    await rejectsWith(wrong().drop("pulumi"), "ODOO_DBMANAGER", "database drop failed: Database deletion error: Access Denied");
  });

  test("change_password: wrong old refused; an empty new one is refused by us before it locks the manager out", async () => {
    await rejectsWith(wrong().changePassword("new"), "ODOO_DBMANAGER", "database change_password failed: Master password update error: Access Denied");
    await rejectsWith(manager().changePassword(""), "ODOO_CONFIG", "the new master password must not be empty: Odoo would lock the database manager");
    await manager().changePassword("rotated");
    assert.equal(ctx.emulator.masterPassword, "rotated");
  });

  test("no message carries the master password", async () => {
    const client = new DbManagerClient(ctx.url, "s3cret-master-value");
    const error = await client.create({ name: "z", ...fresh }).catch((e: Error) => e);
    assert.ok(error instanceof Error);
    assert.ok(!error.message.includes("s3cret-master-value"));
  });
});
