// Local gateways only: the carrier simulator's handset inbox for a mobile, and a reply box that
// injects a reply (MO) from that mobile, as the handset would send it.
import { api } from "../api.js";
import { field, go, h, notice, table, time } from "../dom.js";
import { heading } from "../widgets.js";

export async function render(root, params) {
  const mobile = params.mobile ?? "";
  const lookup = h("form", { class: "inline-form", id: "inbox-form" }, field("Mobile", h("input", { name: "mobile", value: mobile, required: true, inputmode: "tel" })), h("button", { type: "submit" }, "Open inbox"));
  lookup.addEventListener("submit", (e) => {
    e.preventDefault();
    go("simulator", { mobile: String(new FormData(lookup).get("mobile")).trim() });
  });
  root.append(heading("Simulator handset"), h("p", {}, "What the simulator carrier delivered to a mobile, newest first. Local gateways only."), lookup);
  if (!mobile) return;
  const status = notice();
  let inbox;
  try {
    inbox = await api("GET", `/simulator/v1/inbox/${encodeURIComponent(mobile)}?limit=50`);
  } catch (e) {
    return root.append(h("p", { class: "notice error" }, e.message));
  }
  const reply = h(
    "form",
    { class: "inline-form", id: "reply-form" },
    field("Reply text", h("input", { name: "content", required: true, maxlength: 1000, placeholder: "TD" })),
    field("To signature", h("input", { name: "signature", required: true, maxlength: 64, placeholder: "边缘短信" })),
    h("button", { type: "submit" }, "Send reply"),
  );
  reply.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(reply));
    try {
      const r = await api("POST", "/simulator/v1/replies", { mobile: inbox.mobile, content: f.content, signature: f.signature });
      status.ok(r.opt_out ? "Reply stored; the mobile opted out of marketing." : "Reply stored.");
    } catch (err) {
      status.error(err);
    }
  });
  root.append(
    h("div", { class: "page-head" }, h("h2", {}, `Inbox of ${inbox.mobile}`), h("button", { type: "button", id: "inbox-refresh", onclick: () => go("simulator", { mobile, at: Date.now() }) }, "Refresh")),
    table([["Received", (m) => time(m.received_at)], ["Channel", (m) => m.channel], ["Text", (m) => h("span", { class: "text sms" }, m.content)]], inbox.messages, "Nothing received yet."),
    h("h2", {}, "Reply from this handset"),
    reply,
    status.el,
  );
}
