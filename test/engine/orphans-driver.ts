import * as path from "node:path";
import { ProviderHost } from "./provider-host";

// For orphans.test.ts: starts a provider host, tells the test its pid, and waits to be killed.
const host = new ProviderHost(path.join(__dirname, "programs", "custom-model"), "orphans");
void host.start({}).then(() => {
  process.send!(host.pid);
  setInterval(() => {}, 1000);
});
