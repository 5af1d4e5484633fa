import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { changedKeys, type EngineOptions, finish, type RunResult, SECRET, SIG, type StateResource, type Step, updatedKeys } from "../engine/engine";
import { tempDir } from "../temp";

// The real Pulumi CLI running a program, with the same face as our engine-level driver (test/engine),
// so that a suite runs through either: each operation is the CLI command a user types, with a local
// file backend; what happened is read from the CLI's event log, and the state from `pulumi stack
// export`. Where the two disagree, the CLI is right.

export interface CliEngineOptions extends EngineOptions {
  /** The folder holding `pulumi`, its Node.js language host and the dynamic provider plugin. */
  cliDir: string;
}

/** The events of the CLI's event log that we read (one JSON object a line, one key each). */
interface EngineEvent {
  resOutputsEvent?: { metadata: StepMetadata };
  resOpFailedEvent?: { metadata: StepMetadata };
  diagnosticEvent?: { urn?: string; message: string; severity: string };
}

interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  keys?: string[];
  diffs?: string[];
  old?: { custom?: boolean; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
  new?: { custom?: boolean; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
}

/** A check failure as the engine words it: "<type> resource '<name>': property <p> value {<v>} has a problem: <reason>". */
const CHECK_FAILURE = /^\S+ resource '[^']*': property (\S+) value \{[\s\S]*?\} has a problem: ([\s\S]*)$/;
/** The engine's own closing line of a failed operation, said after the resources' own errors. */
const OPERATION_FAILED = /^(preview|update|refresh|destroy) failed$/;

export class CliEngine {
  readonly state = new Map<string, StateResource>();
  readonly logs: string[] = [];
  private readonly project: string;
  private readonly stack: string;
  private readonly dir: string;
  private readonly home: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly pending = new Map<string, { value: string; secret: boolean }>();
  /** The state as `pulumi stack export` wrote it last, and the stack's outputs in it. */
  private exported = "";
  private stackOutputs: Record<string, unknown> = {};
  private initialized: Promise<void> | undefined;
  private operations = 0;
  /** How long the last operation's `pulumi` command ran, in ms: what its user waits for, without our reading its events and state after it. */
  lastCommandMs = 0;

