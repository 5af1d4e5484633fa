import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Agent, type Dispatcher, type FormData, request } from "undici";
import { OUTCOME_UNKNOWN, OdooTransportError } from "./errors";

// The HTTP layer every client shares: one undici Agent per client, per-call timeouts, and bounded
// retries: of anything for requests that change nothing, and of any request only when it provably
// never reached Odoo or was turned away unprocessed (STYLE rule 4).

export const USER_AGENT = `pulumi-odoo/${require("../../../package.json").version} (+undici)`;

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest wait between attempts, including a server's Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Statuses a proxy answers for Odoo (an error page, a maintenance page): Odoo may have done the work. */
export const PROXY_STATUS = new Set([200, 502, 503, 504]);
/** Answers and failures that prove the request was not processed: safe to send again, whatever it does. */
const NOT_PROCESSED_STATUS = new Set([429]);
const NOT_CONNECTED_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT"]);
/** The request never left (a name that does not resolve is not worth asking again, though). */
const NEVER_SENT_CODES = new Set([...NOT_CONNECTED_CODES, "ENOTFOUND"]);
const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  /** A function gives a fresh body for each attempt (a file read as it is sent can then be sent again). */
  body?: Body | (() => Body);
  timeoutMs: number;
  /**
   * True for requests that change nothing: broken connections, timeouts, 502/503/504 and answers
   * cut short are retried. Every request is retried when it provably never reached the server (a
   * refused connection) or was turned away unprocessed (429), if its body can be sent again.
   */
  retry?: boolean;
  /**
   * The answer is JSON, parsed once here into `json`: "typed", a 200 with a JSON content type;
   * "unless-html", any 200 that is not an HTML page. One that does not parse was cut short, and is
   * asked again like a reset (read-only only).
   */
  json?: "typed" | "unless-html";
  /** For a streamed answer, judged by its headers: false tells one not meant for us, asked again likewise. */
  complete?: (response: HttpResponse) => boolean;
  /** Describes the request in error messages ("res.partner/read"); never holds a secret. */
  label: string;
  /** Called with each failed attempt that will be retried. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}

type Body = string | Buffer | NodeJS.ReadableStream | AsyncIterable<Buffer> | FormData;

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
}

export interface TextResponse {
  status: number;
  headers: HttpResponse["headers"];
  text: string;
  /** The parsed body, when the request expects JSON here and it parsed. */
  json?: { value: unknown };
}

export interface TransportOptions {
  retry?: RetryPolicy;
  /** Test hook: lets tests make waits instant. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Test hooks for every transport in the process. `sleep` is how attempts wait (unless a transport
 * has its own): tests make it instant, record the waits, and act in them (bring a stopped server
 * back). `timeoutCapMs` shortens every request's timeout, so that tests can reach it quickly.
 */
export const transportHooks: { sleep: (ms: number) => Promise<void>; timeoutCapMs?: number } = {
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export class Transport {
  private readonly agent: Agent;
  private readonly retryPolicy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TransportOptions = {}) {
    // Keep-alive stays on (proxies keep connections), but nothing depends on it: a plain Odoo
    // answers every request with `Connection: close` (odoo19-facts §1).
    this.agent = new Agent({ keepAliveTimeout: 4_000, connections: 16 });
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => transportHooks.sleep(ms));
  }

  /** Sends a request and reads its whole body as text; a retried attempt includes the body read. */
  async text(req: HttpRequest): Promise<TextResponse> {
    return this.attempt(req, async () => {
      const response = await this.once(req);
      const text = await readText(response).catch((error) => {
        throw Object.assign(error, { midResponse: true });
      });
      const answer: TextResponse = { status: response.status, headers: response.headers, text };
      if (expectsJson(req, answer)) answer.json = tryParse(text);
      return answer;
    });
  }

  /** Sends a request and hands back the body as a stream (downloads); only the connection is retried. */
  async stream(req: HttpRequest): Promise<HttpResponse> {
    return this.attempt(req, () => this.once(req), true);
  }

