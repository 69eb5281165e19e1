// The review queue: pending signatures and templates of every tenant, oldest first; approve, or
// reject with a reason the customer sees.
import { get, post } from "../api.js";
import { h, href, notice, time } from "../dom.js";
import { heading } from "../widgets.js";

function item(i, onDone) {
  const status = notice();
  const reason = h("input", { name: "note", maxlength: 500, placeholder: "Reason (shown to the customer)", "aria-label": "Reason" });
  const path = `tenants/${encodeURIComponent(i.tenant_id)}/${i.type === "signature" ? "signatures" : "templates"}/${i.id}/review`;
  async function verdict(statusValue) {
    if (statusValue === "rejected" && reason.value.trim() === "") {
      reason.focus();
      return status.error(new Error("Give a reason for the rejection."));
    }
    try {
      await post(path, { status: statusValue, ...(reason.value.trim() ? { note: reason.value.trim() } : {}) });
      status.ok(statusValue === "approved" ? "Approved." : "Rejected.");
      onDone();
    } catch (e) {
      status.error(e);
    }
  }
  return h(
    "li",
    { class: "review-item", "data-type": i.type, "data-id": i.id, "data-tenant": i.tenant_id },
    h(
      "div",
      { class: "review-head" },
      h("strong", {}, i.type === "signature" ? `Signature #${i.id}` : `Template #${i.id} (${i.kind})`),
      h("a", { href: href("tenant", { tenant: i.tenant_id }) }, i.tenant_id),
      h("time", {}, time(i.created_at)),
    ),
    h("p", { class: "review-text" }, i.type === "signature" ? `【${i.name}】` : i.content),
    h(
      "div",
      { class: "actions" },
      reason,
      h("button", { type: "button", class: "approve", onclick: () => verdict("approved") }, "Approve"),
      h("button", { type: "button", class: "danger reject", onclick: () => verdict("rejected") }, "Reject"),
    ),
    status.el,
  );
}

export async function render(root) {
  const { items } = await get("review-queue?limit=200");
  const list = h("ul", { class: "review-list", id: "review-list" });
  for (const i of items) {
    const li = item(i, () => setTimeout(() => li.remove(), 800));
    list.append(li);
  }
  root.append(heading("Review queue"), items.length ? list : h("p", { class: "empty" }, "Nothing waits for review."));
}
