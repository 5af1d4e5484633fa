import * as pulumi from "@pulumi/pulumi";
import { configure, type ConnectionArgs, type ConnectionInput } from "../config";
import type { CheckFailure } from "./failure";
import type { DiffResult } from "./diff";
import { providerStub, RESOURCE_NAMES, type ResourceKind, SECRETS } from "../stub";

// What every resource implementation looks like to the provider host (see ../host.ts).

export interface ResourceImplementation {
  configure(req: { config?: { get(key: string): string | undefined } }): Promise<void>;
  check(olds: Record<string, any>, news: Record<string, any>): Promise<{ inputs: Record<string, any>; failures: CheckFailure[] }>;
  diff(id: string, olds: Record<string, any>, news: Record<string, any>): Promise<DiffResult>;
  create(inputs: Record<string, any>): Promise<{ id: string; outs: Record<string, any> }>;
  read(id: string, props: Record<string, any>): Promise<{ id: string; props: Record<string, any> }>;
  update(id: string, olds: Record<string, any>, news: Record<string, any>): Promise<{ outs: Record<string, any> }>;
  delete(id: string, props: Record<string, any>): Promise<void>;
}

/** What a resource class says of its properties beyond its arguments (its secrets are stub.ts's SECRETS). */
export interface ResourceShape {
  /** The outputs the provider computes: declared to the engine as outputs still unknown. */
  outputs?: readonly string[];
}

/**
 * The base of every resource class of this package: its kind's provider stub, its type token, its
 * secrets and its computed outputs, so that a class declares only its outputs' types and docs.
 */
export abstract class OdooResource extends pulumi.dynamic.Resource {
  protected constructor(kind: ResourceKind, name: string, args: object, opts: pulumi.CustomResourceOptions | undefined, shape: ResourceShape = {}) {
    const props: Record<string, unknown> = { ...args };
    // An absent secret stays absent: @pulumi/pulumi pays four stack traces per property and
    // resource, which counts in programs of thousands of Records.
    const secrets = SECRETS[kind];
    for (const key of secrets.inputs ?? []) if (props[key] !== undefined) props[key] = secretInput(props[key]);
    if (props.connection !== undefined) props.connection = connectionWithSecretKey(props.connection as pulumi.Input<ConnectionArgs>);
    for (const key of shape.outputs ?? []) props[key] = undefined;
    const secretOutputs = secrets.outputs ?? [];
    const options = secretOutputs.length ? { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs] } : opts;
    super(providerStub(kind), name, props, options, "odoo", RESOURCE_NAMES[kind]);
    if (pulumi.runtime.isDryRun() && props.connection && typeof props.connection === "object")
      void sayIfUnchecked(this, props.connection as Record<string, unknown>);
  }
}

/**
 * At preview, under the resource: its checks against Odoo wait for up, because its connection is
 * another resource's output not known yet (a database this program creates, and its key). The
 * engine checks it again once that is known, before anything of it is written, with the same
 * sentences. Said from the program, since the provider's check does not know which resource it checks.
 */
async function sayIfUnchecked(resource: pulumi.Resource, connection: Record<string, unknown>): Promise<void> {
  try {
    const waiting: string[] = [];
    for (const [key, value] of Object.entries(connection)) {
      // isKnown: false while a preview cannot know the value (not in the SDK's declared types).
      const known = pulumi.Output.isInstance(value) ? (value as unknown as { isKnown?: Promise<boolean> }).isKnown : undefined;
      if (known && !(await known)) waiting.push(`connection.${key}`);
    }
    if (!waiting.length) return;
    await pulumi.log.info(
      `not checked against Odoo at preview: ${waiting.join(" and ")} ${waiting.length > 1 ? "are" : "is"} another resource's output, known once up has made it; up runs the same checks before writing anything of this resource`,
      resource,
    );
  } catch {
    // A notice only: nothing to fail for.
  }
}

/**
 * A resource's implementation as it is written: typed by its inputs I (what check accepted) and its
 * outputs O (what the state holds). check alone takes what the program gave, unchecked.
 */
export interface Implementation<I, O> {
  check(olds: Partial<O>, news: Record<string, any>): Promise<{ inputs: Record<string, any>; failures: CheckFailure[] }>;
  diff(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I & Serialized): Promise<{ id: string; outs: O }>;
  /** GONE when the object is no longer in Odoo. */
  read(id: string, props: O): Promise<{ id: string; props: O } | typeof GONE>;
  update(id: string, olds: O, news: I & Serialized): Promise<{ outs: O }>;
  delete(id: string, props: O): Promise<void>;
}

/**
 * What the engine adds to a dynamic resource's inputs: its serialized provider, which a failure that
 * keeps the resource in the state must hand back with the properties (UpgradeRequest does).
 */
