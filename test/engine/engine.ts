import { fork } from "node:child_process";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import * as path from "node:path";
import { UNKNOWN } from "../../provider/internal/check";
import { type HostError, ProviderHost } from "./provider-host";

// A small Pulumi engine for tests and the main job: it runs a program (program-runner.ts), drives
// @pulumi/pulumi's real dynamic provider host through Check, Diff, Create, Read, Update and Delete
// as the engine does, keeps a checkpoint, and encrypts secrets in it as a stack would.

/** How the engine marks a secret value in a state (a special signature key, and its value). */
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET = "1b47061264138c4ac30d75fd1eb44270";

export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  secretInputs: string[];
  secretOutputs: string[];
  /** Created, but its create failed part-way (ErrorResourceInitFailed): the next up updates it. */
  initErrors?: string[];
  /** The URNs this resource depends on: it is deleted only after every resource that depends on it. */
  dependencies: string[];
}

export interface Step {
  urn: string;
  name: string;
  op: "create" | "update" | "replace" | "same" | "delete" | "refresh" | "read-gone";
  diffs?: string[];
  error?: string;
  failures?: { property: string; reason: string }[];
}

export interface RunResult {
  steps: Step[];
  errors: string[];
  outputs: Record<string, unknown>;
  /** Steps that changed something (or would, in a preview): anything but "same". */
  changes: Step[];
}

export interface EngineOptions {
  /** The directory of the compiled program (index.js). */
  programDir: string;
  project?: string;
  stack?: string;
  config?: Record<string, string>;
  secretConfig?: string[];
  /** Where the checkpoint is written after each operation (secrets encrypted), and read by load(). */
  statePath?: string;
  /** The 32-byte key of the checkpoint's secrets; default: a new one (the checkpoint cannot be loaded again). */
  stateKey?: Buffer;
  /** Receives every step as it happens, for people watching the main job. */
  onStep?: (step: Step) => void;
  /** Steps in flight at once, as `pulumi up --parallel`: default PULUMI_PARALLEL, else 4 × CPUs (the engine's). */
  parallel?: number;
}

/** The engine's default parallelism (pulumi/pulumi#15016): 4 × CPUs, or PULUMI_PARALLEL. */
export function defaultParallelism(): number {
  const configured = Number(process.env.PULUMI_PARALLEL);
  return configured > 0 ? configured : 4 * cpus().length;
}

