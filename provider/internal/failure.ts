// What check says of a property it refuses. Apart from check.ts, whose schemas are zod's: the
// package's public types reach this one, and must not reach zod's (see tsconfig.build.json).

/** A property that check refuses, and why, as the engine shows it. */
export interface CheckFailure {
  /** The property's path, e.g. `values.name`. */
  property: string;
  /** What is wrong and what would be valid, one sentence. */
  reason: string;
}