export interface Serialized {
  __provider?: string;
}

/** The implementation as the provider host runs it: the engine hands it the state's untyped values. */
export function implementation<I, O>(methods: Implementation<I, O>): ResourceImplementation {
  const untyped = methods as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const said = Object.fromEntries(Object.entries(untyped).map(([name, method]) => [name, (...args: unknown[]) => method(...args).catch(markSaid)]));
  return { configure: configureProvider, ...(said as unknown as Omit<ResourceImplementation, "configure">) };
}

/**
 * Begins what Pulumi's dynamic provider host prints of an error that check, diff, read or delete
 * throws (`${error}: ${error.stack}`, beside the error the engine shows under the resource): the
 * provider host (host.ts) drops such lines, so that the user reads the sentence once, with no stack
 * trace. PULUMI_ODOO_DEBUG=1 keeps them.
 */
export const SAID = "\u0000pulumi-odoo: said under its resource";

function markSaid(error: unknown): never {
  if (error instanceof Error && !process.env.PULUMI_ODOO_DEBUG) Object.defineProperty(error, "toString", { value: () => SAID, configurable: true });
  throw error;
}

export const configureProvider = async (req: { config?: { get(key: string): string | undefined } }) => configure(req.config);

/** A result that tells the engine the object is gone (refresh drops it from the state). */
export const GONE = { id: "", props: {} };

/** Drops undefined values: the engine's Struct encoding refuses them. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Progress for people watching `pulumi up`: the provider host forwards its output. */
export function progress(message: string): void {
  console.log(message);
}

/** Wraps a resource argument as a secret, leaving an absent one absent. */
export function secretInput<T>(value: pulumi.Input<T> | undefined): pulumi.Output<pulumi.Unwrap<T>> | undefined {
  return value === undefined ? undefined : pulumi.secret(value);
}

/**
 * A connection whose key alone is secret: a diff and the state show which server and database a
 * resource targets. Every property the program wrote is passed on (check names the ones it does
 * not know). A connection given as one Output (another resource's) is taken apart property by
 * property; one that is already wholly secret stays so, as the program made it.
 */
function connectionWithSecretKey(connection: pulumi.Input<ConnectionArgs>): Record<string, unknown> {
  const given = connection as unknown;
  if (isAwaitable(given)) {
    const whole = pulumi.output(given as pulumi.Input<ConnectionInput>);
    const part = (key: keyof ConnectionInput) => prefixedOnce(whole.apply((c) => c?.[key]));
    return { url: part("url"), database: part("database"), login: part("login"), apiKey: pulumi.secret(part("apiKey")) };
  }
  const result: Record<string, unknown> = { ...(given as ConnectionArgs) };
  for (const [key, value] of Object.entries(result)) if (isAwaitable(value)) result[key] = prefixedOnce(value);
  if (result.apiKey !== undefined) result.apiKey = pulumi.secret(result.apiKey);
  return result;
}

function isAwaitable(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && typeof (value as Promise<unknown>).then === "function");
}

/**
 * A connection value the program could not make (an apply that throws, a key a vault refused) fails
 * every resource that uses it on one and the same error, and @pulumi/pulumi prefixes that error's
 * message with 'error serializing property "connection": ' once per resource: the one line the
 * program's failure prints grew 22 prefixes in a program of 22 resources. The error keeps its first.
 */
function prefixedOnce(value: unknown): pulumi.Output<unknown> {
  return pulumi.recover(pulumi.output(value), (error: unknown) => {
    throw keepingFirstPrefix(error);
  });
}

const FIRST_PREFIX_KEPT = Symbol("pulumi-odoo: first prefix kept");

function keepingFirstPrefix(error: unknown): unknown {
  if (!(error instanceof Error) || FIRST_PREFIX_KEPT in error) return error;
  let message = error.message;
  let prefixed = false;
  Object.defineProperty(error, "message", {
    configurable: true,
    get: () => message,
    set: (next: string) => {
      if (prefixed) return;
      message = next;
      prefixed = true;
    },
  });
  Object.defineProperty(error, FIRST_PREFIX_KEPT, { value: true });
  return error;
}

/**
 * An output that is the resource's id as a number (a record's, a model's, a field's id in Odoo).
 * Read from the id rather than from the provider's outputs because the engine knows the id of a
 * resource it only updates while a preview runs, where outputs the provider computes are unknown
 * until the update: read from the outputs, every resource pointing at this one showed a change in
 * the preview of any update of it.
 */
export function idAsNumber(resource: pulumi.CustomResource): pulumi.Output<number> {
  return resource.id.apply((id) => Number(id));
}