  constructor(private readonly options: CliEngineOptions) {
    this.project = options.project ?? "pulumi-odoo-test";
    this.stack = options.stack ?? "dev";
    // The stack's backend, the CLI's home and the project folder are the engine's own: engines side
    // by side, in this process or another, share no stack file and nothing a program writes beside
    // itself (dumps/, backups/). The folder is inside this package, so the program finds pulumi-odoo.
    const projects = path.join(__dirname, "stacks");
    mkdirSync(projects, { recursive: true });
    this.home = tempDir(`${path.basename(options.programDir)}-`, projects);
    mkdirSync(path.join(this.home, "backend"));
    this.dir = path.join(this.home, "project");
    cpSync(options.programDir, this.dir, { recursive: true, filter: (source) => !/^(Pulumi\..*\.yaml|dumps|backups)$/.test(path.basename(source)) });
    ensureProject(this.dir, this.project);
    this.env = {
      ...process.env,
      PATH: `${options.cliDir}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(this.home, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.home, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_DEBUG_COMMANDS: "true", // for --event-log
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    for (const [key, value] of Object.entries(options.config ?? {})) this.pending.set(key, { value, secret: (options.secretConfig ?? []).includes(key) });
  }

  setConfig(key: string, value: string, secret = false): void {
    this.pending.set(key, { value, secret });
  }

  preview(): Promise<RunResult> {
    return this.operation("preview", []);
  }

  /**
   * `pulumi up`; `continueOnError`: the engine goes on with the other resources after one fails (its
   * default is to stop); `env`: variables set for this command alone, as `NAME=value pulumi up`.
   */
  up(options: { continueOnError?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return this.operation("up", ["--yes", "--skip-preview", ...(options.continueOnError ? ["--continue-on-error"] : [])], options.env);
  }

  /**
   * Starts `pulumi up` and sends the CLI `signal` (SIGINT as Ctrl-C, SIGKILL as `kill -9`) once
   * `when` says so; resolves when it has exited. The CLI alone gets the signal, as a user's `kill`
   * sends it: its plugins and the program, left without it, finish what they were doing (our
   * provider's calls in flight among them) and are then stopped here, having nothing left to do.
   */
  async interruptedUp(signal: NodeJS.Signals, when: () => Promise<boolean>): Promise<{ code: number | null; output: string }> {
    await this.ready();
    const child = spawn(path.join(this.options.cliDir, "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive"], {
      cwd: this.dir,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));
    while (running && !(await when())) await new Promise((resolve) => setTimeout(resolve, 100));
    if (running) child.kill(signal);
    const code = await exited;
    await this.stopLeftovers();
    const emptied = signal === "SIGKILL" ? this.deleteEmptySidecars() : [];
    if (emptied.length) output += `(test) deleted the empty ${emptied.join(", ")} the kill left, as the README says\n`;
    await this.loadState();
    this.logs.push(output);
    return { code, output };
  }

  /**
   * The README's step after a `kill -9`: the file backend rewrites a state file's sidecar
   * (`<stack>.json.attrs`) in place, so a kill at that instant leaves it empty, and every command
   * then fails with "failed to load checkpoint: EOF" until it is deleted. Returns the files deleted.
   */
  private deleteEmptySidecars(): string[] {
    const stacks = path.join(this.home, "backend", ".pulumi", "stacks");
    const files = readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".attrs"));
    const empty = files.filter((file) => statSync(path.join(stacks, file)).size === 0);
    for (const file of empty) rmSync(path.join(stacks, file));
    return empty;
  }

  /** Processes still running in the project folder (the CLI's plugins and program), stopped once idle for `quietMs`. */
  private async stopLeftovers(quietMs = 3000): Promise<void> {
    const leftovers = () =>
      readdirSync("/proc")
        .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
        .filter((pid) => {
          try {
            return readlinkSync(`/proc/${pid}/cwd`) === this.dir;
          } catch {
            return false;
          }
        });
    const cpuTime = (pid: string) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return Number(fields[11]) + Number(fields[12]);
      } catch {
        return 0;
      }
    };
    // Idle: no CPU used by any of them for quietMs (their calls to Odoo answered, nothing queued).
    let last = "";
    for (let looks = 0; looks < 20; looks++) {
      const now = leftovers()
        .map((pid) => `${pid}:${cpuTime(pid)}`)
        .join(",");
      if (now === last) break;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    for (const pid of leftovers()) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone already
      }
    }
  }

  /** `pulumi cancel`: releases the stack's lock that a killed CLI left behind. */
  async cancel(): Promise<void> {
    const result = await this.pulumi(["cancel", "--yes"]);
    if (result.code !== 0) throw new Error(`pulumi cancel failed: ${result.stderr.trim() || result.stdout.trim()}`);
  }

  /** The operations the state says were under way when the CLI stopped, as "creating tag-012". */
  pendingOperations(): string[] {
    const deployment = JSON.parse(this.exported || "{}").deployment as { pending_operations?: { type: string; resource: { urn: string } }[] } | undefined;
    return (deployment?.pending_operations ?? []).map((operation) => `${operation.type} ${nameOf(operation.resource.urn)}`);
  }

  /** Removes a resource from the state and nothing from Odoo, as a lost state would (`pulumi state delete`). */
  async forget(urn: string): Promise<void> {
    await this.ready();
    const result = await this.pulumi(["state", "delete", urn, "--yes"]);
    if (result.code !== 0) throw new Error(`pulumi state delete failed: ${result.stderr.trim()}`);
    await this.loadState();
  }

  /** `pulumi refresh`; `clearPendingCreates`: drops the creates a killed CLI left pending from the state. */
  refresh(options: { clearPendingCreates?: boolean } = {}): Promise<RunResult> {
    return this.operation("refresh", ["--yes", "--skip-preview", ...(options.clearPendingCreates ? ["--clear-pending-creates"] : [])]);
  }

  destroy(): Promise<RunResult> {
    return this.operation("destroy", ["--yes", "--skip-preview"]);
  }

  /** The state as `pulumi stack export` writes it: secrets encrypted. */
  checkpoint(): string {
    return this.exported;
  }

  /** Runs `pulumi ARGS` in the project; resolves with its output, whatever its exit code. */
  private async pulumi(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        path.join(this.options.cliDir, "pulumi"),
        args,
        { cwd: this.dir, env: { ...this.env, ...env }, maxBuffer: 256 << 20 },
        (error, stdout, stderr) => {
          const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
          resolve({ code: Number.isNaN(code) ? 1 : code, stdout, stderr });
        },
      );
      child.stdin?.end(); // nothing to answer: no prompt waits
    });
  }

  private async ready(): Promise<void> {
    this.initialized ??= (async () => {
      const made = await this.pulumi(["stack", "init", this.stack, "--non-interactive"]);
      if (made.code !== 0) throw new Error(`pulumi stack init failed: ${made.stderr.trim()}`);
    })();
    await this.initialized;
    if (!this.pending.size) return;
    const args = ["config", "set-all"];
    for (const [key, { value, secret }] of this.pending) args.push(secret ? "--secret" : "--plaintext", `${key}=${value}`);
    this.pending.clear();
    const set = await this.pulumi(args);
    if (set.code !== 0) throw new Error(`pulumi config set-all failed: ${set.stderr.trim()}`);
  }

  private async operation(command: "preview" | "up" | "refresh" | "destroy", flags: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
    await this.ready();
    const eventLog = path.join(this.home, `events-${++this.operations}.json`);
    const args = [command, ...flags, "--non-interactive", "--event-log", eventLog];
    if (this.options.parallel) args.push("--parallel", String(this.options.parallel));
    const started = performance.now();
    const { stdout, stderr } = await this.pulumi(args, env);
    this.lastCommandMs = performance.now() - started;
    this.logs.push(stdout, stderr);
    let events: EngineEvent[];
    try {
      events = readFileSync(eventLog, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    } catch {
      throw new Error(`pulumi ${command} wrote no event log: ${stderr.trim() || stdout.trim()}`);
    } finally {
      if (!process.env.PULUMI_ODOO_KEEP_EVENTS) rmSync(eventLog, { force: true });
    }
    const result = this.read(events, command);
    if (command !== "preview") await this.loadState();
    if (command === "up") result.outputs = this.stackOutputs;
    if (command === "preview") result.outputs = previewOutputs(events);
    return result;
  }

  /** Steps, errors and logs from the CLI's events, in the shape of the driver's results. */
  private read(events: EngineEvent[], command: string): RunResult {
    const steps: Step[] = [];
    /** What each resource's error diagnostics said, and which of them were check failures. */
    const refused = new Map<string, { errors: string[]; failures: { property: string; reason: string }[] }>();
    const general: string[] = [];
    const replaced = new Set<string>();
    for (const event of events) {
      const diagnostic = event.diagnosticEvent;
      if (diagnostic && diagnostic.severity !== "debug") {
        const message = diagnostic.message.replace(/\n$/, "");
        this.logs.push(`${diagnostic.severity}: ${message}\n`);
        if (diagnostic.severity !== "error") continue;
        if (!diagnostic.urn || diagnostic.urn.includes("::pulumi:pulumi:Stack::")) {
          if (!OPERATION_FAILED.test(message)) general.push(message);
          continue;
        }
        const said = refused.get(diagnostic.urn) ?? { errors: [], failures: [] };
        refused.set(diagnostic.urn, said);
        const failure = CHECK_FAILURE.exec(message);
        if (failure) said.failures.push({ property: failure[1], reason: failure[2] });
        said.errors.push(failure ? `${failure[1]}: ${failure[2]}` : message);
      }
      const done = event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
      if (done && (done.new ?? done.old)?.custom && !done.type.startsWith("pulumi:providers:")) {
        // The old copy's delete shows as a step of its own when it comes after the replacement (the
        // driver's results have it so); deleted before (deleteBeforeReplace), or in a preview, it is
        // part of the replace.
        if (done.op === "replace") replaced.add(done.urn);
        const shown = done.op !== "delete-replaced" || (command !== "preview" && replaced.has(done.urn));
        const step = shown ? toStep(done, command) : undefined;
        if (step) steps.push(step);
      }
    }
    // A resource refused at check has no step of its own in the events: the driver showed one.
    for (const [urn, said] of refused) {
      let step = steps.find((s) => s.urn === urn);
      if (!step) steps.push((step = { urn, name: nameOf(urn), op: this.state.has(urn) ? "same" : "create" }));
      step.error = said.errors.join("; ");
      if (said.failures.length) step.failures = said.failures;
    }
    for (const step of steps) this.options.onStep?.(step);
    const errors = [...new Set(steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`))];
    if (errors.length === 0) errors.push(...general);
    return finish(steps, errors, {});
  }

  /** The state from `pulumi stack export`: custom resources only, secrets shown and remembered. */
  private async loadState(): Promise<void> {
    const [plain, shown] = await Promise.all([this.pulumi(["stack", "export"]), this.pulumi(["stack", "export", "--show-secrets"])]);
    if (plain.code !== 0 || shown.code !== 0) throw new Error(`pulumi stack export failed: ${plain.stderr.trim() || shown.stderr.trim()}`);
    this.exported = plain.stdout;
    const deployment = JSON.parse(shown.stdout).deployment as { resources?: ExportedResource[] };
    this.state.clear();
    this.stackOutputs = {};
    for (const resource of deployment.resources ?? []) {
      if (resource.type === "pulumi:pulumi:Stack") {
        this.stackOutputs = Object.fromEntries(Object.entries(resource.outputs ?? {}).map(([key, value]) => [key, isSecret(value) ? { secret: true } : value]));
      }
      if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
      const inputs = reveal(resource.inputs ?? {});
      const outputs = reveal(resource.outputs ?? {});
      this.state.set(resource.urn, {
        urn: resource.urn,
        type: resource.type,
        name: nameOf(resource.urn),
        id: resource.id ?? "",
        inputs: inputs.values,
        outputs: outputs.values,
        secretInputs: inputs.secret,
        secretOutputs: outputs.secret,
        dependencies: resource.dependencies ?? [],
        ...(resource.initErrors ? { initErrors: resource.initErrors } : {}),
      });
    }
  }
}

