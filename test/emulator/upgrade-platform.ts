import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { json } from "./server";

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

export interface UpgradeOptions {
  stepMs?: number;
  /** The state a processed request ends in. */
  finalState?: "done" | "invalid";
  /** `status` answers this many SERVER:ERROR failures before answering normally. */
  serverErrors?: number;
  contracts?: string[];
  targets?: string[];
  sftpHost?: string;
  sftpPort?: number;
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
  customer_message: string | false;
  created_at: string;
  estimated_time: string | false;
}

const STEPS = ["pending", "processing", "testing"];

export class UpgradePlatform {
  readonly requests = new Map<number, UpgradeRequest>();
  private nextId = 1000;
  private timers = new Set<NodeJS.Timeout>();
  private serverErrors: number;

  constructor(readonly options: UpgradeOptions = {}) {
    this.serverErrors = options.serverErrors ?? 0;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  handle(method: string, params: URLSearchParams, body: Buffer): { failures: UpgradeFailure[]; request?: Record<string, unknown> } {
    if (method === "create") return this.create(params);
    const request = this.requests.get(Number(params.get("request")));
    if (!request || request.key !== params.get("key")) {
      return { failures: [{ reason: "REQUEST:NOT_FOUND", message: "Can not find request" }] };
    }
    switch (method) {
      case "upload":
        request.uploaded = body.length;
        return { failures: [], request: this.view(request) };
      case "request_sftp_access":
        if (request.state !== "draft") return { failures: [{ reason: "REQUEST:INVALID_STATE", message: `The request is in state ${request.state}` }] };
        return {
          failures: [],
          request: {
            ...this.view(request),
            hostname: this.options.sftpHost ?? "127.0.0.1",
            sftp_port: this.options.sftpPort ?? 2222,
            sftp_user: `u${request.id}`,
            shared_file: request.filename,
            request_id: request.id,
            sample_command: `sftp -P ${this.options.sftpPort ?? 2222} u${request.id}@${this.options.sftpHost ?? "127.0.0.1"}`,
          },
        };
      case "process":
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
    if (target && !targets.includes(target)) failures.push({ reason: "TARGET:INVALID", message: `Invalid value "${target}"`, value: target, expected: targets });
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
    const base = `/database/v1/status?request=${request.id}&key=${request.key}`;
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
      notes_url: `/database/v1/notes?request=${request.id}&key=${request.key}`,
      original_sql_url: false,
      original_dump_url: false,
      upgraded_sql_url: request.state === "done" ? `/database/v1/download/upgraded.sql?request=${request.id}&key=${request.key}` : false,
      upgraded_dump_url: request.state === "done" ? `/database/v1/download/upgraded.dump?request=${request.id}&key=${request.key}` : false,
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

export function handleUpgrade(platform: UpgradePlatform, req: IncomingMessage, body: Buffer, res: ServerResponse, method: string): void {
  const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
  const isForm = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
  const params = isForm ? new URLSearchParams(body.toString("utf8")) : query;
  for (const [key, value] of query) if (!params.has(key)) params.set(key, value);
  json(res, 200, platform.handle(method, params, isForm ? Buffer.alloc(0) : body));
}
