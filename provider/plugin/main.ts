import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { resourceProviderService } from "./service";

// pulumi-resource-odoo: the provider plugin the engine starts for programs in Python, Go, C#, YAML
// (and TypeScript programs that use the generated SDK). It serves the provider protocol on a
// loopback port and prints that port, the one line the engine reads from it; what it prints after
// (progress such as "module 'sale' installed") the engine shows.

const version: string = require("../../../package.json").version;

async function main(): Promise<void> {
  // The engine's address (the first argument) is not needed: logs go to stdout and stderr.
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(ResourceProviderService, resourceProviderService(version));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
}

main().catch((error) => {
  process.stderr.write(`pulumi-resource-odoo: ${(error as Error).message}\n`);
  process.exit(1);
});
