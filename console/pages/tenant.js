// One tenant: balance with top-up / adjustment, the ledger, signatures and templates, deliveries.
import { all, get, post } from "../api.js";
import { badge, field, go, h, href, money, notice, table, time } from "../dom.js";
import { heading, tenantPicker } from "../widgets.js";

export async function render(root, params) {
  const id = params.tenant;
  const t = encodeURIComponent(id ?? "");
  const [tenant, prices, ledger, sigs, tpls, dead] = await Promise.all([
    get(`tenants/${t}`),
    get(`tenants/${t}/prices`),
    get(`tenants/${t}/ledger?limit=50${params.cursor ? `&cursor=${encodeURIComponent(params.cursor)}` : ""}`),
    all(`tenants/${t}/signatures`, 200),
    all(`tenants/${t}/templates`, 200),
    get(`tenants/${t}/webhook-deliveries?status=dead&limit=20`),
  ]);
  const status = notice();
  const topup = h(
    "form",
    { class: "inline-form", id: "topup" },
    field("Amount (CNY)", h("input", { name: "amount", type: "number", step: "0.001", required: true, inputmode: "decimal" })),
    field("Kind", h("select", { name: "reason" }, h("option", { value: "topup" }, "Top-up"), h("option", { value: "adjust" }, "Adjustment (±)"))),
    field("Note", h("input", { name: "note", required: true, maxlength: 500, placeholder: "invoice 2026-001" })),
    h("button", { type: "submit" }, "Apply"),
  );
  topup.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(topup));
    const amount = Math.round(Number(f.amount) * 1000);
    try {
      const r = await post(`tenants/${t}/balance`, { amount, reason: f.reason, note: f.note });
      status.ok(`Balance is now ${money(r.balance)}.`);
      setTimeout(() => go("tenant", { tenant: id, done: Date.now() }), 600);
    } catch (err) {
      status.error(err);
    }
  });
  const catalogStatus = notice();
  const approveNow = () => h("label", { class: "field inline" }, h("input", { type: "checkbox", name: "approve" }), h("span", {}, "approve now"));
  const newSignature = h(
    "form",
    { class: "inline-form", id: "new-signature" },
    field("Signature (without 【】)", h("input", { name: "name", required: true, minlength: 2, maxlength: 20 })),
    approveNow(),
    h("button", { type: "submit" }, "Add signature"),
  );
  const newTemplate = h(
    "form",
    { class: "inline-form", id: "new-template" },
    field("Kind", h("select", { name: "kind" }, ["verification", "notification", "marketing"].map((k) => h("option", { value: k }, k)))),
    field("Text ({{name}} parameters; verification needs {{code}})", h("input", { name: "content", required: true, maxlength: 1000 })),
    field("Signature", h("select", { name: "signature_id" }, h("option", { value: "" }, "none"), sigs.map((x) => h("option", { value: String(x.id) }, `【${x.name}】`)))),
    approveNow(),
    h("button", { type: "submit" }, "Add template"),
  );
  const submitCatalog = (form, path, body) =>
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = Object.fromEntries(new FormData(form));
      try {
        await post(`tenants/${t}/${path}`, { ...body(f), ...(f.approve ? { status: "approved" } : {}) });
        go("tenant", { tenant: id, done: Date.now() });
      } catch (err) {
        catalogStatus.error(err);
      }
    });
  submitCatalog(newSignature, "signatures", (f) => ({ name: f.name }));
  submitCatalog(newTemplate, "templates", (f) => ({ kind: f.kind, content: f.content, ...(f.signature_id ? { signature_id: Number(f.signature_id) } : {}) }));

  root.append(
    heading(tenant.name, await tenantPicker("tenant", id)),
    h("div", { class: "cards" }, h("div", { class: "card" }, h("span", { class: "label" }, "Balance"), h("strong", { id: "balance" }, money(tenant.balance)))),
    h("h2", {}, "Prices per segment"),
    table(
      [
        ["Destination", (p) => p.destination],
        ["Kind", (p) => p.kind ?? "any"],
        ["Price", (p) => money(p.price)],
      ],
      [
        ...["verification", "notification", "marketing"].map((k) => ({ destination: `${prices.home_country} (home)`, kind: k, price: prices.home_prices[k] })),
        ...prices.prices,
      ],
    ),
    h("h2", {}, "Top up or adjust"),
    topup,
    status.el,
    h("h2", {}, "Ledger"),
    table(
      [
        ["When", (l) => time(l.created_at)],
        ["Amount", (l) => h("span", { class: l.amount < 0 ? "num neg" : "num" }, money(l.amount))],
        ["Reason", (l) => l.reason],
        ["Note", (l) => l.note ?? ""],
        ["Batch / message", (l) => (l.message_id ? h("a", { href: href("message", { tenant: id, id: l.message_id }) }, l.message_id) : l.batch_id ? h("a", { href: href("messages", { tenant: id, batch: l.batch_id }) }, l.batch_id) : "")],
      ],
      ledger.items,
      "No ledger rows.",
    ),
    ledger.next_cursor ? h("a", { class: "more", href: href("tenant", { tenant: id, cursor: ledger.next_cursor }) }, "Older rows →") : "",
    h("h2", {}, "Signatures"),
    table([["Id", (s) => s.id], ["Name", (s) => `【${s.name}】`], ["Status", (s) => badge(s.status)], ["Note", (s) => s.review_note ?? ""]], sigs, "No signatures."),
    h("h2", {}, "Templates"),
    table(
      [["Id", (x) => x.id], ["Kind", (x) => x.kind], ["Text", (x) => h("span", { class: "text" }, x.content)], ["Status", (x) => badge(x.status)], ["Note", (x) => x.review_note ?? ""]],
      tpls,
      "No templates.",
    ),
    h("h2", {}, "New signature or template"),
    newSignature,
    newTemplate,
    catalogStatus.el,
    h("h2", {}, "Dead webhook pushes"),
    table([["When", (d) => time(d.updated_at)], ["URL", (d) => d.url], ["Attempts", (d) => d.attempts], ["Last error", (d) => d.last_error ?? ""]], dead.items, "None."),
  );
}