/** At most `limit` of the works given to it run at once. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class Engine {
  readonly state = new Map<string, StateResource>();
  readonly logs: string[] = [];
  private readonly project: string;
  private readonly stack: string;
  private readonly key: Buffer;
  private host: ProviderHost | undefined;
  /** The stack's outputs after the last up that succeeded: what a failed run reports, as the engine does. */
  private stackOutputs: Record<string, unknown> = {};
  private readonly slots: Slots;

  constructor(private readonly options: EngineOptions) {
    this.project = options.project ?? "pulumi-odoo-test";
    this.stack = options.stack ?? "dev";
    this.slots = new Slots(options.parallel ?? defaultParallelism());
    this.key = options.stateKey ?? randomBytes(32);
  }

  /** Reads the checkpoint at statePath (written with the same stateKey), if there is one. */
  load(): void {
    const file = this.options.statePath;
    if (!file || !existsSync(file)) return;
    const { checkpoint } = JSON.parse(readFileSync(file, "utf8"));
    for (const r of checkpoint.latest.resources) {
      const inputs = this.decryptAll(r.inputs);
      const outputs = this.decryptAll(r.outputs);
      this.state.set(r.urn, {
        urn: r.urn,
        type: r.type,
        name: r.urn.split("::").pop(),
        id: r.id,
        inputs: inputs.values,
        outputs: outputs.values,
        secretInputs: inputs.secret,
        secretOutputs: outputs.secret,
        dependencies: r.dependencies ?? [],
        ...(r.initErrors ? { initErrors: r.initErrors } : {}),
      });
    }
  }

  private decryptAll(values: Record<string, unknown>): { values: Record<string, unknown>; secret: string[] } {
    const secret: string[] = [];
    const plain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      const sealed = value as Record<string, string> | null;
      if (sealed && typeof sealed === "object" && sealed[SIG] === SECRET) {
        const [, iv, text] = sealed.ciphertext.split(":");
        const data = Buffer.from(text, "base64");
        const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
        decipher.setAuthTag(data.subarray(data.length - 16));
        plain[key] = JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8"));
        secret.push(key);
      } else {
        plain[key] = value;
      }
    }
    return { values: plain, secret };
  }

  setConfig(key: string, value: string, secret = false): void {
    this.options.config = { ...this.options.config, [key]: value };
    if (secret) this.options.secretConfig = [...(this.options.secretConfig ?? []), key];
  }

  preview(): Promise<RunResult> {
    return this.withHost((host) => this.run(host, true));
  }

  /** `options` as the CLI engine's: the driver always goes on with the other resources after one fails, as `--continue-on-error`. */
  up(_options: { continueOnError?: boolean } = {}): Promise<RunResult> {
    return this.withHost((host) => this.run(host, false));
  }

  /** Reads every resource at once, as the engine's refresh does (it reads in parallel). */
  refresh(): Promise<RunResult> {
    return this.withHost(async (host) => {
      const steps: Step[] = [];
      await Promise.all(
        [...this.state.values()].map(async (resource) => {
          const step: Step = { urn: resource.urn, name: resource.name, op: "refresh" };
          try {
            const result = await host.read(resource.urn, resource.id, resource.outputs, resource.inputs);
            if (!result.id) {
              this.state.delete(resource.urn);
              step.op = "read-gone";
            } else {
              step.diffs = changedKeys(resource.outputs, result.properties);
              resource.outputs = result.properties;
              if (result.inputs) resource.inputs = result.inputs;
            }
          } catch (error) {
            step.error = (error as Error).message;
          }
          this.emit(steps, step);
        }),
      );
      this.save();
      return finish(
        steps,
        steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`),
        {},
      );
    });
  }

  destroy(): Promise<RunResult> {
    return this.withHost(async (host) => {
      const steps: Step[] = [];
      const errors: string[] = [];
      await this.deleteAll(host, [...this.state.values()], steps, errors, false);
      this.save();
      if (!errors.length) this.stackOutputs = {};
      return finish(steps, errors, {});
    });
  }

  /**
   * Deletes resources as the engine does: independent ones at once (within the parallelism), each
   * only after every resource of the set that depends on it is gone. A failed delete leaves the
   * resource in the state, and the resources it depends on are not deleted. Returns the resources
   * whose delete failed.
   */
  private async deleteAll(host: ProviderHost, resources: StateResource[], steps: Step[], errors: string[], preview: boolean): Promise<StateResource[]> {
    const failed: StateResource[] = [];
    const started = new Map<StateResource, Promise<boolean>>();
    const dependents = (resource: StateResource) => resources.filter((other) => other !== resource && other.dependencies.includes(resource.urn));
    const remove = (resource: StateResource): Promise<boolean> => {
      let work = started.get(resource);
      if (work) return work;
      work = (async () => {
        const cleared = await Promise.all(dependents(resource).map(remove));
        if (cleared.includes(false)) return false;
        const step: Step = { urn: resource.urn, name: resource.name, op: "delete" };
        let ok = true;
        if (!preview) {
          await this.slots.run(async () => {
            try {
              await host.delete(resource.urn, resource.id, resource.outputs);
              if (this.state.get(resource.urn) === resource) this.state.delete(resource.urn);
            } catch (error) {
              step.error = (error as Error).message;
              errors.push(`${resource.name}: ${step.error}`);
              failed.push(resource);
              ok = false;
            }
          });
        }
        this.emit(steps, step);
        return ok;
      })();
      started.set(resource, work);
      return work;
    };
    await Promise.all(resources.map(remove));
    return failed;
  }

  /** Kills the provider host mid-operation, as a killed `pulumi up` would. */
  killHost(): void {
    this.host?.kill();
  }

  /** The checkpoint as it is written to disk: secrets encrypted. */
  checkpoint(): string {
    const resources = [...this.state.values()].map((r) => ({
      urn: r.urn,
      type: r.type,
      id: r.id,
      inputs: this.encryptKeys(r.inputs, r.secretInputs),
      outputs: this.encryptKeys(r.outputs, r.secretOutputs),
      dependencies: r.dependencies,
      ...(r.initErrors ? { initErrors: r.initErrors } : {}),
    }));
    return JSON.stringify({ version: 3, checkpoint: { stack: this.stack, latest: { resources } } }, null, 2);
  }

  private save(): void {
    if (this.options.statePath) writeFileSync(this.options.statePath, this.checkpoint(), { mode: 0o600 });
  }

  private encryptKeys(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const result = { ...values };
    for (const key of keys) {
      if (!(key in result)) continue;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", this.key, iv);
      const text = Buffer.concat([cipher.update(JSON.stringify(result[key])), cipher.final(), cipher.getAuthTag()]);
      result[key] = { [SIG]: SECRET, ciphertext: `v1:${iv.toString("base64")}:${text.toString("base64")}` };
    }
    return result;
  }

  private async withHost<T>(operation: (host: ProviderHost) => Promise<T>): Promise<T> {
    const host = new ProviderHost(this.options.programDir, this.project);
    this.host = host;
    try {
      await host.start(this.options.config ?? {});
      return await operation(host);
    } finally {
      await host.stop();
      this.logs.push(...host.logs);
    }
  }

  private emit(steps: Step[], step: Step): void {
    steps.push(step);
    this.options.onStep?.(step);
  }

  private async run(host: ProviderHost, preview: boolean): Promise<RunResult> {
    const steps: Step[] = [];
    const registered = new Set<string>();
    const replaced: StateResource[] = [];
    const child = fork(path.join(__dirname, "program-runner.js"), [], {
      cwd: this.options.programDir,
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(this.options.config ?? {}),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(this.options.secretConfig ?? []),
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.stdout!.on("data", (chunk: Buffer) => this.logs.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => this.logs.push(chunk.toString()));
    // Registrations still being applied when the program ends (one failed, the rest goes on) are
    // waited for, as the engine lets in-flight steps finish.
    const inflight = new Set<Promise<void>>();
    const done = new Promise<{ errors: string[]; outputs: Record<string, unknown> }>((resolve, reject) => {
      child.on("message", (message: any) => {
        if (message.kind === "done") return resolve(message);
        if (message.kind !== "register") return;
        const work = this.slots
          .run(() => this.register(host, message, preview, steps, registered, replaced))
          .catch((error: Error) => ({ error: error.message }))
          .then((reply) => {
            // The program may have ended meanwhile (it stops at the first failed registration).
            if (child.connected) child.send({ seq: message.seq, ...reply }, () => {});
          })
          .finally(() => inflight.delete(work));
        inflight.add(work);
      });
      child.on("error", () => {}); // a reply to a program that just ended: nothing to tell it
      child.on("exit", (code) => reject(new Error(`the program exited with ${code} before finishing: ${this.logs.slice(-5).join("")}`)));
    });
    child.send({ kind: "start", program: path.join(this.options.programDir, "index.js"), project: this.project, stack: this.stack, preview });
    const result = await done;
    while (inflight.size) await Promise.all(inflight);
    child.kill();
    const errors = [...new Set([...steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`)])];
    if (result.errors.length && errors.length === 0) errors.push(...result.errors);
    // What the program no longer declares is deleted, dependents first; replaced resources' old
    // copies go the same way. An old copy whose delete fails goes back into the state.
    if (errors.length === 0) {
      const gone = [...this.state.values()].filter((r) => !registered.has(r.urn));
      const failed = await this.deleteAll(host, [...replaced, ...gone], steps, errors, preview);
      for (const resource of replaced) if (!this.state.has(resource.urn) && failed.includes(resource)) this.state.set(resource.urn, resource);
    }
    if (!preview) this.save();
    // A failed run reports the stack's outputs as they were (the engine keeps them; so the CLI shows).
    if (errors.length) return finish(steps, errors, this.stackOutputs);
    if (!preview) this.stackOutputs = result.outputs;
    return finish(steps, errors, result.outputs);
  }

  private async register(
    host: ProviderHost,
    message: { type: string; name: string; custom: boolean; object: Record<string, unknown>; additionalSecretOutputs: string[]; dependencies: string[] },
    preview: boolean,
    steps: Step[],
    registered: Set<string>,
    replaced: StateResource[],
  ): Promise<{ urn: string; id?: string; object?: Record<string, unknown>; error?: string }> {
    const urn = `urn:pulumi:${this.stack}::${this.project}::${message.type}::${message.name}`;
    registered.add(urn);
    if (!message.custom) return { urn, object: {} };
    const { plain: news, secretKeys } = unwrapSecrets(message.object);
    const old = this.state.get(urn);
    const step: Step = { urn, name: message.name, op: old ? "same" : "create" };
    const fail = (error: string) => {
      step.error = error;
      this.emit(steps, step);
      return { urn, error };
    };
    const refused = (failures: { property: string; reason: string }[]) => {
      step.failures = failures;
      return fail(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    };
    const checked = await host.check(urn, old?.inputs ?? {}, news);
    if (checked.failures.length) return refused(checked.failures);
    const inputs = checked.inputs;
    const secretOutputKeys = (outputs: Record<string, unknown>) =>
      Object.keys(outputs).filter((k) => secretKeys.includes(k) || message.additionalSecretOutputs.includes(k));
    let outputs: Record<string, unknown>;
    let id: string;
    try {
      const diff = old ? await host.diff(urn, old.id, old.outputs, inputs) : undefined;
      if (old && diff && (!old.initErrors || diff.replaces.length)) {
        step.diffs = diff.replaces.length ? diff.replaces : updatedKeys(old.outputs, old.inputs, inputs);
        if (diff.changes === false) {
          step.op = "same";
          outputs = old.outputs;
          id = old.id;
        } else if (diff.replaces.length) {
          step.op = "replace";
          // The engine checks a resource it replaces once more with no old inputs, as a create.
          const rechecked = await host.check(urn, {}, news);
          if (rechecked.failures.length) return refused(rechecked.failures);
          // The replacement's id is not known yet (the CLI shows outputs made of it as unknown).
          if (preview) return this.previewReply(steps, step, urn, "", inputs, secretKeys);
          if (diff.deleteBeforeReplace) {
            await host.delete(urn, old.id, old.outputs);
            this.state.delete(urn);
          } else {
            replaced.push(old);
          }
          ({ id, properties: outputs } = await host.create(urn, inputs));
        } else {
          step.op = "update";
          if (preview) return this.previewReply(steps, step, urn, old.id, { ...old.outputs, ...inputs }, secretKeys);
          ({ properties: outputs } = await host.update(urn, old.id, old.outputs, inputs));
          id = old.id;
        }
      } else if (old?.initErrors) {
        // A resource whose create failed part-way is in the state: the engine updates it.
        step.op = "update";
        if (preview) return this.previewReply(steps, step, urn, old.id, { ...old.outputs, ...inputs }, secretKeys);
        ({ properties: outputs } = await host.update(urn, old.id, old.outputs, inputs));
        id = old.id;
      } else {
        if (preview) return this.previewReply(steps, step, urn, "", inputs, secretKeys);
        ({ id, properties: outputs } = await host.create(urn, inputs));
      }
    } catch (error) {
      const init = (error as HostError).initFailed;
      if (init && !preview) {
        this.state.set(urn, {
          urn,
          type: message.type,
          name: message.name,
          id: init.id,
          inputs,
          outputs: init.properties,
          secretInputs: secretKeys,
          secretOutputs: secretOutputKeys(init.properties),
          initErrors: init.reasons,
          dependencies: message.dependencies,
        });
      }
      // The engine words a failure that kept the resource (its reasons) as Go's multierror does.
      if (init?.reasons.length) return fail(multiError(init.reasons));
      return fail((error as Error).message);
    }
    const resource: StateResource = {
      urn,
      type: message.type,
      name: message.name,
      id,
      inputs,
      outputs,
      secretInputs: secretKeys,
      secretOutputs: secretOutputKeys(outputs),
      dependencies: message.dependencies,
    };
    if (!preview) {
      this.state.set(urn, resource);
      // Written at once, so that an up that is killed later still knows what it made.
      this.save();
    }
    this.emit(steps, step);
    return { urn, id, object: wrapSecrets(outputs, resource.secretOutputs) };
  }

  private previewReply(steps: Step[], step: Step, urn: string, id: string, values: Record<string, unknown>, secretKeys: string[]) {
    this.emit(steps, step);
    return { urn, id, object: wrapSecrets(values, secretKeys) };
  }
}

