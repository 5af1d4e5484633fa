// Loaded into the provider host (`node -r`): the host exits when the driver that started it goes
// away, whatever way it went (even SIGKILL), as the Pulumi engine's plugins do. The driver holds
// the other end of the host's stdin; its death closes it.

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
