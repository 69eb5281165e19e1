// DOM helpers. Every piece of data becomes a text node or an attribute value: nothing is parsed as
// HTML (template and message texts come from customers).

/** h("a", { href, class, onclick }, child, …): children are nodes or text. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** A link inside the console: the page and its parameters in the hash, each value encoded. */
export function href(page, params = {}) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")).toString();
  return `#/${page}${qs ? `?${qs}` : ""}`;
}

export const go = (page, params) => {
  location.hash = href(page, params);
};

/** Minor units (1 = 0.001 CNY) as yuan with three decimals. */
export const money = (n) =>
  `${Number(n) < 0 ? "-" : ""}¥${(Math.abs(Number(n)) / 1000).toLocaleString("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 })}`;
export const time = (ms) => (ms === null || ms === undefined ? "" : new Date(ms).toLocaleString());
export const duration = (ms) => (ms === null || ms === undefined ? "–" : ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`);
export const percent = (r) => (r === null || r === undefined ? "–" : `${(r * 100).toFixed(1)}%`);

/** A table of rows: columns are [heading, row => cell content]. */
export function table(columns, rows, empty = "Nothing here.") {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, columns.map(([title]) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, columns.map(([title, cell]) => h("td", { "data-label": title }, cell(r)))))),
    ),
  );
}

export const field = (label, input) => h("label", { class: "field" }, h("span", {}, label), input);

/** A status message under a form: role=status so screen readers hear it. */
export function notice() {
  const el = h("p", { class: "notice", role: "status" });
  return {
    el,
    ok(text) {
      el.className = "notice ok";
      el.textContent = text;
    },
    error(e) {
      el.className = "notice error";
      el.textContent = e?.message ?? String(e);
    },
    clear() {
      el.className = "notice";
      el.textContent = "";
    },
  };
}

export const badge = (status) => h("span", { class: `badge badge-${String(status).replace(/[^a-z_]/g, "")}` }, status);
