import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleDbManager } from "./db-manager";
import { handleSession } from "./session";
import { keyError, OdooFault } from "./fault";
import { modelNameOf } from "./ir-models";
import type { OdooVersion, Orm } from "./orm";
import { newApiKey, seedDatabase } from "./seed";
import { handleUpgrade, UpgradePlatform, type UpgradeOptions } from "./upgrade-platform";
import { tryParse } from "../../provider/client/transport";

// A stateful Odoo 19 on node:http, answering as the real server does (odoo19-facts.md), with fault
// injection and a request log for tests. `version: 17` emulates an Odoo 17 as odoo17-facts.md
// records it: no /web/version and no JSON-2, /jsonrpc's own argument binding and error codes.
// Nothing was observed of 14 to 16 or of 18, so no mode claims to be them.

export interface EmulatedDatabase {
  name: string;
  orm: Orm;
  apiKeys: Set<string>;
  /** Keys of plain internal users (not administrators), with their uid. */
  userKeys?: Map<string, number>;
  demo: boolean;
  /** A create that failed during module init leaves this behind (facts §6). */
  broken?: boolean;
  /** Schema changes whose registry rebuild is still going on. */
  rebuilding: number;
}

export interface Fault {
  /** Matched against "METHOD /path". */
  match: RegExp;
  kind: "reset" | "reset-after" | "delay" | "status" | "html" | "truncated" | "unauthorized";
  /**
   * status, html, truncated: answer so only after doing the work (a proxy's 504 while Odoo carried
   * on, an answer cut after the commit). "reset-after" always does the work first.
   */
  afterWork?: boolean;
  status?: number;
  retryAfter?: string;
  delayMs?: number;
  /** How many requests it hits; Infinity for all. */
  times: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  database?: string;
  status?: number;
  fault?: string;
}

export interface EmulatorOptions {
  version?: OdooVersion;
  masterPassword?: string;
  databases?: string[];
  port?: number;
  upgrade?: UpgradeOptions;
  /** Extra bytes appended to every backup, to measure large downloads. */
  backupPaddingBytes?: number;
  /** How long a database create takes (a real server: 19–23 s). */
  createDelayMs?: number;
  /** Added to every JSON-2 and JSON-RPC answer: a real Odoo 19 answers in about 13 ms (facts §8). */
  latencyMs?: number;
  /**
   * How long the registry rebuild after a schema change takes (default 10 ms): calls that overlap
   * it fail as on a real server (odoo17-facts, concurrency on 17 and 19). 0 turns the race off.
   */
  registryRebuildMs?: number;
}

