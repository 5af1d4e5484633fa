import { AsyncLocalStorage } from "node:async_hooks";
import { type OdooApiError, OdooError } from "./errors";
import { Json2Client } from "./json2-client";
import type { CallOptions } from "./methods";
import { JsonRpcClient } from "./jsonrpc-client";
import { changesSchema, type SchemaGate, schemaGate } from "./schema-gate";
import { parseShape, schemas } from "./schemas";
import { header, Transport, type TransportOptions } from "./transport";

// The one client the resources use. It asks the server its version once, then speaks JSON-2
// (Odoo 19 and later) or /jsonrpc execute_kw (14 to 18): callers never need to know which.

export interface Connection {
  url: string;
  database?: string;
  apiKey: string;
  /** Only needed for Odoo 14 to 18 (JSON-RPC authenticates a login with the key as password). */
  login?: string;
}

/**
 * One key per server and database, whatever the key or login: what every per-database cache and
 * lock of this process (fields, the schema gate, Records' id ledgers, diffs' "same target") is keyed by.
 */
export function databaseKey(target: { url?: string; database?: string }): string {
  return `${(target.url ?? "").replace(/\/+$/, "")}\u0000${target.database ?? ""}`;
}

export interface OdooClientOptions extends TransportOptions {
  timeoutMs?: number;
  /** Told when a call waits long for a schema change, or is sent again after a registry race. */
  onProgress?: (message: string) => void;
}

const REGISTRY_RACE_ATTEMPTS = 3;

/** The gate the current async context holds alone (inside `exclusively`): its calls pass straight through. */
const holding = new AsyncLocalStorage<SchemaGate>();

/** The model and field names a schema change makes: a KeyError naming one of them is a registry race. */
function schemaNames(args: Record<string, unknown>): string[] {
  const rows = [...(Array.isArray(args.vals_list) ? args.vals_list : []), args.vals];
  return rows
    .flatMap((row) => (row && typeof row === "object" ? [(row as any).model, (row as any).name] : []))
    .filter((name): name is string => typeof name === "string" && name.startsWith("x_"));
}

export interface ServerVersion {
  major: number;
  version: string;
}

export class OdooClient {
  readonly transport: Transport;
  private protocol: Promise<Json2Client | JsonRpcClient> | undefined;
  private versionInfo: Promise<ServerVersion> | undefined;
  private readonly timeoutMs: number;
  private readonly gate: SchemaGate;
  private readonly onProgress: ((message: string) => void) | undefined;

  /** The server and database it reaches (databaseKey). */
  readonly databaseKey: string;

  constructor(
    readonly connection: Connection,
    options: OdooClientOptions = {},
  ) {
    this.connection = { ...connection, url: connection.url.replace(/\/+$/, "") };
    this.databaseKey = databaseKey(this.connection);
    this.transport = new Transport(options);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.gate = schemaGate(databaseKey(this.connection));
    this.onProgress = options.onProgress;
  }

  /**
   * Calls a model's method. A schema change (schema-gate.ts) waits until it can run alone on its
   * database; the wait does not count against the request's timeout, which starts when it is sent.
   */
  async call<T = unknown>(model: string, method: string, args: Record<string, unknown> = {}, options?: CallOptions): Promise<T> {
    const protocol = await this.ensureProtocol();
    const exclusive = changesSchema(model, method);
    if (exclusive) this.gate.remember(schemaNames(args));
    const send = () => this.sendPastRegistryRaces(protocol, model, method, args, options);
    if (holding.getStore() === this.gate) return (await send()) as T;
    return (await this.gate.run(exclusive, `${model}/${method}`, send, this.onProgress)) as T;
  }

