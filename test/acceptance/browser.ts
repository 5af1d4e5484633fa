import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { WebSocket } from "undici";
import { tempDir } from "../temp";

// A headless Chromium (Debian's `chromium`) driven over the DevTools protocol, to use Odoo's web
// client as a person does: log in, open a menu, read what the list shows, take a screenshot.

/** Why no browser can run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  return spawnSync("chromium", ["--version"]).status === 0 ? undefined : "no chromium on PATH (Debian's chromium package; .ci/run installs it)";
}

export class Browser {
  private process: ChildProcess | undefined;
  private socket: WebSocket | undefined;
  private readonly profile = tempDir("pulumi-odoo-chromium-");
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private session = "";
  /** What the page threw or logged as an error, said when a wait fails. */
  private readonly pageErrors: string[] = [];

  async start(): Promise<void> {
    this.process = spawn(
      "chromium",
      [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--remote-debugging-port=0",
        `--user-data-dir=${this.profile}`,
        "--window-size=1280,800",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = "";
      this.process!.stderr!.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
        if (match) resolve(match[1]);
      });
      this.process!.on("exit", (code) => reject(new Error(`chromium exited with ${code}: ${text.slice(-500)}`)));
    });
    this.socket = new WebSocket(endpoint);
    await new Promise((resolve, reject) => {
      this.socket!.addEventListener("open", resolve, { once: true });
      this.socket!.addEventListener("error", () => reject(new Error(`could not reach chromium at ${endpoint}`)), { once: true });
    });
    this.socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data));
      if (message.method === "Runtime.exceptionThrown")
        this.pageErrors.push(message.params.exceptionDetails?.exception?.description ?? message.params.exceptionDetails?.text);
      if (message.method === "Log.entryAdded" && message.params.entry?.level === "error")
        this.pageErrors.push(`${message.params.entry.text} (${message.params.entry.url ?? ""})`);
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`chromium: ${message.error.message}`));
      else waiter.resolve(message.result);
    });
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" }, false);
    this.session = (await this.send("Target.attachToTarget", { targetId, flatten: true }, false)).sessionId;
    await this.send("Runtime.enable");
    await this.send("Log.enable");
  }

  /** Sends a DevTools command, to the page unless `toPage` is false. */
  send(method: string, params: Record<string, unknown> = {}, toPage = true): Promise<any> {
    const id = this.nextId++;
    this.socket!.send(JSON.stringify({ id, method, params, ...(toPage ? { sessionId: this.session } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  async goto(url: string): Promise<void> {
    await this.send("Page.navigate", { url });
  }

  /** Waits until `expression` is truthy in the page, up to `seconds`; its last value. */
  async waitFor<T>(expression: string, what: string, seconds = 60): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const value = await this.evaluate<T>(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) {
        const errors = this.pageErrors.length ? `; the page's errors: ${this.pageErrors.slice(0, 3).join(" | ")}` : "; the page reported no error";
        throw new Error(`waited ${seconds} s for ${what} in ${await this.evaluate<string>("location.href").catch(() => "?")}${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** A PNG of what the page shows. */
  async screenshot(): Promise<Buffer> {
    const { data } = await this.send("Page.captureScreenshot", { format: "png" });
    return Buffer.from(data, "base64");
  }

  async stop(): Promise<void> {
    this.socket?.close();
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process!.once("exit", resolve));
      this.process.kill("SIGTERM");
      await exited;
    }
    // Chromium's helper processes may still be writing the profile for a while after it exits (over
    // a second seen in CI): what is left then goes when the test's process exits (tempDir).
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // removed at exit
    }
  }
}
