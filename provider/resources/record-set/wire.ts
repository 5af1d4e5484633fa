import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../internal/check";

// A RecordSet's rows travel and rest as JSON text: `records` (inputs and outputs), `ids`,
// `applied` and `adoptIds` are one string each between the program, the engine, the provider and the state.
// Measured through the CLI with 10,000 rows and a provider that does nothing: as objects, the
// engine and the SDKs' per-value marshalling added 3.0 s to `up` and 1.2 s to `destroy`; as one
// string each, 0.3 s and nothing. The CLI still shows their changes as objects ("(json)" diffs).

/** The properties a RecordSet holds as JSON text. */
export const JSON_PROPERTIES = ["records", "ids", "applied", "adoptIds"] as const;

/**
 * The program's rows as one JSON string. At preview, values not known yet (another resource's
 * output) are written as the engine's own unknown placeholder, so that check still judges every
 * row and value that is known: the callback runs with them through `apply`'s second argument
 * (runWithUnknowns, part of @pulumi/pulumi's Output implementation, not of its declared types;
 * the RecordSet scenario's "a row naming another resource's output, not known at the first preview" holds it). A secret value makes the string secret.
 */
export function encodeRows(records: pulumi.Input<unknown>): pulumi.Output<string> {
  const rows = pulumi.output(records) as unknown as { apply(run: (value: unknown) => string, runWithUnknowns: boolean): pulumi.Output<string> };
  return rows.apply((value) => JSON.stringify(value, (_key, v: unknown) => (pulumi.isUnknown(v) ? UNKNOWN : v)), true);
}

/** The object a JSON property holds (a state written before they were text holds the object itself). */
export function decoded<T>(value: unknown): T {
  return (typeof value === "string" && value !== UNKNOWN ? JSON.parse(value) : value) as T;
}

/** The properties with the JSON ones read. */
export function decodedProps<T>(props: object): T {
  const out: Record<string, unknown> = { ...props };
  for (const key of JSON_PROPERTIES) if (out[key] !== undefined) out[key] = decoded(out[key]);
  return out as T;
}

/** The properties with the JSON ones written as text. */
export function encodedProps(props: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const key of JSON_PROPERTIES) if (out[key] !== undefined && typeof out[key] !== "string") out[key] = JSON.stringify(out[key]);
  return out;
}