  /**
   * Runs `work` alone on this database, as one schema change: what it reads before its change
   * (the modules installed, the ones left pending) stays true until the change is made.
   */
  async exclusively<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (holding.getStore() === this.gate) return work();
    await this.ensureProtocol();
    return this.gate.run(true, what, () => holding.run(this.gate, work), this.onProgress);
  }

  /**
   * Another process's schema change can still race ours (a second `pulumi up`, a person in the web
   * client): Odoo then answers a KeyError naming a model or field that was just made, or an
   * AttributeError of a half-built registry. Odoo rolled that transaction back, so it is sent again.
   */
  private async sendPastRegistryRaces(
    protocol: Json2Client | JsonRpcClient,
    model: string,
    method: string,
    args: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await protocol.call(model, method, args, options);
      } catch (error) {
        if (attempt === REGISTRY_RACE_ATTEMPTS || !this.isRegistryRace(error)) throw error;
        this.onProgress?.(
          `${model}/${method}: Odoo's registry was being rebuilt by another change (${(error as Error).message}); Odoo rolled it back, sending it again`,
        );
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  private isRegistryRace(error: unknown): boolean {
    const api = error as Partial<OdooApiError>;
    if (api.code !== "ODOO_SERVER_ERROR") return false;
    if (api.odooName === "builtins.AttributeError") return /'Registry' object has no attribute/.test(String(api.message));
    const key = String(api.arguments?.[0] ?? "").replace(/^'|'$/g, "");
    return api.odooName === "builtins.KeyError" && this.gate.knows(key);
  }

  async protocolName(): Promise<"json2" | "jsonrpc"> {
    return (await this.ensureProtocol()) instanceof Json2Client ? "json2" : "jsonrpc";
  }

  private ensureProtocol(): Promise<Json2Client | JsonRpcClient> {
    return (this.protocol ??= this.chooseProtocol().catch((error) => {
      this.protocol = undefined;
      throw error;
    }));
  }

  version(): Promise<ServerVersion> {
    return (this.versionInfo ??= this.fetchVersion().catch((error) => {
      this.versionInfo = undefined;
      throw error;
    }));
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async chooseProtocol(): Promise<Json2Client | JsonRpcClient> {
    const { major } = await this.version();
    const settings = { ...this.connection, timeoutMs: this.timeoutMs };
    return major >= 19 ? new Json2Client(this.transport, settings) : new JsonRpcClient(this.transport, settings);
  }

  /**
   * `GET /web/version` where it exists (19 and later); Odoo 14 to 18 answer it 404 and give their
   * version at `POST /web/webclient/version_info`, which needs no database or login (odoo17-facts §0).
   */
  private async fetchVersion(): Promise<ServerVersion> {
    const url = this.connection.url;
    const modern = await this.transport.text({
      method: "GET",
      url: `${url}/web/version`,
      headers: { accept: "application/json" },
      timeoutMs: this.timeoutMs,
      retry: true,
      label: "web/version",
    });
    if (modern.status === 200 && header(modern, "content-type").includes("json")) {
      const parsed = parseShape(schemas().version, parseJson(modern.text, "web/version"), "web/version");
      return { major: majorOf(parsed.version_info[0]), version: parsed.version };
    }
    const older = await this.transport.text({
      method: "POST",
      url: `${url}/web/webclient/version_info`,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
      timeoutMs: this.timeoutMs,
      retry: true,
      label: "web/webclient/version_info",
    });
    if (older.status === 200 && header(older, "content-type").includes("json")) {
      const parsed = parseShape(schemas().versionInfo, parseJson(older.text, "web/webclient/version_info"), "web/webclient/version_info");
      return { major: majorOf(parsed.result.server_version_info[0]), version: parsed.result.server_serie };
    }
    throw new OdooError(
      "ODOO_HTTP",
      `${url} does not look like an Odoo server (check odoo:url): GET /web/version answered HTTP ${modern.status} and POST /web/webclient/version_info HTTP ${older.status}`,
    );
  }
}

/** SaaS builds report "saas~18.4" style versions. */
function majorOf(first: number | string): number {
  return typeof first === "number" ? first : Number(/(\d+)/.exec(String(first))?.[1] ?? 0);
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new OdooError("ODOO_RESPONSE_SHAPE", `${label}: the answer was not complete JSON`);
  }
}
