import { buildCli, CliBuildError } from "./build";

// `npm run -s pulumi-cli`: builds the Pulumi CLI (and what it needs to run our programs) unless it
// is cached, and prints its folder as the last line. Progress goes to stderr.

buildCli((line) => process.stderr.write(`pulumi-cli: ${line}\n`)).then(
  (dir) => process.stdout.write(`${dir}\n`),
  (error) => {
    const message = error instanceof CliBuildError ? error.message : `building the Pulumi CLI failed: ${(error as Error).message}`;
    process.stderr.write(`pulumi-cli: ${message}\n`);
    process.exit(1);
  },
);