  private async attempt<T extends { status: number; headers: HttpResponse["headers"] }>(
    req: HttpRequest,
    run: () => Promise<T>,
    streaming = false,
  ): Promise<T> {
    const replayable = typeof req.body === "function" || !isStreamBody(req.body);
    for (let attempt = 1; ; attempt++) {
      let response: T | undefined;
      let failure: OdooTransportError | undefined;
      try {
        response = await run();
      } catch (error) {
        failure = transportError(req, error);
      }
      const cutShort = !failure && response!.status === 200 && isCutShort(req, response!);
      const retryable = req.retry
        ? failure
          ? RETRYABLE_CODES.has(failure.causeCode ?? "")
          : RETRYABLE_STATUS.has(response!.status) || cutShort
        : replayable && (failure ? NOT_CONNECTED_CODES.has(failure.causeCode ?? "") : NOT_PROCESSED_STATUS.has(response!.status));
      if (!retryable || attempt >= this.retryPolicy.attempts) {
        if (failure) throw failure;
        return response!;
      }
      // A streamed answer that is not used is read to its end, so that its connection is freed.
      if (streaming && response) await (response as unknown as HttpResponse).body.dump();
      const delay = retryDelay(this.retryPolicy, attempt, response?.headers["retry-after"]);
      const reason = failure ? failure.causeCode! : cutShort ? "an answer cut short" : `HTTP ${response!.status}`;
      req.onRetry?.(attempt, reason, delay);
      await this.sleep(delay);
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = timeoutOf(req);
    const { statusCode, headers, body } = await request(req.url, {
      method: req.method,
      headers: { "user-agent": USER_AGENT, ...req.headers },
      body: (typeof req.body === "function" ? req.body() : req.body) as Dispatcher.DispatchOptions["body"],
      dispatcher: this.agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: statusCode, headers, body };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter: string | string[] | undefined): number {
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (header !== undefined) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxDelayMs);
  }
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(exponential + Math.random() * policy.baseDelayMs, policy.maxDelayMs);
}

function transportError(req: HttpRequest, error: unknown): OdooTransportError {
  const causeCode = (error as { code?: string })?.code;
  const timeout = causeCode === "UND_ERR_HEADERS_TIMEOUT" || causeCode === "UND_ERR_BODY_TIMEOUT" || causeCode === "UND_ERR_CONNECT_TIMEOUT";
  const host = safeOrigin(req.url);
  const reason = timeout
    ? `no answer within ${+(timeoutOf(req) / 1000).toFixed(1)} s`
    : `${(error as Error)?.message ?? String(error)}${causeCode ? ` (${causeCode})` : ""}`;
  // A request that changes something and failed after it left may have been applied all the same.
  const neverSent = NEVER_SENT_CODES.has(causeCode ?? "");
  const unknownOutcome = !req.retry && !neverSent;
  const what = neverSent ? `could not reach ${host}` : `the connection to ${host} failed`;
  return new OdooTransportError(
    `${req.label}: ${what}: ${reason}${unknownOutcome ? OUTCOME_UNKNOWN : ""}`,
    causeCode,
    error,
    timeout ? "ODOO_TIMEOUT" : "ODOO_TRANSPORT",
    unknownOutcome,
  );
}

function isCutShort(req: HttpRequest, response: { status: number; headers: HttpResponse["headers"] }): boolean {
  if (req.complete) return !req.complete(response as HttpResponse);
  const answer = response as TextResponse;
  return expectsJson(req, answer) && !answer.json;
}

/** True when `req` says this answer is JSON (see HttpRequest.json). */
export function expectsJson(req: Pick<HttpRequest, "json">, response: TextResponse): boolean {
  if (!req.json || response.status !== 200) return false;
  return req.json === "typed" ? header(response, "content-type").includes("json") : !isHtmlPage(response.text);
}

export function isHtmlPage(text: string): boolean {
  return text.trimStart().startsWith("<");
}

export function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function timeoutOf(req: HttpRequest): number {
  return Math.min(req.timeoutMs, transportHooks.timeoutCapMs ?? Infinity);
}

/** A body read as it is sent (a file's chunks, a stream) cannot be sent a second time. */
function isStreamBody(body: Body | undefined): boolean {
  return !!body && typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] === "function";
}

/** The origin only: paths and query strings may carry keys (the upgrade platform's URLs do). */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the server";
  }
}

export async function readText(response: HttpResponse, limit = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function header(response: { headers: HttpResponse["headers"] }, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/**
 * Writes a streamed answer (a backup, a dump) to `to`: beside it first, renamed when complete, so
 * that a failed or interrupted transfer never leaves a truncated file under the final name.
 */
export async function saveBody(response: HttpResponse, to: string): Promise<void> {
  const partial = `${to}.partial`;
  try {
    // A 1 MiB write buffer: about 1.5 times the throughput of the default 16 KiB (npm run bench).
    await pipeline(response.body, createWriteStream(partial, { mode: 0o600, highWaterMark: 1024 * 1024 }));
    await rename(partial, to);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
