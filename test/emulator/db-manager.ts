import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { restoreApps, serializeApps } from "./apps";
import { installIrHooks } from "./ir-models";
import { installBaseHooks } from "./seed";
import { type FieldDef, type ModelDef, Orm, type Rec } from "./orm";
import { type EmulatedDatabase, header, html, json, type OdooEmulator } from "./server";

// /web/database/*: success is a 303 with Location; failure a 200 HTML page with the message in an
// alert-danger; a missing required form field a bare 500 (odoo19-facts §6, every row).

const NAME_RULE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const BACKUP_MAGIC = "ODOO-EMULATOR-BACKUP v1\n";

export async function handleDbManager(emulator: OdooEmulator, req: IncomingMessage, body: Buffer, res: ServerResponse, operation: string): Promise<void> {
  if (operation === "list") {
    if (req.method !== "POST") return html(res, 415, "<p>Unsupported Media Type</p>");
    const request = JSON.parse(body.toString("utf8") || "{}");
    return json(res, 200, { jsonrpc: "2.0", id: request.id ?? null, result: [...emulator.databases.keys()].sort() });
  }
  const form = (header(req, "content-type") ?? "").startsWith("multipart/form-data") ? parseMultipart(req, body) : parseForm(body);
  const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
  const master = field("master_pwd");
  const passwordOk = master === emulator.masterPassword;
  const alert = (message: string) => html(res, 200, managerPage(message));
  const redirect = (location: string, cookie = false) => {
    const headers: Record<string, string | string[]> = { location, "content-type": "text/html; charset=utf-8" };
    if (cookie) headers["set-cookie"] = [`session_id=${randomUUID()}; Path=/; HttpOnly`, `session_id=${randomUUID()}; Path=/; HttpOnly`];
    res.writeHead(303, headers);
    res.end("<p>Redirecting...</p>");
  };
  const missingField = (...names: string[]) => names.some((name) => form[name] === undefined);

  switch (operation) {
    case "create": {
      if (missingField("master_pwd", "name", "lang", "password")) return html(res, 500, serverErrorPage());
      const name = field("name")!;
      if (!NAME_RULE.test(name)) {
        return alert(
          emulator.databases.size === 0
            ? "Database creation error: 'NoneType' object has no attribute 'uid'"
            : "Database creation error: Houston, we have a database naming issue! Make sure you only use letters, numbers, underscores, hyphens, or dots in the database name, and you'll be golden.",
        );
      }
      if (form.login === undefined) return alert("Database creation error: 'login'");
      if (form.phone === undefined) return alert("Database creation error: 'phone'");
      if (!passwordOk) return alert("Database creation error: Access Denied");
      if (emulator.databases.has(name)) return alert(`Database creation error: database '${name}' already exists!`);
      if (emulator.options.createDelayMs) await new Promise((resolve) => setTimeout(resolve, emulator.options.createDelayMs));
      // Any non-empty `demo` value installs demo data, "false" included (facts §6).
      const database = emulator.addDatabase(name, !!field("demo"));
      if (emulator.failNextCreate) {
        emulator.failNextCreate = false;
        database.broken = true;
        return alert("Database creation error: 'res.users'");
      }
      database.adminLogin = field("login");
      database.adminPassword = field("password");
      database.lang = field("lang");
      database.countryCode = field("country_code");
      // The web client's home: /odoo on 19, /web on 17 (odoo17-facts §6).
      return redirect(emulator.version < 19 ? "/web" : "/odoo", true);
    }
    case "duplicate": {
      if (missingField("master_pwd", "name", "new_name")) return html(res, 500, serverErrorPage());
      const name = field("name")!;
      const newName = field("new_name")!;
      if (!passwordOk) return alert("Database duplication error: Access Denied");
      if (!NAME_RULE.test(newName)) return alert("Database duplication error: 'NoneType' object has no attribute 'uid'");
      if (emulator.databases.has(newName)) return alert(`Database duplication error: database "${newName}" already exists`);
      const source = emulator.databases.get(name);
      if (!source) return alert(`Database duplication error: template database "${name}" does not exist`);
      const copy = restoreDatabase(newName, serializeDatabase(source));
      emulator.databases.set(newName, copy);
      setParam(copy.orm, "database.uuid", randomUUID());
      if (field("neutralize_database")) setParam(copy.orm, "database.is_neutralized", "True");
      return redirect("/web/database/manager");
    }
    case "backup": {
      if (missingField("master_pwd", "name")) return html(res, 500, serverErrorPage());
      const name = field("name")!;
      if (!passwordOk) return alert("Database backup error: Access Denied");
      const source = emulator.databases.get(name);
      if (!source) return alert(`Database backup error: Database '${name}' is not known`);
      // Any format other than zip is a custom-format dump (facts §6: `tar` gives a dump named .tar).
      const format = field("backup_format") ?? "zip";
      const stamp = new Date().toISOString().slice(0, 19).replace("T", "_").replace(/:/g, "-");
      res.writeHead(200, {
        "content-type": "application/octet-stream; charset=binary",
        "content-disposition": `attachment; filename*=UTF-8''${name}_${stamp}.${format}`,
      });
      res.write(BACKUP_MAGIC + JSON.stringify({ format: format === "zip" ? "zip" : "dump", state: serializeDatabase(source) }) + "\n");
      await writePadding(res, emulator.options.backupPaddingBytes ?? 0);
      res.end();
      return;
    }
    case "restore": {
      if (missingField("master_pwd", "name") || !(form.backup_file instanceof Buffer)) return html(res, 500, serverErrorPage());
      const name = field("name")!;
      if (!passwordOk) return alert("Database restore error: Access Denied");
      if (emulator.databases.has(name)) return alert("Database restore error: Database already exists");
      const file = form.backup_file as Buffer;
      const text = file.subarray(0, Math.min(file.length, file.indexOf(10, BACKUP_MAGIC.length) + 1 || file.length)).toString("utf8");
      if (!text.startsWith(BACKUP_MAGIC)) {
        // A failed restore leaves an empty database with that name behind (facts §6).
        const empty = emulator.addDatabase(name);
        empty.broken = true;
        return alert("Database restore error: Couldn't restore database");
      }
      // No name validation on restore: a database called "bad name" can be made (facts §6).
      const { state } = JSON.parse(text.slice(BACKUP_MAGIC.length));
      const restored = restoreDatabase(name, state);
      if (field("copy") === "true" || field("copy") === "1") setParam(restored.orm, "database.uuid", randomUUID());
      if (field("neutralize_database")) setParam(restored.orm, "database.is_neutralized", "True");
      emulator.databases.set(name, restored);
      return redirect("/web/database/manager");
    }
    case "drop": {
      if (missingField("master_pwd", "name")) return html(res, 500, serverErrorPage());
      if (!passwordOk) return alert("Database deletion error: Access Denied");
      // A database that does not exist answers exactly like a successful drop (facts §6).
      emulator.databases.delete(field("name")!);
      return redirect("/web/database/manager");
    }
    case "change_password": {
      if (missingField("master_pwd", "master_pwd_new")) return html(res, 500, serverErrorPage());
      if (!passwordOk) return alert("Master password update error: Access Denied");
      const next = field("master_pwd_new")!;
      // An empty new password locks the manager out until the config file is fixed (facts §6).
      emulator.masterPassword = next === "" ? `\u0000locked-${randomUUID()}` : next;
      return redirect("/web/database/manager");
    }
  }
  html(res, 404, "<h1>Not Found</h1>");
}

