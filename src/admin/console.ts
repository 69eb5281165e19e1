// The operator console: static pages (console/, Workers static assets) served under /console/ with
// the headers a console needs. The pages only call the operator API with the token the operator
// typed in (kept in sessionStorage); nothing here knows the token or renders data.

/**
 * No inline script or style, nothing from another origin, no framing (clickjacking on an operator
 * page is an approval or a top-up), no referrer (message ids in the hash never leave), no sniffing.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

const withHeaders = (res: Response, extra: Record<string, string> = {}): Response => {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries({ ...CONSOLE_HEADERS, ...extra })) out.headers.set(k, v);
  return out;
};

/** `/` and `/console` lead to the console; everything under /console/ is a file of console/. */
export async function serveConsole(req: Request, env: Env): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === "/" || url.pathname === "/console") {
    return withHeaders(new Response(null, { status: 302, headers: { location: "/console/" } }));
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return withHeaders(new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD", "content-type": "text/plain;charset=utf-8" } }));
  }
  const asset = new URL(url.pathname.slice("/console".length) || "/", url.origin);
  const res = await env.ASSETS.fetch(new Request(asset, { method: req.method, headers: req.headers }));
  // The pages change with each deploy and are small: revalidate rather than cache stale code.
  return withHeaders(res, { "cache-control": "no-cache" });
}
