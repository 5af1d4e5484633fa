import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { configure } from "../config";
import { GONE } from "../internal/resource";
import { registry } from "../registry";
import { decodedProps } from "../resources/record-set/wire";
import { RESOURCE_NAMES, type ResourceKind } from "../stub";
import { configFailures, configChanged } from "./provider-config";
import { importedResource } from "./import";
import { conceal, declaredSecrets, reveal } from "./secrets";
import { schemaText } from "./schema";

// The provider protocol (pulumirpc.ResourceProvider) served for every Pulumi language: each call
// goes to the same implementation the TypeScript classes' dynamic provider runs (registry.ts), so
// that checks, diffs, errors and parallel safety are one code. What is the plugin's own: its
// configuration (checkConfig, diffConfig, configure: the odoo:* keys of the stack, or an explicit
// odoo.Provider's arguments), secrets as the engine marks them (secrets.ts), the schema, and
// `read` of an id alone (import.ts), which `pulumi import` asks.

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Callback<Res> = (error: grpc.ServiceError | Partial<grpc.StatusObject> | null, value?: Res, trailer?: grpc.Metadata) => void;

const TOKENS = new Map(Object.entries(RESOURCE_NAMES).map(([kind, name]) => [`odoo:index:${name}`, kind as ResourceKind]));

/** The kind a request is for, from its type token (or its URN's last type). */
function kindOf(req: { getType?(): string; getUrn(): string }): ResourceKind {
  const token = req.getType?.() || req.getUrn().split("::")[2]?.split("$").pop() || "";
  const kind = TOKENS.get(token);
  if (!kind) throw new Error(`pulumi-odoo's plugin has no resource type ${token}: it has ${[...TOKENS.keys()].join(", ")}`);
  return kind;
}

function plain(struct: Struct | undefined): { plain: Record<string, any>; secrets: (string | number)[][] } {
  const { plain: value, secrets } = reveal(struct?.toJavaScript() ?? {});
  return { plain: value as Record<string, any>, secrets };
}

function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

/**
 * Properties going back to the engine: secret where they came in secret (`secrets`) and where the
 * kind declares it; a RecordSet's rows, which its implementation keeps as JSON text (wire.ts), as
 * the objects plugin programs wrote.
 */
function outgoing(kind: ResourceKind, props: Record<string, unknown>, secrets: (string | number)[][]): Struct {
  return struct(conceal(kind === "recordSet" ? decodedProps(props) : props, [...secrets, ...declaredSecrets(kind)]));
}

function failureList(failures: { property: string; reason: string }[]): proto.CheckFailure[] {
  return failures.map(({ property, reason }) => new proto.CheckFailure().setProperty(property).setReason(reason));
}

function changesOf(changed: boolean): proto.DiffResponse.DiffChanges {
  return changed ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE;
}

/** Runs a request and answers it: an error becomes the engine's one sentence, with no stack trace. */
function answer<Req, Res>(work: (req: Req) => Promise<Res>) {
  return (call: Call<Req>, callback: Callback<Res>) => {
    work(call.request).then(
      (value) => callback(null, value),
      (error) => {
        const failure = failureOf(error);
        callback(failure, undefined, failure.metadata);
      },
    );
  };
}

/**
 * An error as the engine reads it. One that says the object was made but not finished (an id, with
 * the properties to keep: UpgradeRequest's) keeps it in the state, as with the dynamic provider.
 */
