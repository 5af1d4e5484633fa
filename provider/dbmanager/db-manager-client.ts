import { stat } from "node:fs/promises";
import { DbManagerError, OdooError } from "../client/errors";
import { decodeEntities } from "../client/decoding";
import { parseShape } from "../client/schemas";
import { header, PROXY_STATUS, saveBody, type TextResponse, Transport, type TransportOptions } from "../client/transport";
import type { FormData } from "undici";

// /web/database/*: form-encoded HTML controllers. Success is a 303 with a Location header; failure
// is a 200 HTML page whose `alert-danger` holds the message (odoo19-facts §6). Nothing here is ever
// retried: creating, copying or dropping a database twice is not harmless.

export const DB_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export interface CreateDatabaseParams {
  name: string;
  login: string;
  password: string;
  lang: string;
  phone?: string;
  countryCode?: string;
  demo?: boolean;
}

export interface BackupParams {
  name: string;
  format: "zip" | "dump";
  filestore?: boolean;
}

export interface DbManagerOptions extends TransportOptions {
  /** Creating a database takes 19 to 23 s on a real server; restores of big dumps take much longer. */
  timeoutMs?: number;
}

export class DbManagerClient {
  private readonly transport: Transport;
  /** The server's URL, without a trailing slash. */
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(
    url: string,
    private readonly masterPassword: string,
    options: DbManagerOptions = {},
  ) {
    this.url = url.replace(/\/+$/, "");
    this.transport = new Transport(options);
    this.timeoutMs = options.timeoutMs ?? 30 * 60_000;
  }