/** A run's result: `changes` are the steps that changed something (or would, in a preview). */
export function finish(steps: Step[], errors: string[], outputs: Record<string, unknown>): RunResult {
  return { steps, errors, outputs, changes: steps.filter((s) => s.op !== "same" && !(s.op === "refresh" && !s.diffs?.length)) };
}

/** Top-level keys whose values differ (the `__provider` text is not a change the engine shows). */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/**
 * The keys an update changes, as the provider compares them: the state (the old outputs) of the
 * properties declared now or before, against the new inputs.
 */
export function updatedKeys(oldOutputs: Record<string, unknown>, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>): string[] {
  const declared = [...new Set([...Object.keys(newInputs), ...Object.keys(oldInputs)])];
  return changedKeys(pick(oldOutputs, declared), newInputs);
}

function pick(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, values[k]]));
}

/** The engine hands plain values to a provider that does not accept secrets, remembering which were secret. */
export function unwrapSecrets(object: Record<string, unknown>): { plain: Record<string, unknown>; secretKeys: string[] } {
  const secretKeys: string[] = [];
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    let secret = false;
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (v && typeof v === "object") {
        const record = v as Record<string, unknown>;
        if (record[SIG] === SECRET) {
          secret = true;
          return strip(record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([k, x]) => [k, strip(x)]));
      }
      return v;
    };
    plain[key] = strip(value);
    if (secret) secretKeys.push(key);
  }
  return { plain, secretKeys };
}

function wrapSecrets(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const result = { ...values };
  for (const key of keys) if (key in result) result[key] = { [SIG]: SECRET, value: result[key] };
  return result;
}

export { UNKNOWN };

/** The engine's wording of a resource's init errors: "1 error occurred:\n\t* …\n\n" (Go's multierror). */
export function multiError(reasons: string[]): string {
  return `${reasons.length} error${reasons.length > 1 ? "s" : ""} occurred:\n${reasons.map((reason) => `\t* ${reason}`).join("\n")}\n\n`;
}
