// Response helpers and the structured log line for unexpected faults.

export const json = (body: unknown, status = 200, headers: HeadersInit = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=utf-8", ...Object.fromEntries(new Headers(headers)) },
  });

/** Logs an unexpected fault with its real reason (never sent to the client). */
export function logFault(where: string, req: Request, e: unknown): void {
  console.error(
    JSON.stringify({
      level: "error",
      event: "unhandled",
      where,
      method: req.method,
      path: new URL(req.url).pathname,
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    }),
  );
}

/** The caller's address as Cloudflare reports it (the local runtime leaves it unset: treated as 127.0.0.1). */
export const clientIp = (req: Request): string => req.headers.get("cf-connecting-ip") ?? "127.0.0.1";