  async list(): Promise<string[]> {
    const response = await this.transport.text({
      method: "POST",
      url: `${this.url}/web/database/list`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {}, id: 1 }),
      timeoutMs: 60_000,
      retry: true,
      json: "typed",
      label: "database list",
    });
    if (response.status !== 200 || !header(response, "content-type").includes("json")) {
      throw new OdooError("ODOO_DBMANAGER", `database list failed: HTTP ${response.status} (is the database manager enabled, list_db = True?)`);
    }
    if (!response.json) throw new OdooError("ODOO_RESPONSE_SHAPE", `database list: the answer was not complete JSON (${response.text.length} bytes received)`);
    const { z } = await import("zod");
    const body = parseShape(
      z.looseObject({
        result: z.array(z.string()).optional(),
        error: z.looseObject({ message: z.string(), data: z.looseObject({ message: z.string() }).optional() }).optional(),
      }),
      response.json.value,
      "database list",
    );
    if (body.error) throw new OdooError("ODOO_DBMANAGER", `database list failed: ${body.error.data?.message ?? body.error.message}`);
    return body.result ?? [];
  }

  async exists(name: string): Promise<boolean> {
    return (await this.list()).includes(name);
  }

  async create(params: CreateDatabaseParams): Promise<void> {
    const form: Record<string, string> = {
      master_pwd: this.masterPassword,
      name: params.name,
      login: params.login,
      password: params.password,
      lang: params.lang,
      // `phone` is read unconditionally by the server: without it the create fails (facts §6).
      phone: params.phone ?? "",
    };
    if (params.countryCode) form.country_code = params.countryCode;
    // Any non-empty `demo` installs demo data, "false" included: send it only when wanted.
    if (params.demo) form.demo = "1";
    await this.post("create", form);
  }

  async duplicate(name: string, newName: string, neutralize: boolean): Promise<void> {
    const form: Record<string, string> = { master_pwd: this.masterPassword, name, new_name: newName };
    if (neutralize) form.neutralize_database = "1";
    await this.post("duplicate", form);
  }

  async drop(name: string): Promise<void> {
    await this.post("drop", { master_pwd: this.masterPassword, name });
  }

  async changePassword(newPassword: string): Promise<void> {
    // An empty new password locks every later call out (facts §6): refuse it here.
    if (!newPassword) throw new OdooError("ODOO_CONFIG", "the new master password must not be empty: Odoo would lock the database manager");
    await this.post("change_password", { master_pwd: this.masterPassword, master_pwd_new: newPassword });
  }

  /** Streams the backup file from disk; it is never held in memory whole. */
  async restore(name: string, file: string, options: { copy?: boolean; neutralize?: boolean } = {}): Promise<void> {
    const { openAsBlob } = await import("node:fs");
    const { FormData } = await import("undici");
    const form = new FormData();
    form.set("master_pwd", this.masterPassword);
    form.set("name", name);
    if (options.copy) form.set("copy", "true");
    if (options.neutralize) form.set("neutralize_database", "true");
    form.set("backup_file", await openAsBlob(file), file.split(/[\\/]/).pop() || "backup");
    await this.expectRedirect("restore", () => this.send("restore", form));
  }

  /**
   * Streams a backup to `to`: written beside it first and renamed when complete, so a failed or
   * interrupted backup never leaves a truncated file under the final name. Returns its size.
   */
  async backup(params: BackupParams, to: string): Promise<number> {
    const form = new URLSearchParams({ master_pwd: this.masterPassword, name: params.name, backup_format: params.format });
    if (params.filestore === false) form.set("filestore", "false");
    const response = await this.transport.stream({
      method: "POST",
      url: `${this.url}/web/database/backup`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      timeoutMs: this.timeoutMs,
      // A backup changes nothing: it is asked again after a broken connection, a proxy's error, or
      // an answer that is not a file (JSON, say) before any of it is written.
      retry: true,
      complete: (answer) => !/json/.test(header(answer, "content-type")),
      label: "database backup",
    });
    // Errors come back as 200 text/html: the Content-Type tells them apart (facts §6).
    if (response.status !== 200 || /text\/html|json/.test(header(response, "content-type"))) {
      const text = await response.body.text();
      throw failure("backup", { status: response.status, headers: response.headers, text });
    }
    try {
      await saveBody(response, to);
    } catch (error) {
      throw new OdooError("ODOO_TRANSPORT", `database backup of '${params.name}' was interrupted: ${(error as Error).message}`, { cause: error });
    }
    return (await stat(to)).size;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async post(operation: string, form: Record<string, string>): Promise<void> {
    await this.expectRedirect(operation, () => this.send(operation, new URLSearchParams(form).toString(), "application/x-www-form-urlencoded"));
  }

  private send(operation: string, body: string | FormData, contentType?: string): Promise<TextResponse> {
    return this.transport.text({
      method: "POST",
      url: `${this.url}/web/database/${operation}`,
      headers: contentType ? { "content-type": contentType } : {},
      body,
      timeoutMs: this.timeoutMs,
      label: `database ${operation}`,
    });
  }

  private async expectRedirect(operation: string, send: () => Promise<TextResponse>): Promise<void> {
    const response = await send();
    if (response.status === 303 && header(response, "location")) return;
    throw failure(operation, response);
  }
}

function failure(operation: string, response: TextResponse): OdooError {
  const alert = alertText(response.text);
  if (alert) return new DbManagerError(operation, alert, response.status);
  // A missing form field gives a bare 500 page (facts §6): Odoo did nothing. A proxy's 502/503/504,
  // or a page that is not Odoo's, says nothing of whether Odoo did the work behind it.
  const unknown = operation !== "backup" && PROXY_STATUS.has(response.status);
  return new DbManagerError(operation, `HTTP ${response.status} without an error message from Odoo`, response.status, unknown);
}

/** The text of the page's first `alert-danger`, unescaped and on one line. */
export function alertText(html: string): string | undefined {
  const match = /<div[^>]*class="[^"]*\balert-danger\b[^"]*"[^>]*>([\s\S]*?)<\/div>/i.exec(html);
  if (!match) return undefined;
  return decodeEntities(match[1].replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}
