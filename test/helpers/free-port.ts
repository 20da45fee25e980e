/**
 * A TCP port nobody listens on right now, chosen by the OS, for a process that
 * must be given a fixed PORT (two instances, media workers on one port). A
 * random number could collide with a port another test's server or client
 * already holds (the test files run in two workers): that failed with
 * EADDRINUSE.
 */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null, { status: 204 }) });
  const port = probe.port;
  void probe.stop(true);
  if (!port) throw new Error("freePort: the OS gave no port");
  return port;
}
