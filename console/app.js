// The console shell: sign-in, the hash router (#/page?params), the phone menu. Each page module
// exports render(root, params) and builds its DOM with dom.js (text only, never HTML strings).
import { get, session } from "./api.js";
import { h } from "./dom.js";

const PAGES = {
  overview: () => import("./pages/overview.js"),
  messages: () => import("./pages/messages.js"),
  message: () => import("./pages/message.js"),
  tenants: () => import("./pages/tenants.js"),
  tenant: () => import("./pages/tenant.js"),
  apps: () => import("./pages/apps.js"),
  review: () => import("./pages/review.js"),
  carriers: () => import("./pages/carriers.js"),
  "opt-outs": () => import("./pages/opt-outs.js"),
  simulator: () => import("./pages/simulator.js"),
};

const view = document.getElementById("view");
const signin = document.getElementById("signin");
const nav = document.getElementById("nav");
const menu = document.getElementById("menu");

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [page, qs] = raw.split("?");
  return { page: PAGES[page] ? page : "overview", params: Object.fromEntries(new URLSearchParams(qs ?? "")) };
}

let rendering = 0;
async function render() {
  if (!session.token()) return showSignIn();
  signin.hidden = true;
  document.body.classList.remove("signed-out");
  const { page, params } = parseHash();
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.getAttribute("href") === `#/${page}`);
  nav.classList.remove("open");
  menu.setAttribute("aria-expanded", "false");
  const mine = ++rendering;
  const root = h("div", { class: "page", "data-page": page });
  view.replaceChildren(h("p", { class: "loading" }, "Loading…"));
  try {
    const mod = await PAGES[page]();
    await mod.render(root, params);
    if (mine === rendering) view.replaceChildren(root);
  } catch (e) {
    if (mine === rendering && session.token()) view.replaceChildren(h("p", { class: "notice error", role: "alert" }, `Could not load this page: ${e.message}`));
  }
}

function showSignIn(message = "") {
  document.body.classList.add("signed-out");
  view.replaceChildren();
  signin.hidden = false;
  document.getElementById("signin-error").textContent = message;
  document.getElementById("token").focus();
}

document.getElementById("signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("token");
  session.signIn(input.value.trim());
  input.value = "";
  try {
    await get("tenants?limit=1");
    render();
  } catch (err) {
    session.signOut();
    showSignIn(err.status === 401 ? "That token was refused." : `Sign-in failed: ${err.message}`);
  }
});

document.getElementById("signout").addEventListener("click", () => {
  session.signOut();
  showSignIn();
});

menu.addEventListener("click", () => {
  const open = nav.classList.toggle("open");
  menu.setAttribute("aria-expanded", String(open));
});

window.addEventListener("console:signed-out", () => showSignIn("Signed out: the token was refused."));
window.addEventListener("hashchange", render);

// The simulator page is offered only where the simulator's routes answer (local gateways).
fetch("/simulator/v1/inbox/13800000000?limit=1", { credentials: "omit" })
  .then((r) => {
    document.getElementById("nav-simulator").hidden = !r.ok;
  })
  .catch(() => undefined);

render();
