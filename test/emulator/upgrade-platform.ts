import { randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import { json, readBody } from "./server";

// A fake of Odoo's upgrade platform (shared/upgrade-platform.md): every method answers
// {failures, request}; a processed request walks pending → processing → testing → done (or the
// scripted final state), one step every `stepMs`.

export interface UpgradeFailure {
  reason: string;
  message: string;
  code?: string;
  value?: string;
  expected?: string[];
}

export interface SftpAccess {
  host: string;
  port: number;
  user: string;
  /** The directory the SFTP user lands in (internal-sftp -d): shared files live there. */
  dir: string;
  /** Where the keys sent with request_sftp_access are written, for the test's sshd. */
  authorizedKeysFile: string;
}

export interface UpgradeOptions {
  stepMs?: number;
  /** The state a processed request ends in. */
  finalState?: "done" | "invalid";
  /** `status` answers this many SERVER:ERROR failures before answering normally. */
  serverErrors?: number;
  contracts?: string[];
  targets?: string[];
  sftp?: SftpAccess;
}

interface UpgradeRequest {
  id: number;
  key: string;
  email: string;
  target: string;
  aim: string;
  filename: string;
  state: string;
  uploaded: number;
  /** The uploaded dump, kept when small: the "upgraded" dump handed back is the same bytes. */
  content?: Buffer;
  viaSftp: boolean;
  customer_message: string | false;
  created_at: string;
  estimated_time: string | false;
}

const STEPS = ["pending", "processing", "testing"];
const KEEP_BYTES = 64 * 1024 * 1024;

export class UpgradePlatform {
  readonly requests = new Map<number, UpgradeRequest>();
  private nextId = 1000;
  private timers = new Set<NodeJS.Timeout>();
  private serverErrors: number;

  constructor(readonly options: UpgradeOptions = {}) {
    this.serverErrors = options.serverErrors ?? 0;
  }

  /** The next `count` status calls answer a SERVER:ERROR failure. */
  failStatus(count: number): void {
    this.serverErrors = count;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  handle(
    method: string,
    params: URLSearchParams,
    body: Buffer,
    uploaded = 0,
    content?: Buffer,
  ): { failures: UpgradeFailure[]; request?: Record<string, unknown> } {
    if (method === "create") return this.create(params);
    const request = this.requests.get(Number(params.get("request")));
    if (!request || request.key !== params.get("key")) {
      return { failures: [{ reason: "REQUEST:NOT_FOUND", message: "Can not find request" }] };
    }
    switch (method) {
      case "upload":
        request.uploaded = uploaded;
        request.content = content;
        return { failures: [], request: this.view(request) };
      case "request_sftp_access": {
        if (request.state !== "draft") return { failures: [{ reason: "REQUEST:INVALID_STATE", message: `The request is in state ${request.state}` }] };
        const sftp = this.options.sftp;
        if (!sftp) return { failures: [{ reason: "SFTP:UNAVAILABLE", message: "SFTP is not available" }] };
        const keys = body.toString("utf8");
        if (!/^(ssh-|ecdsa-)/m.test(keys)) return { failures: [{ reason: "SSH_KEYS:INVALID", message: "No valid public key given" }] };
        writeFileSync(sftp.authorizedKeysFile, keys, { mode: 0o600 });
        request.viaSftp = true;
        return {
          failures: [],
          request: {
            ...this.view(request),
            hostname: sftp.host,
            sftp_port: sftp.port,
            sftp_user: sftp.user,
            shared_file: request.filename,
            request_id: request.id,
            sample_command: `sftp -P ${sftp.port} ${sftp.user}@${sftp.host}`,
          },
        };
      }
      case "process":
        if (request.viaSftp && this.options.sftp) {
          const file = path.join(this.options.sftp.dir, request.filename);
          request.uploaded = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
          if (request.uploaded && request.uploaded <= KEEP_BYTES) request.content = readFileSync(file);
        }
        if (request.uploaded === 0) return { failures: [{ reason: "DUMP:MISSING", message: "No dump was uploaded" }] };
        if (request.state === "draft") {
          request.state = "pending";
          this.advance(request, 0);
        }
        return { failures: [], request: this.view(request) };
      case "status":
        if (this.serverErrors > 0) {
          this.serverErrors--;
          return { failures: [{ reason: "SERVER:ERROR", message: "Internal server error, please retry" }] };
        }
        return { failures: [], request: this.view(request) };
    }
    return { failures: [{ reason: "METHOD:UNKNOWN", message: `Unknown method ${method}` }] };
  }

  private create(params: URLSearchParams) {
    const failures: UpgradeFailure[] = [];
    const targets = this.options.targets ?? ["16.0", "17.0", "18.0", "19.0"];
    const contract = params.get("contract") ?? "";
    const target = params.get("target") ?? "";
    for (const name of ["contract", "email", "target", "aim", "filename"]) {
      if (!params.get(name)) failures.push({ reason: `${name.toUpperCase()}:MISSING`, message: `Missing parameter ${name}` });
    }
    if (target && !targets.includes(target))
      failures.push({ reason: "TARGET:INVALID", message: `Invalid value "${target}"`, value: target, expected: targets });
    if (contract && !(this.options.contracts ?? [contract]).includes(contract)) {
      failures.push({ reason: "CONTRACT:NOT_FOUND", message: `Can not find contract ${contract}`, code: contract });
    }
    if (failures.length) return { failures };
    const request: UpgradeRequest = {
      id: this.nextId++,
      key: randomBytes(16).toString("hex"),
      email: params.get("email")!,
      target,
      aim: params.get("aim")!,
      filename: params.get("filename")!,
      state: "draft",
      uploaded: 0,
      viaSftp: false,
      customer_message: false,
      created_at: new Date().toISOString().slice(0, 19).replace("T", " "),
      estimated_time: false,
    };
    this.requests.set(request.id, request);
    return { failures, request: this.view(request) };
  }

  private advance(request: UpgradeRequest, step: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (step + 1 < STEPS.length) {
        request.state = STEPS[step + 1];
        request.estimated_time = "00:05";
        this.advance(request, step + 1);
      } else {
        request.state = this.options.finalState ?? "done";
        if (request.state === "invalid") request.customer_message = "The database could not be upgraded: the dump is not a valid Odoo database.";
      }
    }, this.options.stepMs ?? 50);
    this.timers.add(timer);
  }

  view(request: UpgradeRequest): Record<string, unknown> {
    const base = `/upgrade/database/v1/status?request=${request.id}&key=${request.key}`;
    return {
      id: request.id,
      key: request.key,
      email: request.email,
      target: request.target,
      aim: request.aim,
      filename: request.filename,
      timezone: false,
      state: request.state,
      issue_stage: false,
      issue: false,
      status_url: base,
      notes_url: `/upgrade/database/v1/notes?request=${request.id}&key=${request.key}`,
      original_sql_url: false,
      original_dump_url: false,
      upgraded_sql_url: request.state === "done" ? `/upgrade/database/v1/download/upgraded.sql?request=${request.id}&key=${request.key}` : false,
      upgraded_dump_url: request.state === "done" ? `/upgrade/database/v1/download/upgraded.dump?request=${request.id}&key=${request.key}` : false,
      modules_url: false,
      filesize: `${(request.uploaded / 1024).toFixed(2)} Kb`,
      database_uuid: false,
      created_at: request.created_at,
      estimated_time: request.estimated_time,
      processed_at: false,
      elapsed: "00:00",
      filestore: false,
      customer_message: request.customer_message,
      database_version: "17.0",
      postgresql: "15",
      compressions: ["pgdmp_custom", "sql"],
    };
  }
}

