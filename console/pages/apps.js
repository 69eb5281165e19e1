// Apps (credentials) of a tenant: rotate a secret (shown once, here), block or unblock.
import { all, patch, post } from "../api.js";
import { badge, field, h, money, notice, table, time } from "../dom.js";
import { chosenTenant, heading, tenantPicker } from "../widgets.js";

export async function render(root, params) {
  const tenant = await chosenTenant(params);
  root.append(heading("Apps and credentials", await tenantPicker("apps", tenant)));
  if (!tenant) return root.append(h("p", { class: "empty" }, "No tenants yet."));
  const t = encodeURIComponent(tenant);
  const status = notice();
  const secretBox = h("div", { class: "secret", id: "secret", hidden: true });
  const apps = await all(`tenants/${t}/apps`, 500);
  const refresh = async () => {
    root.replaceChildren();
    await render(root, params);
  };

  /** The credentials of a new or rotated app: shown here once, never again. */
  function showSecret(title, credentials) {
    // After a refresh the page was built again: write into the box on screen.
    const box = root.querySelector("#secret") ?? secretBox;
    box.hidden = false;
    box.replaceChildren(
      h("strong", {}, `${title} (shown once; copy them now):`),
      h("dl", {}, Object.entries(credentials).map(([k, v]) => [h("dt", {}, k), h("dd", {}, h("code", {}, v))])),
    );
  }

  const create = h(
    "form",
    { class: "inline-form", id: "new-app" },
    field("Dialect", h("select", { name: "dialect" }, ["jpush", "jpush_dev", "paasw", "huawei", "smsapi"].map((d) => h("option", { value: d }, d)))),
    field("Name", h("input", { name: "name", maxlength: 100, placeholder: "shop backend" })),
    h("button", { type: "submit" }, "Create app"),
  );
  create.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(create));
    try {
      const r = await post(`tenants/${t}/apps`, { dialect: f.dialect, ...(f.name ? { name: f.name } : {}) });
      await refresh();
      showSecret(`Credentials of the new ${r.dialect} app ${r.name || r.id}`, r.credentials);
    } catch (err) {
      status.error(err);
    }
  });

  async function rotate(app) {
    if (!confirm(`Rotate the secret of "${app.name}"? The old secret and its tokens stop working at once.`)) return;
    try {
      const r = await post(`tenants/${t}/apps/${encodeURIComponent(app.id)}/rotate`);
      showSecret(`New credentials for ${app.name || app.id}`, r.credentials);
    } catch (e) {
      status.error(e);
    }
  }
  async function setBlocked(app, blocked) {
    try {
      await patch(`tenants/${t}/apps/${encodeURIComponent(app.id)}`, { blocked });
      await refresh();
    } catch (e) {
      status.error(e);
    }
  }
  root.append(
    status.el,
    secretBox,
    table(
      [
        ["Name", (a) => a.name || a.id],
        ["Dialect", (a) => a.dialect],
        ["Key", (a) => h("code", {}, a.key)],
        ["Kinds", (a) => a.kinds.join(", ")],
        ["State", (a) => (a.blocked ? badge("blocked") : badge("active"))],
        ["Spent today", (a) => (a.caps ? `${money(a.caps.spent_today)}${a.caps.daily === null ? "" : ` of ${money(a.caps.daily)}`}` : "")],
        ["Spent in total", (a) => (a.caps ? `${money(a.caps.spent_total)}${a.caps.total === null ? "" : ` of ${money(a.caps.total)}`}` : "")],
        ["Secret v", (a) => a.secret_version],
        ["Updated", (a) => time(a.updated_at)],
        [
          "",
          (a) =>
            h(
              "div",
              { class: "actions" },
              h("button", { type: "button", onclick: () => rotate(a) }, "Rotate"),
              h("button", { type: "button", class: a.blocked ? "" : "danger", onclick: () => setBlocked(a, !a.blocked) }, a.blocked ? "Unblock" : "Block"),
            ),
        ],
      ],
      apps,
      "This tenant has no apps.",
    ),
    h("h2", {}, "New app"),
    create,
  );
}
