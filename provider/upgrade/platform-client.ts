import { open, stat } from "node:fs/promises";
import { z } from "zod";
import { OUTCOME_UNKNOWN, OdooError } from "../client/errors";
import { parseShape } from "../client/schemas";
import { header, saveBody, Transport } from "../client/transport";

// Odoo's upgrade platform (shared/upgrade-platform.md): /database/v1/<method>, form or query
// parameters, answers {failures, request}. Every URL it gives embeds the request's private key.

export interface PlatformFailure {
  reason: string;
  message: string;
  code?: string;
  value?: unknown;
  expected?: unknown[];
}

export type PlatformRequest = Record<string, unknown> & { id: number; key: string; state?: string };

/** A platform answer with failures: each named by its reason, with the faulty and expected values. */
export class UpgradePlatformError extends OdooError {
  override name = "UpgradePlatformError";
  constructor(
    readonly method: string,
    readonly failures: PlatformFailure[],
  ) {
    super("ODOO_UPGRADE", `upgrade platform ${method} failed: ${failures.map(describeFailure).join("; ")}`);
  }
}

export function describeFailure(failure: PlatformFailure): string {
  const expected = failure.expected?.length ? ` (expected one of ${failure.expected.join(", ")})` : "";
  return `${failure.reason}: ${failure.message}${expected}`;
}

function schemas() {
  const failure = z.looseObject({
    reason: z.string(),
    message: z.string(),
    code: z.string().optional(),
    value: z.unknown().optional(),
    expected: z.array(z.unknown()).optional(),
  });
  return z.looseObject({
    failures: z.array(failure).default([]),
    request: z.looseObject({ id: z.number(), key: z.string(), state: z.string().optional() }).optional(),
  });
}

export class UpgradePlatformClient {
  private readonly transport = new Transport();
  private readonly base: string;

  constructor(private readonly platformUrl: string) {
    this.base = `${platformUrl.replace(/\/+$/, "")}/database/v1`;
  }

  async create(params: { contract: string; email: string; target: string; aim: string; filename: string }): Promise<PlatformRequest> {
    return this.call("create", new URLSearchParams(params), false);
  }

  async requestSftpAccess(request: { id: number; key: string }, publicKeys: string): Promise<PlatformRequest> {
    const { FormData } = await import("undici");
    const form = new FormData();
    form.set("ssh_keys", new Blob([publicKeys], { type: "text/plain" }), "ssh_keys.txt");
    return this.call("request_sftp_access", form, false, request);
  }

  process(request: { id: number; key: string }): Promise<PlatformRequest> {
    return this.call("process", new URLSearchParams(), false, request);
  }

  status(request: { id: number; key: string }): Promise<PlatformRequest> {
    return this.call("status", new URLSearchParams(), true, request);
  }

  /** Streams the dump from disk (memory stays flat), reporting progress as bytes sent. */
  async upload(request: { id: number; key: string }, file: string, onProgress?: (sent: number, total: number) => void): Promise<PlatformRequest> {
    const total = (await stat(file)).size;
    // A fresh read of the file for each attempt: one turned away unread (429) can be sent again.
    return this.call("upload", () => fileChunks(file, total, onProgress), false, request, {
      "content-type": "application/octet-stream",
      "content-length": String(total),
    });
  }

  /** Streams the upgraded dump at `url` (one of the request's URLs, maybe relative) to the file `to`. */
  async download(url: string, to: string): Promise<void> {
    const response = await this.transport.stream({
      method: "GET",
      url: new URL(url, this.platformUrl).toString(),
      // A dump of gigabytes: no overall limit, only a silence this long is a failure.
      timeoutMs: 30 * 60_000,
      retry: true,
      label: "upgrade platform download",
    });
    if (response.status !== 200) {
      await response.body.dump();
      throw new OdooError("ODOO_UPGRADE", `download of the upgraded dump → HTTP ${response.status}`);
    }
    await saveBody(response, to);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async call(
    method: string,
    body: URLSearchParams | (() => AsyncIterable<Buffer>) | import("undici").FormData,
    retry: boolean,
    request?: { id: number; key: string },
    headers: Record<string, string> = {},
  ): Promise<PlatformRequest> {
    const query = request ? `?${new URLSearchParams({ request: String(request.id), key: request.key })}` : "";
    const isForm = body instanceof URLSearchParams;
    const response = await this.transport.text({
      method: "POST",
      url: `${this.base}/${method}${query}`,
      headers: isForm ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
      body: isForm ? body.toString() : body,
      // Uploads of big dumps take long: no overall limit, only silence is a failure.
      timeoutMs: method === "upload" ? 30 * 60_000 : 120_000,
      retry,
      json: "typed",
      label: `upgrade platform ${method}`,
    });
    if (response.status === 413)
      throw new OdooError("ODOO_UPGRADE", `upgrade platform ${method} → HTTP 413: the dump is too big for an HTTPS upload, use transfer: "sftp"`);
    // Only the platform's own JSON answer says what became of a write; a proxy's page leaves it open.
    const open = !retry && (response.status === 200 || response.status >= 500);
    if (response.status !== 200 || !header(response, "content-type").includes("json")) {
      throw new OdooError("ODOO_UPGRADE", `upgrade platform ${method} → HTTP ${response.status}${open ? OUTCOME_UNKNOWN : ""}`, {
        outcomeUnknown: open,
        httpStatus: response.status,
      });
    }
    if (!response.json)
      throw new OdooError("ODOO_RESPONSE_SHAPE", `upgrade platform ${method}: the answer was not complete JSON${open ? OUTCOME_UNKNOWN : ""}`, {
        outcomeUnknown: open,
      });
    const answer = parseShape(schemas(), response.json.value, `upgrade platform ${method}`);
    if (answer.failures.length) throw new UpgradePlatformError(method, answer.failures as PlatformFailure[]);
    if (!answer.request) throw new OdooError("ODOO_RESPONSE_SHAPE", `upgrade platform ${method}: no request in the answer`);
    return answer.request as PlatformRequest;
  }
}

const CHUNK = 1024 * 1024;

/**
 * The file in 1 MiB buffers, read as undici asks for them: several times faster than a piped read
 * stream here (measured by `npm run bench`), and memory stays at a few chunks.
 */
async function* fileChunks(file: string, total: number, onProgress?: (sent: number, total: number) => void): AsyncGenerator<Buffer> {
  const handle = await open(file, "r");
  try {
    for (let sent = 0; sent < total;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, total - sent));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, sent);
      if (bytesRead === 0) throw new OdooError("ODOO_UPGRADE", `${file} became shorter while it was uploaded`);
      sent += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      onProgress?.(sent, total);
    }
  } finally {
    await handle.close();
  }
}

/** Hides a request key wherever it appears (URLs embed it). */
export function redactKey(text: string, key: string | undefined): string {
  return key ? text.split(key).join("[key]") : text;
}