export async function handleUpgrade(platform: UpgradePlatform, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
  if (method.startsWith("download/")) {
    const request = platform.requests.get(Number(query.get("request")));
    if (!request || request.key !== query.get("key") || request.state !== "done")
      return json(res, 404, { failures: [{ reason: "REQUEST:NOT_FOUND", message: "Not found" }] });
    res.writeHead(200, { "content-type": "application/octet-stream" });
    // The emulator upgrades nothing: the "upgraded" dump is the uploaded one (when it was kept).
    return void res.end(request.content ?? `upgraded dump of request ${request.id} (${request.uploaded} bytes uploaded)\n`);
  }
  // Uploads are counted, not kept: the benchmarks send gigabytes.
  let uploaded = 0;
  let body: Buffer = Buffer.alloc(0);
  let chunks: Buffer[] | undefined = [];
  if (method === "upload") {
    for await (const chunk of req) {
      uploaded += (chunk as Buffer).length;
      if (chunks && uploaded <= KEEP_BYTES) chunks.push(chunk as Buffer);
      else chunks = undefined;
    }
  } else {
    body = await readBody(req);
  }
  const contentType = req.headers["content-type"] ?? "";
  const params = contentType.includes("application/x-www-form-urlencoded") ? new URLSearchParams(body.toString("utf8")) : new URLSearchParams();
  for (const [key, value] of query) if (!params.has(key)) params.set(key, value);
  const payload = contentType.startsWith("multipart/form-data") ? multipartFile(contentType, body) : body;
  json(res, 200, platform.handle(method, params, payload, uploaded, chunks && uploaded ? Buffer.concat(chunks) : undefined));
}

/** The first part's content of a multipart body (ssh_keys). */
function multipartFile(contentType: string, body: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const text = body.toString("utf8");
  const start = text.indexOf("\r\n\r\n");
  const end = text.indexOf(`\r\n--${boundary[1] ?? boundary[2]}`, start);
  return Buffer.from(text.slice(start + 4, end === -1 ? undefined : end));
}