/**
 * Makes the compiled program's folder a Pulumi project (Pulumi.yaml), as a user's project folder
 * is: the program and the provider host run there, and find pulumi-odoo by its own name (this
 * package refers to itself). `main: index.js`, because the language host we can build (sdk/v3
 * v3.68.0's, README) runs `main` only when it names a file: given a folder it would run the folder
 * of the nearest package.json, this package's own `main`.
 */
export function ensureProject(programDir: string, project: string): string {
  const file = path.join(programDir, "Pulumi.yaml");
  const text = `name: ${project}\nruntime: nodejs\nmain: index.js\n`;
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  return programDir;
}

interface ExportedResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  initErrors?: string[];
}

function nameOf(urn: string): string {
  return urn.split("::").pop()!;
}

/** One engine step as the driver reports it; replacements are one "replace" step, as the driver has them. */
function toStep(metadata: StepMetadata, command: string): Step | undefined {
  const step: Step = { urn: metadata.urn, name: nameOf(metadata.urn), op: "same" };
  const inputs = (side: StepMetadata["old"]) => side?.inputs ?? {};
  const outputs = (side: StepMetadata["old"]) => side?.outputs ?? {};
  if (command === "refresh") {
    if (metadata.op === "delete") step.op = "read-gone";
    else {
      step.op = "refresh";
      const diffs = changedKeys(outputs(metadata.old), outputs(metadata.new));
      if (diffs.length) step.diffs = diffs;
    }
    return step;
  }
  switch (metadata.op) {
    case "same":
    case "create":
    case "delete":
      step.op = metadata.op;
      return step;
    case "update":
      step.op = "update";
      step.diffs = metadata.diffs?.length ? metadata.diffs : updatedKeys(outputs(metadata.old), inputs(metadata.old), inputs(metadata.new));
      return step;
    case "replace":
      step.op = "replace";
      step.diffs = [...(metadata.keys ?? [])].sort();
      return step;
    case "delete-replaced":
      // The old copy's delete, a step of its own in the driver's results too.
      step.op = "delete";
      return step;
    default:
      // create-replacement, read, discard: parts of a step the driver shows as one.
      return undefined;
  }
}

function isSecret(value: unknown): value is { plaintext: string } {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET;
}

/** Values with secrets shown (`--show-secrets` leaves them marked, holding their JSON text), and which keys were secret. */
function reveal(values: Record<string, unknown>): { values: Record<string, unknown>; secret: string[] } {
  const secret: string[] = [];
  const show = (value: unknown, key: string): unknown => {
    if (isSecret(value)) {
      if (!secret.includes(key)) secret.push(key);
      return show(JSON.parse(value.plaintext), key);
    }
    if (Array.isArray(value)) return value.map((v) => show(v, key));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, show(v, key)]));
    return value;
  };
  return { values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, show(value, key)])), secret };
}

/** A preview's stack outputs, as the events carry them. */
function previewOutputs(events: EngineEvent[]): Record<string, unknown> {
  let outputs: Record<string, unknown> = {};
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata;
    if (metadata?.type === "pulumi:pulumi:Stack") outputs = metadata.new?.outputs ?? outputs;
  }
  return outputs;
}
