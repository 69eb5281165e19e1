// Pieces several pages share: the tenant picker and the page heading.
import { tenantList } from "./api.js";
import { go, h } from "./dom.js";

/** A select of tenants; choosing one re-opens `page` with `tenant` set (and `keep` params). */
export async function tenantPicker(page, current, { allowAll = false, keep = {} } = {}) {
  const tenants = await tenantList();
  const select = h(
    "select",
    { id: "tenant-picker", "aria-label": "Tenant", onchange: (e) => go(page, { ...keep, tenant: e.target.value }) },
    allowAll ? h("option", { value: "" }, "All tenants") : h("option", { value: "", disabled: true }, "Choose a tenant"),
    tenants.map((t) => h("option", { value: t.id }, `${t.name} (${t.id})`)),
  );
  select.value = current ?? "";
  return h("label", { class: "field inline" }, h("span", {}, "Tenant"), select);
}

/** The tenant to show: the one named, else the only/first one when `fallback`. */
export async function chosenTenant(params, fallback = true) {
  if (params.tenant) return params.tenant;
  if (!fallback) return null;
  const tenants = await tenantList();
  return tenants[0]?.id ?? null;
}

export const heading = (title, ...extra) => h("div", { class: "page-head" }, h("h1", {}, title), h("div", { class: "tools" }, extra));
