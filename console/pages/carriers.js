// Carriers and routes with their live status, from the operator API's carrier endpoints. Fields are
// shown as the API answers them, so the page follows the API as it grows.
import { get } from "../api.js";
import { badge, h, notice, table } from "../dom.js";
import { heading } from "../widgets.js";

const show = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** A table of whatever fields the items have (secrets are never answered by the API). */
function generic(items, status = {}) {
  const keys = [...new Set(items.flatMap((i) => Object.keys(i)))].filter((k) => k !== "settings");
  const cols = keys.map((k) => [k, (i) => (k === "enabled" ? badge(i[k] ? "enabled" : "disabled") : show(i[k]))]);
  if (Object.keys(status).length) cols.push(["live status", (i) => show(status[i.name] ?? "")]);
  return table(cols, items, "None configured.");
}

export async function render(root) {
  root.append(heading("Carriers and routes"));
  const msg = notice();
  root.append(msg.el);
  let carriers;
  try {
    carriers = await get("carriers?limit=500");
  } catch (e) {
    if (e.status === 404) return msg.error(new Error("This gateway's operator API has no carrier endpoints yet (/admin/v1/carriers)."));
    throw e;
  }
  const items = carriers.items ?? [];
  const live = {};
  await Promise.all(
    items.map(async (c) => {
      try {
        live[c.name] = await get(`carriers/${encodeURIComponent(c.name)}/status`);
      } catch {
        live[c.name] = null;
      }
    }),
  );
  root.append(h("h2", {}, "Carriers"), generic(items, live));
  try {
    const routes = await get("routes");
    root.append(h("h2", {}, "Routes (first match wins)"), generic(routes.items ?? routes.rules ?? []));
  } catch (e) {
    root.append(h("p", { class: "notice error" }, `Routes: ${e.message}`));
  }
}