function failureOf(error: unknown): Partial<grpc.StatusObject> & { metadata: grpc.Metadata } {
  const e = error as { message?: string; id?: string; properties?: Record<string, unknown>; reasons?: string[] };
  const metadata = new grpc.Metadata();
  if (e.id) {
    const detail = new proto.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(struct(e.properties ?? {}));
    detail.setReasonsList(e.reasons ?? []);
    const details = new Any();
    details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(e.message ?? String(error));
    status.addDetails(details);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  if (process.env.PULUMI_ODOO_DEBUG && error instanceof Error) console.error(error.stack);
  return { code: grpc.status.UNKNOWN, details: e.message ?? String(error), metadata };
}

function unimplemented(what: string) {
  return (_call: unknown, callback: Callback<never>) => callback({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by pulumi-odoo` });
}

export function resourceProviderService(version: string): grpc.UntypedServiceImplementation {
  return {
    getPluginInfo: answer(async () => new plugin.PluginInfo().setVersion(version)),
    getSchema: answer(async () => new proto.GetSchemaResponse().setSchema(schemaText())),

    checkConfig: answer(async (req: proto.CheckRequest) => {
      return new proto.CheckResponse().setInputs(req.getNews()).setFailuresList(failureList(configFailures(plain(req.getNews()).plain)));
    }),
    diffConfig: answer(async (req: proto.DiffRequest) => {
      const changed = configChanged(plain(req.getOlds()).plain, plain(req.getNews()).plain);
      return new proto.DiffResponse().setChanges(changesOf(changed.length > 0)).setDiffsList(changed);
    }),
    configure: answer(async (req: proto.ConfigureRequest) => {
      // An explicit provider's arguments (url, apiKey, …), else the stack's odoo:* keys.
      const args = plain(req.getArgs()).plain;
      const variables = new Map(req.getVariablesMap().toArray());
      configure({
        get: (key) => {
          const value = args[key.slice("odoo:".length)] ?? variables.get(key);
          return value === undefined || value === null ? undefined : String(value);
        },
      });
      return new proto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(false).setAcceptresources(false);
    }),

    check: answer(async (req: proto.CheckRequest) => {
      const kind = kindOf(req);
      const news = plain(req.getNews());
      const { inputs, failures } = await registry[kind].implementation.check(plain(req.getOlds()).plain, news.plain);
      return new proto.CheckResponse().setInputs(outgoing(kind, inputs, news.secrets)).setFailuresList(failureList(failures));
    }),
    diff: answer(async (req: proto.DiffRequest) => {
      const kind = kindOf(req);
      const result = await registry[kind].implementation.diff(req.getId(), plain(req.getOlds()).plain, plain(req.getNews()).plain);
      return new proto.DiffResponse().setChanges(changesOf(result.changes)).setReplacesList(result.replaces).setDeletebeforereplace(result.deleteBeforeReplace);
    }),
    create: answer(async (req: proto.CreateRequest) => {
      const kind = kindOf(req);
      const inputs = plain(req.getProperties());
      const { id, outs } = await registry[kind].implementation.create(inputs.plain);
      return new proto.CreateResponse().setId(id).setProperties(outgoing(kind, outs, inputs.secrets));
    }),
    read: answer(async (req: proto.ReadRequest) => {
      const kind = kindOf(req);
      const state = plain(req.getProperties());
      if (!Object.keys(state.plain).length) {
        // `pulumi import`: an id alone. The inputs are what a person would write for the object.
        const found = await importedResource(kind, req.getId());
        if (!found) return new proto.ReadResponse();
        return new proto.ReadResponse()
          .setId(found.id)
          .setProperties(outgoing(kind, found.outputs, state.secrets))
          .setInputs(outgoing(kind, found.inputs, state.secrets));
      }
      const found = await registry[kind].implementation.read(req.getId(), state.plain);
      if (found.id === GONE.id) return new proto.ReadResponse();
      const response = new proto.ReadResponse().setId(found.id).setProperties(outgoing(kind, found.props, state.secrets));
      return req.getInputs() ? response.setInputs(req.getInputs()) : response;
    }),
    update: answer(async (req: proto.UpdateRequest) => {
      const kind = kindOf(req);
      const news = plain(req.getNews());
      const { outs } = await registry[kind].implementation.update(req.getId(), plain(req.getOlds()).plain, news.plain);
      return new proto.UpdateResponse().setProperties(outgoing(kind, outs, news.secrets));
    }),
    delete: answer(async (req: proto.DeleteRequest) => {
      await registry[kindOf(req)].implementation.delete(req.getId(), plain(req.getProperties()).plain);
      return new Empty();
    }),
    cancel: answer(async () => new Empty()),

    invoke: unimplemented("Invoke"),
    list: (call: grpc.ServerWritableStream<unknown, unknown>) =>
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: "List is not implemented by pulumi-odoo" }),
    call: unimplemented("Call"),
    construct: unimplemented("Construct"),
    attach: unimplemented("Attach"),
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    getMapping: unimplemented("GetMapping"),
    getMappings: unimplemented("GetMappings"),
  };
}
