import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A loopback proxy in front of a real Odoo that notes every call passing through it, so that an
// acceptance test can say exactly what a preview or an up sent, as the emulator's request log does:
// `model/method` for JSON-2 and /jsonrpc execute_kw, `web/database/<op>` for the database manager.

export class RecordingProxy {
  readonly calls: string[] = [];
  private server: Server | undefined;
  url = "";

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const body = Buffer.concat(chunks);
        const call = describeCall(incoming.url ?? "/", body);
        if (call) this.calls.push(call);
        const forward = request(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forward.on("error", () => outgoing.destroy());
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** The calls since `from` that change something on the server. */
  writesSince(from: number): string[] {
    return this.calls.slice(from).filter((call) => WRITE.test(call));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const WRITE = /\/(create|write|unlink|copy|execute|button_\w+)$|^web\/database\/(?!list)/;

function describeCall(url: string, body: Buffer): string | undefined {
  const path = url.split("?")[0];
  if (path.startsWith("/json/2/")) return path.slice("/json/2/".length).split("/").map(decodeURIComponent).join("/");
  if (path.startsWith("/web/database/")) return path.slice(1);
  if (path !== "/jsonrpc") return undefined;
  try {
    const { service, method, args } = JSON.parse(body.toString("utf8")).params;
    return service === "object" && method === "execute_kw" ? `${args[3]}/${args[4]}` : `${service}/${method}`;
  } catch {
    return "jsonrpc/unreadable";
  }
}