declare module "./server" {
  interface EmulatedDatabase {
    adminLogin?: string;
    /** The admin's password given at creation: the web session signs in with it (session.ts). */
    adminPassword?: string;
    lang?: string;
    countryCode?: string;
  }
  interface OdooEmulator {
    failNextCreate?: boolean;
  }
}

function setParam(orm: Orm, key: string, value: string): void {
  const params = orm.model("ir.config_parameter");
  const row = [...params.records.values()].find((r) => r.key === key);
  if (row) row.value = value;
}

interface SerializedModel extends Omit<ModelDef, "fields" | "records"> {
  fields: FieldDef[];
  records: Rec[];
}

export function serializeDatabase(database: EmulatedDatabase): unknown {
  const models: SerializedModel[] = [...database.orm.models.values()].map((model) => ({
    ...model,
    fields: [...model.fields.values()],
    records: [...model.records.values()],
  }));
  const apps = database.orm.apps && serializeApps(database.orm.apps);
  return { models, staleAcl: [...database.orm.staleAcl], apiKeys: [...database.apiKeys], demo: database.demo, version: database.orm.version, apps };
}

export function restoreDatabase(name: string, state: any): EmulatedDatabase {
  const orm = new Orm();
  orm.version = state.version ?? 19;
  installIrHooks(orm);
  installBaseHooks(orm);
  for (const model of structuredClone(state.models) as SerializedModel[]) {
    orm.models.set(model.name, {
      ...model,
      fields: new Map(model.fields.map((f) => [f.name, f])),
      records: new Map(model.records.map((r) => [r.id, r])),
    });
  }
  orm.staleAcl = new Set(state.staleAcl);
  if (state.apps) restoreApps(orm, state.apps);
  return { name, orm, apiKeys: new Set(state.apiKeys), demo: state.demo, rebuilding: 0 };
}

async function writePadding(res: ServerResponse, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024, 0x2d);
  for (let left = bytes; left > 0; left -= chunk.length) {
    const ok = res.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (!ok) await new Promise((resolve) => res.once("drain", resolve));
  }
}

function parseForm(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}

function parseMultipart(req: IncomingMessage, body: Buffer): Record<string, string | Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(header(req, "content-type") ?? "");
  const result: Record<string, string | Buffer> = {};
  if (!boundary) return result;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (name) result[name] = /filename="/.test(head) ? Buffer.from(content) : content.toString("utf8");
    start = next;
  }
  return result;
}

function managerPage(message: string): string {
  const escaped = message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  return `<html>\n<head><meta http-equiv="content-type" content="text/html; charset=utf-8"/><title>Odoo</title></head>\n<body>\n<div class="container">\n<div class="row">\n<div class="col-lg-6 offset-lg-3 o_database_list">\n<img src="/web/static/img/logo2.png" class="img-fluid d-block mx-auto"/>\n<div class="alert alert-danger">${escaped}</div>\n<div class="list-group"></div>\n</div>\n</div>\n</div>\n</body>\n</html>\n`;
}

function serverErrorPage(): string {
  return "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n";
}
