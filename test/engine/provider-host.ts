import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

// Starts @pulumi/pulumi's own dynamic provider host (cmd/dynamic-provider), the process the
// engine runs for `pulumi-nodejs:dynamic:*` resources, and talks to it over gRPC as the engine does.

export interface HostError extends Error {
  /** Set when create failed after the resource came to exist (ErrorResourceInitFailed). */
  initFailed?: { id: string; properties: Record<string, unknown>; reasons: string[] };
}

export class ProviderHost {
  readonly logs: string[] = [];
  private child: ChildProcess | undefined;
  /** Settled once the host has exited and everything it printed has been read. */
  private closed: Promise<void> = Promise.resolve();
  private client: any;
  private pulumiDir: string;
  private proto: any;

  constructor(
    private readonly cwd: string,
    private readonly project: string,
  ) {
    this.pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] }));
  }

  async start(config: Record<string, string>): Promise<void> {
    const load = (id: string) => require(require.resolve(id, { paths: [this.pulumiDir] }));
    this.proto = {
      grpc: load("@grpc/grpc-js"),
      structproto: load("google-protobuf/google/protobuf/struct_pb"),
      provproto: load(path.join(this.pulumiDir, "proto/provider_pb")),
      provrpc: load(path.join(this.pulumiDir, "proto/provider_grpc_pb")),
      statusproto: load(path.join(this.pulumiDir, "proto/status_pb")),
    };
    // The engine starts the host in the program's directory; stdout's first line is its port.
    this.child = spawn(
      process.execPath,
      ["-r", path.join(__dirname, "host-guard.js"), path.join(this.pulumiDir, "cmd/dynamic-provider/index.js"), "127.0.0.1:0"],
      {
        cwd: this.cwd,
        env: { ...process.env, PULUMI_NODEJS_PROJECT: this.project },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const child = this.child;
    this.closed = new Promise((resolve) => child.once("close", () => resolve()));
    const port = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      this.child!.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const newline = buffer.indexOf("\n");
        if (newline !== -1 && !this.client) resolve(buffer.slice(0, newline).trim());
        if (this.client) this.logs.push(chunk.toString());
      });
      this.child!.on("exit", (code) => reject(new Error(`provider host exited with ${code}: ${this.logs.join("")}`)));
    });
    this.child.stderr!.on("data", (chunk: Buffer) => this.logs.push(chunk.toString()));
    this.client = new this.proto.provrpc.ResourceProviderClient(`127.0.0.1:${port}`, this.proto.grpc.credentials.createInsecure());
    const request = new this.proto.provproto.ConfigureRequest();
    request.setArgs(this.proto.structproto.Struct.fromJavaScript(config));
    request.setAcceptsecrets(false);
    request.setAcceptresources(false);
    await this.rpc("configure", request);
  }

  /** The host's process id, for tests that watch it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  kill(): void {
    this.child?.kill("SIGKILL");
  }

  /**
   * Stops the host, and waits until what it printed last (a delete's progress line, say) has been
   * read: a busy machine may still hold it in the pipe when the process is killed.
   */
  async stop(): Promise<void> {
    this.client?.close();
    this.child?.kill();
    // One that does not end on SIGTERM is not waited for long.
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 5000);
    await this.closed;
    clearTimeout(timer);
  }

  async check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const request = new this.proto.provproto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.rpc("check", request);
    return {
      inputs: response.getInputs().toJavaScript() as Record<string, unknown>,
      failures: response.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })) as { property: string; reason: string }[],
    };
  }

  async diff(urn: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const request = new this.proto.provproto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.rpc("diff", request);
    const DiffChanges = this.proto.provproto.DiffResponse.DiffChanges;
    const changes = response.getChanges();
    return {
      changes: changes === DiffChanges.DIFF_SOME ? true : changes === DiffChanges.DIFF_NONE ? false : undefined,
      replaces: response.getReplacesList() as string[],
      deleteBeforeReplace: response.getDeletebeforereplace() as boolean,
    };
  }

  async create(urn: string, properties: Record<string, unknown>) {
    const request = new this.proto.provproto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(this.struct(properties));
    const response = await this.rpc("create", request);
    return { id: response.getId() as string, properties: response.getProperties().toJavaScript() as Record<string, unknown> };
  }

  async read(urn: string, id: string, properties: Record<string, unknown>, inputs: Record<string, unknown>) {
    const request = new this.proto.provproto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(this.struct(properties));
    request.setInputs(this.struct(inputs));
    const response = await this.rpc("read", request);
    return {
      id: response.getId() as string,
      properties: (response.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      inputs: response.getInputs()?.toJavaScript() as Record<string, unknown> | undefined,
    };
  }

  async update(urn: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const request = new this.proto.provproto.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.rpc("update", request);
    return { properties: response.getProperties().toJavaScript() as Record<string, unknown> };
  }

  async delete(urn: string, id: string, properties: Record<string, unknown>) {
    const request = new this.proto.provproto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(this.struct(properties));
    await this.rpc("delete", request);
  }

  private struct(value: Record<string, unknown>) {
    return this.proto.structproto.Struct.fromJavaScript(value);
  }

  private rpc(method: string, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
      this.client[method](request, (error: any, response: any) => {
        if (!error) return resolve(response);
        const failure: HostError = new Error(error.details || error.message);
        const details = error.metadata?.get("grpc-status-details-bin")?.[0];
        if (details) {
          const status = this.proto.statusproto.Status.deserializeBinary(details);
          for (const any of status.getDetailsList()) {
            if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
            const init = this.proto.provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue());
            failure.initFailed = { id: init.getId(), properties: init.getProperties().toJavaScript(), reasons: init.getReasonsList() };
          }
        }
        reject(failure);
      });
    });
  }
}
