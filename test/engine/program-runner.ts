// Runs a Pulumi program the way the language host does, in its own process, with a resource
// monitor that hands every RegisterResource to the engine driver (our parent process) over IPC and
// answers with what the driver decided. The program, @pulumi/pulumi's runtime, the closure
// serializer and the dynamic provider stubs all run for real; only the monitor is ours.

import * as path from "node:path";
import { UNKNOWN } from "../../provider/internal/check";

interface Start {
  program: string;
  project: string;
  stack: string;
  preview: boolean;
}

interface Reply {
  seq: number;
  error?: string;
  urn?: string;
  id?: string;
  object?: Record<string, unknown>;
}

const pending = new Map<number, (reply: Reply) => void>();
let seq = 0;

function ask(message: Record<string, unknown>): Promise<Reply> {
  return new Promise((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    process.send!({ ...message, seq: id });
  });
}

// The driver gone (even killed), the program has no one to answer it: it ends too.
process.on("disconnect", () => process.exit(0));

process.on("message", (message: Reply & { kind?: string }) => {
  if (message.kind === "start") return void run(message as unknown as Start);
  pending.get(message.seq)?.(message);
  pending.delete(message.seq);
});

const errors: string[] = [];
let finished = false;
/**
 * A failed registration rejects its outputs, and resources waiting on them would wait forever: as
 * the language host does, the program ends at the first unhandled failure (the driver still lets
 * the steps in flight finish).
 */
function fail(error: unknown): void {
  errors.push(String((error as Error)?.message ?? error));
  if (finished) return;
  finished = true;
  setImmediate(() => process.send!({ kind: "done", errors, outputs: {} }, () => process.disconnect()));
}
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

async function run(start: Start): Promise<void> {
  const programDir = path.dirname(start.program);
  const requireFromProgram = (id: string) => require(require.resolve(id, { paths: [programDir] }));
  const runtime = requireFromProgram("@pulumi/pulumi/runtime");
  const settings = requireFromProgram("@pulumi/pulumi/runtime/settings");
  const { MockMonitor } = requireFromProgram("@pulumi/pulumi/runtime/mocks");
  const structproto = requireFromProgram("google-protobuf/google/protobuf/struct_pb");
  const resproto = requireFromProgram("@pulumi/pulumi/proto/resource_pb");

  class EngineMonitor extends MockMonitor {
    async registerResource(req: any, callback: (error: unknown, response?: unknown) => void) {
      const reply = await ask({
        kind: "register",
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        object: req.getObject()?.toJavaScript() ?? {},
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        dependencies: req.getDependenciesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        protect: req.getProtect(),
      });
      if (reply.error) {
        const error = Object.assign(new Error(reply.error), { code: 2, details: reply.error });
        return callback(error);
      }
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(reply.urn);
      response.setId(reply.id ?? "");
      response.setObject(structproto.Struct.fromJavaScript(reply.object ?? {}));
      callback(null, response);
    }

    /** A component's outputs (ModelUi): the engine keeps none of them in the state. */
    registerResourceOutputs(_req: unknown, callback: (error: unknown, response?: unknown) => void) {
      callback(null, {});
    }
  }

  await runtime.setMocks({ newResource: () => ({ id: "", state: {} }), call: () => ({}) }, start.project, start.stack, start.preview);
  settings.setMockOptions(new (EngineMonitor as any)({}), start.project, start.stack, start.preview);
  const store = require(require.resolve("@pulumi/pulumi/runtime/state", { paths: [programDir] })).getStore();
  Object.assign(store, { supportsSecrets: true, supportsResourceReferences: false, supportsOutputValues: false });
  try {
    // A program may export a promise of its outputs (`export = main()`).
    const exported = await Promise.resolve(require(start.program));
    const outputs = exported && typeof exported === "object" ? await resolveExports(exported, programDir) : {};
    await settings.waitForRPCs();
    if (finished) return;
    finished = true;
    process.send!({ kind: "done", errors, outputs });
  } catch (error) {
    fail(error);
  }
}

/**
 * Stack outputs: the program's exports, with Outputs resolved, secrets kept marked, and what a
 * preview does not know yet as the engine's unknown (as the CLI reports it).
 */
async function resolveExports(exported: Record<string, unknown>, programDir: string): Promise<Record<string, unknown>> {
  const { isUnknown } = require(require.resolve("@pulumi/pulumi/output", { paths: [programDir] })) as { isUnknown: (value: unknown) => boolean };
  const known = (value: unknown): unknown =>
    isUnknown(value)
      ? UNKNOWN
      : Array.isArray(value)
        ? value.map(known)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, known(v)]))
          : value;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported)) {
    if (key === "__esModule") continue;
    const output = value as { promise?: (withUnknowns?: boolean) => Promise<unknown>; isSecret?: Promise<boolean>; isKnown?: Promise<boolean> };
    if (output && typeof output.promise === "function") {
      const [plain, secret, isKnown] = await Promise.all([output.promise(true), output.isSecret, output.isKnown]);
      result[key] = secret ? { secret: true } : isKnown === false ? UNKNOWN : known(plain);
    } else {
      result[key] = value;
    }
  }
  return result;
}
