// The docs' shell examples as a test sees them: extraction from the markdown, the rule that compares
// an answer with the one a doc shows, and a bash session that runs a file's examples in order.
// The rule is written for readers in docs/docs-tests.md; keep the two in step.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Fence languages whose blocks are run. */
const SHELL = new Set(["sh", "bash", "shell"]);
/** `<!-- docs-test: skip (why) -->` right before a fence: not runnable as printed (deploys, secrets…). */
const SKIP = /^<!--\s*docs-test:\s*skip\b(.*)-->\s*$/;

/**
 * The shell blocks of a markdown file, in order. A ```json (or ```text) block that follows a shell
 * block with nothing but blank lines between is the answer to that block's last command.
 */
export function extractBlocks(markdown) {
  const lines = markdown.split("\n");
  const fences = [];
  for (let i = 0; i < lines.length; i++) {
    // Fences may be indented (inside a list item); the indentation is not part of the code.
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open || !open[2]) continue;
    const indent = open[1].length;
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === "") k--;
    const skip = k >= 0 ? SKIP.exec(lines[k].trim()) : null;
    const text = lines.slice(i + 1, j).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join("\n");
    fences.push({ lang: open[2], line: i + 1, end: j + 1, text, skip: skip ? skip[1].trim() || "marked" : null });
    i = j;
  }
  const blocks = [];
  for (let f = 0; f < fences.length; f++) {
    const b = fences[f];
    if (!SHELL.has(b.lang)) continue;
    const next = fences[f + 1];
    let answer = null;
    if (next && (next.lang === "json" || next.lang === "text") && lines.slice(b.end, next.line - 1).every((l) => l.trim() === "")) {
      answer = { text: next.text, json: next.lang === "json", line: next.line };
      f++;
    }
    blocks.push({ line: b.line, text: b.text, skip: b.skip, answer });
  }
  return blocks;
}

const complete = (text) => spawnSync("bash", ["-n"], { input: text }).status === 0;

/** `# {…}` / `# […]` (JSON) or `# → text` after a command: what it answers. */
const ANSWER_START = /^# ?([[{]|→ )/;
const ANSWER_MORE = /^#( {2,}| ?[\]}])/;

/**
 * Splits a block into complete commands (bash decides where one ends), each with the answer its
 * doc shows, if any. Prose comments between commands are dropped.
 */
