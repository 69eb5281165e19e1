// Messages: a tenant's messages by mobile and status (newest first), a batch's messages, or one
// message by id; each row opens its timeline.
import { get } from "../api.js";
import { badge, field, go, h, href, money, notice, table, time } from "../dom.js";
import { chosenTenant, heading, tenantPicker } from "../widgets.js";

const STATUSES = ["", "scheduled", "queued", "submitted", "delivered", "undelivered", "failed", "canceled"];

export async function render(root, params) {
  const tenant = await chosenTenant(params);
  root.append(heading("Messages", await tenantPicker("messages", tenant)));
  if (!tenant) return root.append(h("p", { class: "empty" }, "No tenants yet."));

  const form = h(
    "form",
    { class: "filters", id: "message-search" },
    field("Mobile", h("input", { name: "mobile", value: params.mobile ?? "", inputmode: "tel", autocomplete: "off" })),
    field("Message id", h("input", { name: "id", value: params.id ?? "", autocomplete: "off" })),
    field("Batch id", h("input", { name: "batch", value: params.batch ?? "", autocomplete: "off" })),
    field("Status", h("select", { name: "status" }, STATUSES.map((s) => h("option", { value: s }, s || "any")))),
    h("button", { type: "submit" }, "Search"),
  );
  form.elements.status.value = params.status ?? "";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    go("messages", { tenant, ...f });
  });
  const status = notice();
  root.append(form, status.el);

  if (params.id) return go("message", { tenant, id: params.id.trim() });
  const t = encodeURIComponent(tenant);
  let page;
  try {
    if (params.batch) {
      page = await get(`tenants/${t}/batches/${encodeURIComponent(params.batch.trim())}/messages?limit=200${params.cursor ? `&cursor=${encodeURIComponent(params.cursor)}` : ""}`);
    } else {
      const q = new URLSearchParams({ limit: "100" });
      if (params.mobile) q.set("mobile", params.mobile.trim());
      if (params.status) q.set("status", params.status);
      if (params.cursor) q.set("cursor", params.cursor);
      page = await get(`tenants/${t}/messages?${q}`);
    }
  } catch (e) {
    return status.error(e);
  }
  root.append(
    table(
      [
        ["Accepted", (m) => time(m.created_at)],
        ["Mobile", (m) => m.mobile],
        ["Status", (m) => badge(m.status)],
        ["Code", (m) => m.result_code ?? ""],
        ["Kind", (m) => m.kind],
        ["Carrier", (m) => m.carrier ?? ""],
        ["Text", (m) => h("span", { class: "text" }, m.content)],
        ["Price", (m) => money(m.price)],
        ["", (m) => h("a", { href: href("message", { tenant, id: m.id }), class: "open" }, "Timeline")],
      ],
      page.items,
      "No messages match.",
    ),
    page.next_cursor ? h("a", { class: "more", href: href("messages", { ...params, tenant, cursor: page.next_cursor }) }, "Older messages →") : "",
  );
}
