// The operator API from the browser. The token lives in sessionStorage (this tab only, gone when it
// closes), is sent only as an Authorization header to this origin, and never appears in a URL.
const KEY = "edgesms.operator-token";

export const session = {
  token: () => sessionStorage.getItem(KEY),
  signIn: (t) => sessionStorage.setItem(KEY, t),
  signOut: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error;
    const issues = (e?.issues ?? []).map((i) => `${i.path}: ${i.message}`).join("; ");
    super(e ? `${e.message}${issues ? ` (${issues})` : ""}` : `HTTP ${status}`);
    this.status = status;
    this.code = e?.code ?? null;
  }
}

/** `path` under /admin/v1 unless it starts with "/" (the simulator's routes). */
export async function api(method, path, body) {
  const url = path.startsWith("/") ? path : `/admin/v1/${path}`;
  const headers = { authorization: `Bearer ${session.token() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" });
  const text = await res.text();
  let data = null;
  try {
    data = text === "" ? null : JSON.parse(text);
  } catch {
    data = { error: { message: text.slice(0, 200) } };
  }
  if (res.status === 401 && !path.startsWith("/")) {
    session.signOut();
    window.dispatchEvent(new CustomEvent("console:signed-out"));
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body ?? {});
export const patch = (path, body) => api("PATCH", path, body);
export const del = (path) => api("DELETE", path);

/** Every page of a paged list, up to `max` items. */
export async function all(path, max = 500) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await get(`${path}${sep}limit=${Math.min(500, max)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

let tenants = null;
/** The tenants, fetched once per page load (tenant pages refresh it after a change). */
export async function tenantList(refresh = false) {
  if (refresh || !tenants) tenants = await all("tenants", 1000);
  return tenants;
}