export function splitCommands(text, finalAnswer = null) {
  const lines = text.split("\n");
  const commands = [];
  let pending = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (pending.length === 0) {
      if (line.trim() === "") continue;
      if (ANSWER_START.test(line) && commands.length > 0) {
        const shown = [line];
        while (i + 1 < lines.length && ANSWER_MORE.test(lines[i + 1])) shown.push(lines[++i]);
        const last = commands[commands.length - 1];
        const body = shown.map((l) => l.replace(/^# ?/, "")).join("\n");
        last.answer = body.startsWith("→ ") ? { text: body.slice(2), json: false } : { text: body, json: true };
        continue;
      }
      if (line.trimStart().startsWith("#")) continue;
    }
    pending.push(line);
    const cmd = pending.join("\n");
    if (!/\\\s*$/.test(line) && complete(cmd)) {
      commands.push({ text: cmd, answer: null });
      pending = [];
    }
  }
  if (pending.length > 0) commands.push({ text: pending.join("\n"), answer: null, incomplete: true });
  if (finalAnswer && commands.length > 0) commands[commands.length - 1].answer = finalAnswer;
  return commands;
}

/**
 * Keys whose values are an identifier, a secret, a moment or a balance (or an amount spent or left):
 * they differ from run to run (a balance with what ran before), so only their type is compared.
 */
const VARIABLE_KEY = /(^id$|_id$|Id$|^ids$|_ids$|Ids$|^uid$|_at$|At$|Time$|_time$|^time$|^date$|token|Token|secret|Secret|^key$|_key$|Key$|^password$|^etag$|^ref$|^expires_in$|^balance$|^spent_|^remaining_)/;

const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** `…` in a shown string stands for any text; the rest must be equal. */
function stringMatches(shown, actual) {
  if (!shown.includes("…")) return shown === actual;
  const parts = shown.split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*")}$`).test(actual);
}

/**
 * Differences between a shown JSON answer and the actual one, as readable lines (empty: they agree).
 * Objects have exactly the same keys; arrays the same length; the value "…" matches anything;
 * values under a variable key (VARIABLE_KEY) only need the same type; everything else is equal.
 */
export function compareJson(shown, actual, path = "$", key = "") {
  if (shown === "…") return [];
  if (typeOf(shown) !== typeOf(actual)) return [`${path}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(shown)) {
    if (shown.length !== actual.length) return [`${path}: shown ${shown.length} item(s), got ${actual.length}: ${JSON.stringify(actual)}`];
    return shown.flatMap((s, i) => compareJson(s, actual[i], `${path}[${i}]`, key));
  }
  if (typeOf(shown) === "object") {
    const out = [];
    for (const k of Object.keys(shown)) if (!(k in actual)) out.push(`${path}.${k}: shown, but missing`);
    for (const k of Object.keys(actual)) if (!(k in shown)) out.push(`${path}.${k}: not shown, but answered ${JSON.stringify(actual[k])}`);
    for (const k of Object.keys(shown)) if (k in actual) out.push(...compareJson(shown[k], actual[k], `${path}.${k}`, k));
    return out;
  }
  if (VARIABLE_KEY.test(key)) return [];
  if (typeof shown === "string" ? stringMatches(shown, actual) : shown === actual) return [];
  return [`${path}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
}

/** Text answers: line by line (leading and trailing blanks aside), `…` standing for any text within a line. */
export function compareText(shown, actual) {
  const s = shown.trimEnd().split("\n");
  const a = actual.trimEnd().split("\n");
  if (s.length !== a.length) return [`shown ${s.length} line(s), got ${a.length}: ${JSON.stringify(actual)}`];
  return s.flatMap((line, i) => (stringMatches(line.trim(), a[i].trim()) ? [] : [`line ${i + 1}: shown ${JSON.stringify(line)}, got ${JSON.stringify(a[i])}`]));
}

/** Compares what a command printed (and the HTTP statuses its curl calls got) with what its doc shows. */
export function checkAnswer(command, stdout, statuses) {
  const shown = command.answer;
  if (!shown) {
    const bad = statuses.filter((s) => s >= 400 || s === 0);
    return bad.length ? [`HTTP ${bad.join(", ")} and the doc shows no answer (an error example must show the answer it gets)`] : [];
  }
  let text = shown.text;
  const status = /^HTTP (\d{3})\s*\n/.exec(text);
  const problems = [];
  if (status) {
    text = text.slice(status[0].length);
    const last = statuses[statuses.length - 1];
    if (String(last) !== status[1]) problems.push(`shown HTTP ${status[1]}, got ${last ?? "no HTTP call"}`);
  }
  if (!shown.json) return [...problems, ...compareText(text, stdout)];
  let want;
  try {
    want = JSON.parse(text);
  } catch (e) {
    return [...problems, `the doc's answer is not JSON (${e.message}): ${text}`];
  }
  let got;
  try {
    got = JSON.parse(stdout);
  } catch {
    return [...problems, `the answer is not JSON: ${JSON.stringify(stdout.slice(0, 500))}`];
  }
  return [...problems, ...compareJson(want, got)];
}

/**
 * One bash session per markdown file, so shell variables carry from one example to the next. Every
 * curl reports its HTTP status on stderr (a function the session defines; the printed commands are
 * unchanged), and each command ends with a marker carrying its exit status.
 */
export class Session {
  #bash;
  #out = "";
  #err = "";
  #n = 0;

  constructor(cwd, env) {
    // Its own process group, so close() also ends anything an example left running.
    this.#bash = spawn("bash", ["--noprofile", "--norc"], { cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    this.#bash.stdout.on("data", (d) => (this.#out += d));
    this.#bash.stderr.on("data", (d) => (this.#err += d));
    // npm, npx and wrangler install, deploy, start servers or benchmark: an example that uses them
    // must be marked as not run, and running one anyway fails here instead of touching the machine.
    const refuse = (name) => `${name}() { echo "${name} is not run by the docs test: mark the block <!-- docs-test: skip (why) -->" >&2; return 97; }`;
    this.#bash.stdin.write(
      [
        "set -o pipefail",
        "shopt -s expand_aliases",
        `curl() { command curl --write-out '%{stderr}\\n@@http %{http_code}\\n' "$@"; }`,
        refuse("npm"),
        refuse("npx"),
        refuse("wrangler"),
        "",
      ].join("\n"),
    );
  }

  /** Runs one command; resolves with its stdout, stderr (less the status lines), exit code and statuses. */
  async run(text, timeoutMs = 30_000) {
    const id = `@@done ${++this.#n} `;
    this.#out = "";
    this.#err = "";
    this.#bash.stdin.write(`${text}\n__rc=$?; printf '\\n${id}%s\\n' "$__rc"; printf '\\n${id}\\n' >&2\n`);
    const end = Date.now() + timeoutMs;
    while (!(this.#out.includes(id) && this.#err.includes(id))) {
      if (this.#bash.exitCode !== null) return { stdout: this.#out, stderr: this.#err, code: -1, statuses: [], exited: true };
      if (Date.now() > end) return { stdout: this.#out, stderr: this.#err, code: -1, statuses: [], timedOut: true };
      await new Promise((r) => setTimeout(r, 20));
    }
    const at = this.#out.indexOf(id);
    const code = Number(this.#out.slice(at + id.length).split("\n")[0]);
    const stdout = this.#out.slice(0, at).replace(/\n$/, "");
    const errText = this.#err.slice(0, this.#err.indexOf(id));
    const statuses = [...errText.matchAll(/@@http (\d{3})/g)].map((m) => Number(m[1]));
    const stderr = errText.replace(/\n?@@http \d{3}\n/g, "").trim();
    return { stdout, stderr, code, statuses };
  }

  close() {
    this.#bash.stdin.end();
    try {
      process.kill(-this.#bash.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** README.md, then docs/*.md in name order. */
export const docFiles = (root = ".") => ["README.md", ...readdirSync(`${root}/docs`).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

/**
 * Runs one file's examples in order against the gateway at `port` (its demo credentials in `state`)
 * and the local SMSC's `smsc` ports: the addresses (in commands and shown answers) and the
 * demo-credentials path are the only text rewritten. Returns the failures, one
 * readable entry per command that did not run or did not answer as shown.
 */
export async function runFile(file, gateway) {
  return runBlocks(file, extractBlocks(readFileSync(file, "utf8")), gateway);
}

/** The commands `npm start` prints (from its first `# ` heading on), run as one block, as printed. */
export async function runBanner(banner, gateway) {
  const from = banner.search(/^# /m);
  if (from < 0) return ["the banner shows no commands"];
  return runBlocks("npm start's banner", [{ line: 1, text: banner.slice(from), skip: null, answer: null }], gateway);
}

async function runBlocks(label, blocks, { port, state, smsc }) {
  const localise = (text) => {
    let out = text.replaceAll(":8787", `:${port}`).replaceAll("./.wrangler/demo-credentials.json", state).replaceAll(".wrangler/demo-credentials.json", state);
    // The local SMSC's documented ports (`npm run smsc`: SMPP 2775, control API 2776).
    if (smsc) out = out.replaceAll("127.0.0.1:2776", `127.0.0.1:${smsc.controlPort}`).replaceAll('"port":2775', `"port":${smsc.smppPort}`);
    return out;
  };
  const session = new Session(process.cwd(), { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8" });
  const failures = [];
  try {
    for (const block of blocks) {
      if (block.skip) continue;
      for (const command of splitCommands(block.text, block.answer)) {
        const where = `${label}:${block.line}: ${command.text.split("\n")[0]}`;
        if (command.incomplete) {
          failures.push(`${where}\n  not a complete shell command`);
          break;
        }
        const r = await session.run(localise(command.text));
        const shown = command.answer ? { ...command, answer: { ...command.answer, text: localise(command.answer.text) } } : command;
        const problems = r.timedOut
          ? ["no answer within 30 s"]
          : r.code !== 0
            ? [`exit status ${r.code}${r.stderr ? `: ${r.stderr}` : ""}`]
            : checkAnswer(shown, r.stdout, r.statuses);
        if (problems.length) failures.push(`${where}\n  ${problems.join("\n  ")}${r.stdout ? `\n  printed: ${r.stdout.slice(0, 600)}` : ""}`);
      }
    }
  } finally {
    session.close();
  }
  return failures;
}