export class OdooEmulator {
  readonly databases = new Map<string, EmulatedDatabase>();
  readonly requests: LoggedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly version: OdooVersion;
  masterPassword: string;
  readonly upgrade: UpgradePlatform;
  readonly options: EmulatorOptions;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  url = "";

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.version = options.version ?? 19;
    this.masterPassword = options.masterPassword ?? "master-" + randomUUID();
    for (const name of options.databases ?? ["odoo"]) this.addDatabase(name);
    this.upgrade = new UpgradePlatform(options.upgrade);
  }

  addDatabase(name: string, demo = false): EmulatedDatabase {
    const database: EmulatedDatabase = { name, orm: seedDatabase(this.version), apiKeys: new Set([newApiKey()]), demo, rebuilding: 0 };
    this.databases.set(name, database);
    return database;
  }

  /** An API key of a plain internal user (no administration rights). */
  userApiKey(database = this.databases.keys().next().value as string): string {
    const db = this.databases.get(database)!;
    db.userKeys ??= new Map();
    const existing = [...db.userKeys.keys()][0];
    if (existing) return existing;
    const key = newApiKey();
    db.userKeys.set(key, 7);
    return key;
  }

  /** The first API key of a database: what an admin would create in Preferences → Security. */
  apiKey(database = this.databases.keys().next().value as string): string {
    return [...this.databases.get(database)!.apiKeys][0];
  }

  inject(fault: Omit<Fault, "times"> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, "127.0.0.1", () => {
        this.server!.off("error", reject);
        resolve();
      });
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Closes the port, as a restarting server does: connections are refused until acceptConnections. */
  async refuseConnections(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  async acceptConnections(): Promise<void> {
    if (this.server!.listening) return;
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    this.upgrade.stop();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    const entry: LoggedRequest = { method: req.method ?? "GET", path, database: header(req, "x-odoo-database") };
    this.requests.push(entry);
    // A threaded Odoo answers every request with Connection: close (facts §1).
    res.setHeader("connection", "close");
    const fault = this.takeFault(`${entry.method} ${path}`);
    if (fault) entry.fault = fault.kind;
    try {
      const afterWork = fault && (fault.kind === "reset-after" || fault.afterWork);
      if (fault && !afterWork && (await this.applyFault(fault, req, res))) return;
      if (fault && afterWork) {
        // The request is processed, but its answer never arrives whole: a write may have happened.
        await this.serve(req, new DiscardingResponse() as unknown as ServerResponse, path);
        if (fault.kind === "reset-after") req.socket.destroy();
        else await this.applyFault(fault, req, res);
        return;
      }
      await this.serve(req, res, path);
    } catch (error) {
      if (!res.headersSent) sendFault(res, error);
    } finally {
      entry.status = res.statusCode;
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // The upgrade platform reads its own bodies: uploads are streamed, never held.
    if (path.startsWith("/upgrade/database/v1/")) return handleUpgrade(this.upgrade, req, res, path.slice("/upgrade/database/v1/".length));
    await this.route(req, await readBody(req), res, path);
  }

  private takeFault(target: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(target));
    if (fault) fault.times--;
    return fault;
  }

  /** Returns true when the fault has answered (or killed) the request. */
  private async applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case "reset":
        req.socket.destroy();
        return true;
      case "delay": {
        // A slow server has the request whole and does the work late, whether or not anyone waits.
        // (The upgrade platform reads its own bodies, as they stream in.)
        const path = (req.url ?? "/").split("?")[0];
        const body = path.startsWith("/upgrade/") ? undefined : await readBody(req);
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
        if (!body) return false;
        await this.route(req, body, res, path);
        return true;
      }
      case "status":
        await readBody(req);
        if (fault.retryAfter !== undefined) res.setHeader("retry-after", fault.retryAfter);
        html(res, fault.status ?? 503, nginxPage(fault.status ?? 503));
        return true;
      case "html":
        await readBody(req);
        html(res, fault.status ?? 200, "<html><head><title>Maintenance</title></head><body><h1>We'll be back soon</h1></body></html>");
        return true;
      case "truncated":
        await readBody(req);
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end('[{"id": 1, "name": "Trunc');
        return true;
      case "unauthorized":
        await readBody(req);
        sendFault(res, new OdooFault(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey", ["Invalid apikey", 401]), { "www-authenticate": "Bearer " });
        return true;
    }
    return false;
  }

  private async route(req: IncomingMessage, body: Buffer, res: ServerResponse, path: string): Promise<void> {
    if (path === "/web/webclient/version_info" && req.method === "POST") {
      // A JSON-RPC route on both versions (odoo17-facts §0); the id echoes the request's.
      const id = (tryParse(body.toString("utf8"))?.value as { id?: unknown } | undefined)?.id ?? null;
      return json(res, 200, { jsonrpc: "2.0", id, result: this.versionInfo() });
    }
    if (path === "/web/version") {
      if (this.version < 19) return html(res, 404, notFoundPage());
      if (req.method !== "GET") return html(res, 400, "<p>Session expired (invalid CSRF token)</p>");
      return json(res, 200, { version_info: [this.version, 0, 0, "final", 0, ""], version: `${this.version}.0` });
    }
    if (path === "/json/2" || path.startsWith("/json/2/")) return this.json2(req, body, res, path);
    if (path === "/jsonrpc") return this.jsonRpc(body, res);
    if (path === "/web/session/authenticate" || path === "/web/dataset/call_kw") return handleSession(this, req, body, res, path);
    if (path.startsWith("/web/database/")) return handleDbManager(this, req, body, res, path.slice("/web/database/".length));
    html(res, 404, notFoundPage());
  }

  // ---- JSON-2 (facts §1, §2) ------------------------------------------------------------

  private async json2(req: IncomingMessage, body: Buffer, res: ServerResponse, path: string): Promise<void> {
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (this.version < 19) return html(res, 404, notFoundPage());
    const parts = path.split("/").slice(3);
    if (req.method !== "POST" || parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new OdooFault(404, "werkzeug.exceptions.NotFound", "Did you mean POST /json/2/<model>/<method>?", [
        "Did you mean POST /json/2/<model>/<method>?",
        404,
      ]);
    }
    const database = this.selectDatabase(req, res);
    if (!database) return;
    if (!(header(req, "content-type") ?? "").includes("application/json")) {
      return html(res, 415, `<p>Request inferred type is compatible with ['http'] but '/json/2/&lt;__model__&gt;/&lt;__method__&gt;' is type='json2'.</p>`);
    }
    const authorization = header(req, "authorization") ?? "";
    const [scheme, key] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "bearer" || !key) {
      return sendFault(res, unauthorized("User not authenticated, use an API Key with a Bearer Authorization header."), { "www-authenticate": "Bearer " });
    }
    const uid = database.apiKeys.has(key) ? 2 : database.userKeys?.get(key);
    if (uid === undefined) return sendFault(res, unauthorized("Invalid apikey"), { "www-authenticate": "Bearer " });
    if (database.broken) return html(res, 500, "<h1>Internal Server Error</h1>");
    let args: unknown = {};
    if (body.length) {
      try {
        args = JSON.parse(body.toString("utf8"));
      } catch (error) {
        const message = `could not parse the body as json: ${(error as Error).message}`;
        throw new OdooFault(400, "werkzeug.exceptions.BadRequest", message, [message, 400]);
      }
    }
    const [model, method] = parts.map(decodeURIComponent);
    json(res, 200, await this.raceRegistry(database, model, method, args, () => database.orm.call(model, method, args, uid)));
  }

  /**
   * A real Odoo rebuilds a database's registry after each schema change. A second schema change
   * during the rebuild fails with an AttributeError of the half-built registry or a KeyError naming
   * the model (or hangs, on 19); a call on a custom model fails with a KeyError naming it.
   */
  private async raceRegistry(database: EmulatedDatabase, model: string, method: string, args: unknown, work: () => unknown): Promise<unknown> {
    const schema = (SCHEMA_MODELS.has(model) && ["create", "write", "unlink"].includes(method)) || REBUILDING_METHODS.has(`${model}/${method}`);
    if (database.rebuilding > 0) {
      const named = schemaTarget(database, args);
      if (schema && named) throw keyError(named);
      if (schema) throw new OdooFault(500, "builtins.AttributeError", "'Registry' object has no attribute '_post_init_queue'");
      if (model.startsWith("x_")) throw keyError(model);
    }
    const result = work();
    const rebuildMs = this.options.registryRebuildMs ?? 10;
    if (schema && rebuildMs > 0) {
      database.rebuilding++;
      await new Promise((resolve) => setTimeout(resolve, rebuildMs)).finally(() => database.rebuilding--);
    }
    return result;
  }

  /** Picks the database as Odoo's router does: the header, or the only one (facts §2). */
  private selectDatabase(req: IncomingMessage, res: ServerResponse): EmulatedDatabase | undefined {
    const name = header(req, "x-odoo-database");
    const database = name ? this.databases.get(name) : this.databases.size === 1 ? [...this.databases.values()][0] : undefined;
    if (!database) {
      html(
        res,
        404,
        `<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<!-- Alternatively, use the X-Odoo-Database header. -->`,
      );
    }
    return database;
  }

  // ---- /jsonrpc (facts §7) --------------------------------------------------------------

  private async jsonRpc(body: Buffer, res: ServerResponse): Promise<void> {
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    let id: unknown = null;
    try {
      const request = JSON.parse(body.toString("utf8"));
      id = request.id ?? null;
      const { service, method, args = [] } = request.params ?? {};
      json(res, 200, { jsonrpc: "2.0", id, result: await this.dispatchRpc(service, method, args) });
    } catch (error) {
      const fault = error instanceof OdooFault ? error : new OdooFault(500, "builtins.Exception", String((error as Error).message));
      const body = fault.body();
      // 17 answers code 200 for every error (odoo17-facts §2); 19 code 0 for AccessDenied.
      const code = this.version === 19 && fault.odooName.endsWith("AccessDenied") ? 0 : 200;
      json(res, 200, { jsonrpc: "2.0", id, error: { code, message: "Odoo Server Error", data: body } });
    }
  }

  private versionInfo() {
    const serverVersion = { 16: "16.0", 17: "17.0-20240709", 19: "19.0" }[this.version];
    return { server_version: serverVersion, server_version_info: [this.version, 0, 0, "final", 0, ""], server_serie: `${this.version}.0`, protocol_version: 1 };
  }

  private async dispatchRpc(service: string, method: string, args: unknown[]): Promise<unknown> {
    const denied = () => new OdooFault(200, "odoo.exceptions.AccessDenied", "Access Denied");
    if (service === "common" && method === "version") return this.versionInfo();
    if (service === "common" && (method === "authenticate" || method === "login")) {
      const [db, login, password] = args as string[];
      const database = this.databases.get(db);
      if (!database) throw new OdooFault(200, "psycopg2.OperationalError", `FATAL:  database "${db}" does not exist`);
      return login === "admin" && database.apiKeys.has(password) ? 2 : false;
    }
    if (service === "db" && method === "list") return [...this.databases.keys()].sort();
    if (service === "db" && method === "server_version") return this.versionInfo().server_version;
    if (service === "db" && method === "db_exist") return this.databases.has(String(args[0]));
    if (service === "db" && method === "drop") {
      if (args[0] !== this.masterPassword) throw denied();
      return this.databases.delete(String(args[1]));
    }
    if (service === "object" && method === "execute_kw") {
      const [db, uid, password, model, name, positional = [], kwargs = {}] = args as [
        string,
        number,
        string,
        string,
        string,
        unknown[],
        Record<string, unknown>,
      ];
      const database = this.databases.get(db);
      if (!database || uid !== 2 || !database.apiKeys.has(password)) throw denied();
      if (!database.orm.models.has(model)) throw new OdooFault(200, "odoo.exceptions.UserError", `Object ${model} doesn't exist`);
      const signature = database.orm.signatureOf(model, name);
      if (this.version < 19) bindLikeOdoo17(model, name, args.length > 5, kwargs);
      const named: Record<string, unknown> = {};
      const params = signature && !signature.model ? ["ids", ...signature.params] : (signature?.params ?? []);
      positional.forEach((value, index) => (named[params[index] ?? `arg${index}`] = value));
      const result = await this.raceRegistry(database, model, name, { ...named, ...kwargs }, () => database.orm.call(model, name, { ...named, ...kwargs }));
      // execute_kw's create with a single dict answers a bare id (facts §7).
      return name === "create" && !Array.isArray(named.vals_list) && Array.isArray(result) ? result[0] : result;
    }
    throw new OdooFault(200, "builtins.KeyError", `'${method}'`);
  }
}

