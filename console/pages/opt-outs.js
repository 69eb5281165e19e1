// A tenant's opt-outs (mobiles unsubscribed from marketing): list, add, remove.
import { all, del, post } from "../api.js";
import { field, h, notice, table, time } from "../dom.js";
import { chosenTenant, heading, tenantPicker } from "../widgets.js";

export async function render(root, params) {
  const tenant = await chosenTenant(params);
  root.append(heading("Opt-outs", await tenantPicker("opt-outs", tenant)));
  if (!tenant) return root.append(h("p", { class: "empty" }, "No tenants yet."));
  const t = encodeURIComponent(tenant);
  const status = notice();
  const refresh = async () => {
    root.replaceChildren();
    await render(root, params);
  };
  const form = h("form", { class: "inline-form", id: "add-opt-out" }, field("Mobile", h("input", { name: "mobile", required: true, inputmode: "tel" })), h("button", { type: "submit" }, "Add opt-out"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await post(`tenants/${t}/opt-outs`, { mobile: new FormData(form).get("mobile"), source: "console" });
      await refresh();
    } catch (err) {
      status.error(err);
    }
  });
  const items = await all(`tenants/${t}/opt-outs`, 1000);
  root.append(
    form,
    status.el,
    table(
      [
        ["Mobile", (o) => o.mobile],
        ["Source", (o) => o.source],
        ["Since", (o) => time(o.created_at)],
        [
          "",
          (o) =>
            h("button", {
              type: "button",
              class: "danger",
              onclick: async () => {
                try {
                  await del(`tenants/${t}/opt-outs/${encodeURIComponent(o.mobile)}`);
                  await refresh();
                } catch (err) {
                  status.error(err);
                }
              },
            }, "Remove"),
        ],
      ],
      items,
      "No opt-outs.",
    ),
  );
}
