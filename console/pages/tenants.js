// Tenants with their balances and prices; a new tenant.
import { post, tenantList } from "../api.js";
import { field, go, h, href, money, notice, table, time } from "../dom.js";
import { heading } from "../widgets.js";

export async function render(root) {
  const tenants = await tenantList(true);
  const status = notice();
  const form = h(
    "form",
    { class: "inline-form", id: "new-tenant" },
    field("Id", h("input", { name: "id", pattern: "[a-z0-9_-]{3,40}", placeholder: "acme", required: true })),
    field("Name", h("input", { name: "name", required: true, maxlength: 100 })),
    h("button", { type: "submit" }, "Create tenant"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    try {
      const t = await post("tenants", { id: f.id, name: f.name });
      await tenantList(true);
      go("tenant", { tenant: t.id });
    } catch (err) {
      status.error(err);
    }
  });
  root.append(
    heading("Tenants"),
    table(
      [
        ["Tenant", (t) => h("a", { href: href("tenant", { tenant: t.id }) }, `${t.name} (${t.id})`)],
        ["Balance", (t) => h("span", { class: "num", "data-balance": t.id }, money(t.balance))],
        ["Prices (V / N / M)", (t) => `${money(t.prices.verification)} / ${money(t.prices.notification)} / ${money(t.prices.marketing)}`],
        ["Time zone", (t) => t.timezone],
        ["Since", (t) => time(t.created_at)],
      ],
      tenants,
      "No tenants yet.",
    ),
    h("h2", {}, "New tenant"),
    form,
    status.el,
  );
}