/**
 * Odoo 17's execute_kw binds arguments as Python does (odoo17-facts §1): record ids only
 * positionally, create's vals_list only positionally, and ir.model.access's write names its
 * argument `values`.
 */
function bindLikeOdoo17(model: string, method: string, hasPositional: boolean, kwargs: Record<string, unknown>): void {
  if (!hasPositional) throw new OdooFault(200, "builtins.TypeError", "execute_kw() missing 1 required positional argument: 'args'");
  if ("ids" in kwargs || (method === "create" && "vals_list" in kwargs)) throw new OdooFault(200, "builtins.IndexError", "tuple index out of range");
  if (method === "write" && model === "ir.model.access" && "vals" in kwargs) {
    throw new OdooFault(200, "builtins.TypeError", "IrModelAccess.write() got an unexpected keyword argument 'vals'");
  }
}

/** The custom model a schema change is about: named in its values, or by its model_id. */
function schemaTarget(database: EmulatedDatabase, args: unknown): string | undefined {
  const named = [...JSON.stringify(args).matchAll(/"(x_[a-z0-9_.]*)"/g)].map((m) => m[1]).find((name) => database.orm.models.has(name));
  if (named) return named;
  const modelId = /"model_id":(\d+)/.exec(JSON.stringify(args))?.[1];
  const byId = modelId ? modelNameOf(database.orm, Number(modelId)) : undefined;
  return byId?.startsWith("x_") ? byId : undefined;
}

