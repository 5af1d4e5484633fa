import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { configure } from "../config";
import type { CheckFailure } from "./check";
import type { DiffResult } from "./diff";

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

export const configureProvider = async (req: { config?: { get(key: string): string | undefined } }) => configure(req.config);

/** The optional per-resource `connection` input, which overrides the stack configuration. */
export function connectionSchema() {
  return z
    .strictObject({
      url: z.string().regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://odoo.example.com").optional(),
      database: z.string().min(1, "must not be empty").optional(),
      apiKey: z.string().min(1, "must not be empty: pass the API key as a secret").optional(),
      login: z.string().min(1).optional(),
    })
    .optional();
}

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
 * An output that is the resource's id as a number (a record's, a model's, a field's id in Odoo).
 * Read from the id rather than from the provider's outputs because the engine knows the id of a
 * resource it only updates while a preview runs, where outputs the provider computes are unknown
 * until the update: read from the outputs, every resource pointing at this one showed a change in
 * the preview of any update of it.
 */
export function idAsNumber(resource: pulumi.CustomResource): pulumi.Output<number> {
  return resource.id.apply((id) => Number(id));
}
