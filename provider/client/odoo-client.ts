import { OdooError } from "./errors";
import { type CallOptions, Json2Client } from "./json2-client";
import { JsonRpcClient } from "./jsonrpc-client";
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

export interface OdooClientOptions extends TransportOptions {
  timeoutMs?: number;
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

  constructor(
    readonly connection: Connection,
    options: OdooClientOptions = {},
  ) {
    this.connection = { ...connection, url: connection.url.replace(/\/+$/, "") };
    this.transport = new Transport(options);
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async call<T = unknown>(model: string, method: string, args: Record<string, unknown> = {}, options?: CallOptions): Promise<T> {
    const protocol = await this.ensureProtocol();
    return (await protocol.call(model, method, args, options)) as T;
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

  private async fetchVersion(): Promise<ServerVersion> {
    const response = await this.transport.text({
      method: "GET",
      url: `${this.connection.url}/web/version`,
      headers: { accept: "application/json" },
      timeoutMs: this.timeoutMs,
      retry: true,
      label: "web/version",
    });
    if (response.status !== 200 || !header(response, "content-type").includes("json")) {
      throw new OdooError(
        "ODOO_HTTP",
        `web/version → HTTP ${response.status}: ${this.connection.url} does not look like an Odoo server (check odoo:url)`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      throw new OdooError("ODOO_RESPONSE_SHAPE", `web/version: the answer was not complete JSON`);
    }
    const parsed = parseShape(schemas().version, body, "web/version");
    const first = parsed.version_info[0];
    // SaaS builds report "saas~18.4" style versions.
    const major = typeof first === "number" ? first : Number(/(\d+)/.exec(String(first))?.[1] ?? 0);
    return { major, version: parsed.version };
  }
}