// The emulator's own list, not the provider's schema gate's: it stands for the server, so a model
// the provider forgot to gate still races here as it would on a real Odoo.
const SCHEMA_MODELS = new Set(["ir.model", "ir.model.fields", "ir.model.fields.selection", "ir.model.access"]);
/** Module operations and the Settings form's Save rebuild the registry too (ir_module.py, res_config.py). */
const REBUILDING_METHODS = new Set([
  "ir.module.module/button_immediate_install",
  "ir.module.module/button_immediate_upgrade",
  "ir.module.module/button_immediate_uninstall",
  "res.config.settings/execute",
]);

class DiscardingResponse {
  statusCode = 200;
  headersSent = false;
  setHeader() {}
  writeHead(status: number) {
    this.statusCode = status;
  }
  end() {}
  write() {
    return true;
  }
  once() {
    return this;
  }
}

const unauthorized = (message: string) => new OdooFault(401, "werkzeug.exceptions.Unauthorized", message, [message, 401]);

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(value));
}

export function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(body);
}

export function sendFault(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  const fault = error instanceof OdooFault ? error : new OdooFault(500, "builtins.Exception", String((error as Error)?.stack ?? error));
  json(res, fault.status, fault.body(), headers);
}

/** The error page nginx puts in front of an Odoo that fails it. */
function nginxPage(status: number): string {
  const title = `${status} ${{ 429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out" }[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function notFoundPage(): string {
  return "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n";
}
