// The operations console: four pages over the host's admin APIs, with the token an admin pasted (docs/adr/0039).
// Everything shown is built with textContent, never parsed as HTML: dead letters carry whatever a sender put in them.

const TOKEN_KEY = "modular-ops-token";
const PAGES = { topology: topologyPage, health: healthPage, "dead-letters": deadLettersPage, orders: ordersPage };
const main = document.getElementById("main");
const statusLine = document.getElementById("status");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let generation = 0;

// ---- DOM and HTTP helpers -------------------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const svg = ["svg", "g", "rect", "path", "text", "defs", "marker", "title", "tspan"].includes(tag);
  const element = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function say(text) {
  statusLine.textContent = text;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => (statusLine.textContent = ""), 6000);
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The host answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    // A host that does not answer is reported, not waited for forever.
    signal: AbortSignal.timeout(15000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function shortName(type) {
  return type ? type.slice(Math.max(type.lastIndexOf("."), type.lastIndexOf("+")) + 1) : "";
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function inWords(seconds) {
  const s = Math.abs(Math.round(seconds));
  const text = s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString(undefined, { maximumFractionDigits: digits });
}

function confirmAction(text) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

function failure(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut("The host refused the token (expired or not signed by its key). Sign in again.");
    return h("p", { class: "error" }, "Signed out: the token was refused.");
  }
  if (error instanceof ApiError && error.status === 403) {
    return h("p", { class: "error", role: "alert" }, "This token is not an admin's: the console needs the admin role.");
  }
  return h("p", { class: "error", role: "alert" }, `Could not read from the host: ${error.message}`);
}

// ---- Sign-in ----------------------------------------------------------------------------------------------

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  render(reason);
}

function signInForm(reason) {
  const field = h("textarea", { id: "token", name: "token", required: true, autocomplete: "off", spellcheck: "false" });
  const problem = h("p", { class: "error", id: "signin-problem", role: "alert" }, reason || "");
  const form = h("form", {
    class: "card signin",
    onsubmit: async (event) => {
      event.preventDefault();
      const token = field.value.trim().replace(/^Bearer\s+/i, "");
      sessionStorage.setItem(TOKEN_KEY, token);
      try {
        await api("/api/modules");
        render();
      } catch (error) {
        sessionStorage.removeItem(TOKEN_KEY);
        problem.textContent = error instanceof ApiError && error.status === 403
          ? "This token is not an admin's: the console needs the admin role."
          : error instanceof ApiError && error.status === 401
            ? "The host refused this token: it is expired, malformed or not signed by this deployment's key."
            : `Could not reach the host: ${error.message}`;
      }
    },
  },
  h("h1", {}, "Sign in"),
  h("p", {}, "Paste an admin token: ", h("code", {}, "scripts/run.sh"), " prints one as ", h("code", {}, "ADMIN_TOKEN"),
    ", and the host's ", h("code", {}, "token --subject <you> --role admin"), " command mints one. It stays in this tab only and goes to this host's APIs alone."),
  h("label", { for: "token" }, "Admin token"),
  field,
  problem,
  h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Sign in")));
  return form;
}

// ---- Pages --------------------------------------------------------------------------------------------------

function currentPage() {
  const name = location.pathname.replace(/^\/ops\/?/, "").replace(/\/$/, "") || "topology";
  return PAGES[name] ? name : "topology";
}

function render(reason) {
  generation++;
  const page = currentPage();
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.page === page) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const identity = document.getElementById("identity");
  identity.replaceChildren();
  main.replaceChildren();
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    main.append(signInForm(reason));
    return;
  }
  identity.append(h("span", {}, "Signed in with an admin token"), h("button", { type: "button", onclick: () => signOut() }, "Sign out"));
  PAGES[page]();
}

/**
 * Runs refresh now and again milliseconds after each run ends, until the page is drawn anew: never two at once, however
 * slow the host answers. A tick is skipped while the keyboard is inside holdWhileFocused, so a redraw never takes
 * the operator's focus away.
 */
function every(milliseconds, refresh, holdWhileFocused) {
  const mine = generation;
  const tick = async () => {
    if (mine !== generation) return;
    if (!holdWhileFocused || !holdWhileFocused.contains(document.activeElement)) await refresh();
    if (mine === generation) setTimeout(tick, milliseconds);
  };
  tick();
}

async function topologyPage() {
  document.title = "Topology · Modular operations";
  const body = h("div", {}, h("p", { class: "muted" }, "Reading the deployment…"));
  main.append(h("h1", {}, "Topology"), body);
  try {
    const [topology, activity] = await Promise.all([api("/api/modules"), api("/api/platform/activity")]);
    body.replaceChildren(
      h("section", { "aria-labelledby": "flow-title" },
        h("h2", { id: "flow-title" }, "Messages between modules"),
        h("p", { class: "muted" }, `Transport between processes: ${topology.transport}. Envelope schema of this process: ${topology.envelopeSchema}.`),
        diagram(topology),
        flowTable(topology)),
      h("section", { "aria-labelledby": "modules-title" },
        h("h2", { id: "modules-title" }, "Modules"),
        h("table", { id: "modules" },
          h("thead", {}, h("tr", {}, ["Module", "Runs in", "Schema", "Inbox", "Handles", "Routes"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, topology.modules.map((m) => h("tr", { "data-module": m.name },
            h("th", { scope: "row" }, m.name), h("td", {}, m.runsIn), h("td", {}, h("code", {}, m.schema)),
            h("td", {}, h("code", {}, m.inbox)), h("td", { class: "number" }, m.handles.length), h("td", { class: "number" }, m.routes.length)))))),
      h("section", { "aria-labelledby": "processes-title" },
        h("h2", { id: "processes-title" }, "Processes"),
        h("div", { class: "grid" }, activity.processes.map(processCard))));
  } catch (error) {
    body.replaceChildren(failure(error));
  }
}

function processCard(process) {
  return h("div", { class: "card process", "data-hosts": process.hosts.join(",") },
    h("h3", {}, process.url ? `Process at ${process.url}` : "This process"),
    h("p", {}, h("span", { class: `badge ${process.status}` }, process.status), " hosts ", process.hosts.join(", ")),
    process.problems.length ? h("ul", {}, process.problems.map((p) => h("li", {}, p))) : null);
}

function flows(topology) {
  const pairs = new Map();
  for (const flow of topology.flows) {
    const key = `${flow.from}→${flow.to}`;
    if (!pairs.has(key)) pairs.set(key, { from: flow.from, to: flow.to, messages: [] });
    pairs.get(key).messages.push(shortName(flow.message));
  }
  return [...pairs.values()];
}

function flowTable(topology) {
  return h("details", {},
    h("summary", {}, "The same flows as a table"),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "From"), h("th", { scope: "col" }, "To"), h("th", { scope: "col" }, "Messages"))),
      h("tbody", {}, flows(topology).map((f) => h("tr", {}, h("td", {}, f.from), h("td", {}, f.to), h("td", {}, f.messages.join(", ")))))));
}

function diagram(topology) {
  const width = 900, height = 560, cx = width / 2, cy = height / 2, radius = 215, boxW = 150, boxH = 52;
  // The module with the most flows in the middle, the others around it: an order workflow is a star around Ordering.
  const degree = (name) => topology.flows.filter((f) => f.from === name || f.to === name).length;
  const hub = topology.modules.length > 2 ? topology.modules.reduce((a, b) => (degree(b.name) > degree(a.name) ? b : a)) : null;
  const around = topology.modules.filter((m) => m !== hub);
  const at = new Map(around.map((m, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / around.length;
    return [m.name, { x: cx + radius * 1.6 * Math.cos(angle), y: cy + radius * Math.sin(angle), module: m }];
  }));
  if (hub) at.set(hub.name, { x: cx, y: cy, module: hub });
  const described = flows(topology).map((f) => `${f.from} to ${f.to}: ${f.messages.join(", ")}`).join("; ");
  const svg = h("svg", { class: "diagram", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Message flow between modules. ${described}` },
    h("defs", {}, h("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      h("path", { d: "M 0 0 L 10 5 L 0 10 z" }))));
  for (const f of flows(topology)) {
    const a = at.get(f.from), b = at.get(f.to);
    if (!a || !b) continue;
    const dx = b.x - a.x, dy = b.y - a.y, length = Math.hypot(dx, dy), nx = -dy / length, ny = dx / length;
    // Both directions between two modules bend apart, each to its own right.
    const bend = 38, mx = (a.x + b.x) / 2 + nx * bend, my = (a.y + b.y) / 2 + ny * bend;
    const start = edgePoint(a, mx, my, boxW, boxH), end = edgePoint(b, mx, my, boxW, boxH);
    const label = f.messages.join(", ");
    svg.append(h("g", { class: "flow", "data-from": f.from, "data-to": f.to },
      h("title", {}, `${f.from} → ${f.to}: ${label}`),
      h("path", { d: `M ${start.x} ${start.y} Q ${mx} ${my} ${end.x} ${end.y}`, "marker-end": "url(#arrow)" }),
      // The label sits beside the curve's middle, on the side it bends to, so the two directions' labels part.
      h("text", {
        x: (start.x + 2 * mx + end.x) / 4 + nx * 6,
        y: (start.y + 2 * my + end.y) / 4 + ny * 6 + (ny > 0.3 ? 10 : 0),
        "text-anchor": Math.abs(nx) < 0.3 ? "middle" : nx > 0 ? "start" : "end",
      }, label.length > 44 ? `${label.slice(0, 42)}…` : label)));
  }
  for (const { x, y, module } of at.values()) {
    svg.append(h("g", { class: `node${module.hostedHere ? "" : " remote"}`, "data-module": module.name },
      h("title", {}, `${module.name}: ${module.runsIn}`),
      h("rect", { x: x - boxW / 2, y: y - boxH / 2, width: boxW, height: boxH, rx: 8 }),
      h("text", { x, y: y - 3 }, module.name),
      h("text", { x, y: y + 15, class: "where" }, module.hostedHere ? "this process" : "another process")));
  }
  return svg;
}

/** Where the line from a box's centre towards (tx, ty) leaves the box. */
function edgePoint(box, tx, ty, w, hgt) {
  const dx = tx - box.x, dy = ty - box.y;
  const scale = Math.min((w / 2 + 4) / Math.abs(dx || 1e-9), (hgt / 2 + 4) / Math.abs(dy || 1e-9));
  return { x: box.x + dx * scale, y: box.y + dy * scale };
}

async function healthPage() {
  document.title = "Health · Modular operations";
  const updated = h("p", { class: "muted", id: "updated" }, "Reading live figures…");
  const body = h("div", {});
  main.append(h("h1", {}, "Live module health"),
    h("p", { class: "muted" }, "Rates over the last 10 s, failures and latency over the last minute, from this host's own measurements; refreshed every 2 s."),
    updated, body);
  every(2000, async () => {
    try {
      const activity = await api("/api/platform/activity");
      body.replaceChildren(...activity.processes.map((process) => h("section", { class: "process", "data-hosts": process.hosts.join(",") },
        h("h2", {}, process.url ? `Process at ${process.url} ` : "This process ", h("span", { class: `badge ${process.status}` }, process.status)),
        process.problems.length ? h("ul", {}, process.problems.map((p) => h("li", {}, p))) : null,
        process.modules.length ? moduleTable(process.modules) : h("p", { class: "muted" }, `No figures from ${process.hosts.join(", ")}.`))));
      updated.textContent = `Updated ${new Date(activity.at).toLocaleTimeString()}`;
    } catch (error) {
      body.replaceChildren(failure(error));
    }
  });
}

function moduleTable(modules) {
  const columns = ["Module", "Handled/s", "Handled", "Failed (1 min)", "Failed", "Dead-lettered", "p50 ms", "p99 ms", "Inbox", "Oldest waiting", "Dead letters", "Paused"];
  return h("table", { class: "activity" },
    h("thead", {}, h("tr", {}, columns.map((c, i) => h("th", { scope: "col", class: i ? "number" : null }, c)))),
    h("tbody", {}, modules.map((m) => h("tr", { "data-module": m.module },
      h("th", { scope: "row" }, m.module),
      h("td", { class: "number", "data-figure": "rate" }, number(m.handledPerSecond, 2)),
      h("td", { class: "number", "data-figure": "handled" }, number(m.handled)),
      h("td", { class: "number", "data-figure": "failed-lately" }, number(m.failedLastMinute)),
      h("td", { class: "number", "data-figure": "failed" }, number(m.failed)),
      h("td", { class: "number", "data-figure": "dead-lettered" }, number(m.deadLettered)),
      h("td", { class: "number", "data-figure": "p50" }, number(m.p50Milliseconds, 1)),
      h("td", { class: "number", "data-figure": "p99" }, number(m.p99Milliseconds, 1)),
      h("td", { class: "number", "data-figure": "inbox" }, number(m.inboxDepth)),
      h("td", { class: "number", "data-figure": "oldest" }, m.oldestWaitingSeconds === null ? "–" : `${number(m.oldestWaitingSeconds, 1)} s`),
      h("td", { class: "number", "data-figure": "dead-letters" }, number(m.deadLetters)),
      h("td", { class: "number", "data-figure": "paused" }, number(m.pausedListeners))))));
}

async function deadLettersPage() {
  document.title = "Dead letters · Modular operations";
  const params = new URLSearchParams(location.search);
  const body = h("div", {}, h("p", { class: "muted" }, "Reading dead letters…"));
  main.append(h("h1", {}, "Dead letters"));
  let topology, activity;
  try {
    [topology, activity] = await Promise.all([api("/api/modules"), api("/api/platform/activity")]);
  } catch (error) {
    main.append(failure(error));
    return;
  }
  // Each process answers for its own dead letters; the gateway forwards ?module= to the process it names.
  const reachable = new Set(activity.processes.filter((p) => p.status !== "Unreachable").flatMap((p) => p.hosts));
  const modules = topology.modules.filter((m) => m.handles.length > 0 && reachable.has(m.name)).map((m) => m.name);
  const unreachable = activity.processes.filter((p) => p.status === "Unreachable");
  const moduleFilter = h("select", { id: "filter-module", name: "module" }, h("option", { value: "" }, "Every module"),
    modules.map((m) => h("option", { value: m, selected: params.get("module") === m }, m)));
  const typeFilter = h("input", { id: "filter-type", name: "messageType", value: params.get("messageType") || "", placeholder: "RefundPayment" });
  const exceptionFilter = h("input", { id: "filter-exception", name: "exceptionType", value: params.get("exceptionType") || "", placeholder: "full type name" });
  main.append(h("form", {
    class: "filters card",
    onsubmit: (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      if (moduleFilter.value) query.set("module", moduleFilter.value);
      if (typeFilter.value.trim()) query.set("messageType", typeFilter.value.trim());
      if (exceptionFilter.value.trim()) query.set("exceptionType", exceptionFilter.value.trim());
      history.replaceState(null, "", `/ops/dead-letters${query.size ? `?${query}` : ""}`);
      load();
    },
  },
  h("div", {}, h("label", { for: "filter-module" }, "Module"), moduleFilter),
  h("div", {}, h("label", { for: "filter-type" }, "Message type"), typeFilter),
  h("div", {}, h("label", { for: "filter-exception" }, "Exception type"), exceptionFilter),
  h("button", { type: "submit", class: "primary" }, "Filter")), body);

  async function load() {
    const query = new URLSearchParams({ pageSize: "100" });
    if (typeFilter.value.trim()) query.set("messageType", typeFilter.value.trim());
    if (exceptionFilter.value.trim()) query.set("exceptionType", exceptionFilter.value.trim());
    const wanted = moduleFilter.value ? [moduleFilter.value] : modules;
    const results = await Promise.allSettled(wanted.map((m) => api(`/api/platform/dead-letters?${query}&module=${encodeURIComponent(m)}`)));
    const pages = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const failed = results.map((r, i) => [wanted[i], r]).filter(([, r]) => r.status === "rejected");
    if (failed.some(([, r]) => r.reason instanceof ApiError && (r.reason.status === 401 || r.reason.status === 403))) {
      body.replaceChildren(failure(failed[0][1].reason));
      return;
    }
    const items = pages.flatMap((p) => p.items).sort((a, b) => b.failedAt.localeCompare(a.failedAt));
    const total = pages.reduce((sum, p) => sum + p.totalCount, 0);
    body.replaceChildren(
      ...unreachable.map((p) => h("p", { class: "error", role: "alert" }, `Not shown: the dead letters of ${p.hosts.join(", ")}, whose process does not answer (${p.problems.join("; ")}).`)),
      ...failed.map(([module, r]) => h("p", { class: "error", role: "alert" }, `Could not read ${module}'s dead letters: ${r.reason.message}`)),
      deadLetterTable(items, total, load));
  }
  await load();
}

function deadLetterTable(items, total, reload) {
  if (items.length === 0) return h("p", { id: "no-dead-letters" }, "No dead letters match.");
  const selected = new Set();
  const replay = h("button", { type: "button", class: "primary", disabled: true }, "Replay selected");
  const discard = h("button", { type: "button", class: "danger", disabled: true }, "Discard selected");
  const count = h("span", { class: "muted" }, "");
  const refreshButtons = () => {
    replay.disabled = discard.disabled = selected.size === 0;
    count.textContent = selected.size ? `${selected.size} selected` : "";
  };
  const act = async (letters, verb) => {
    const noun = letters.length === 1 ? `the ${shortName(letters[0].messageType)} message of ${letters[0].module}` : `${letters.length} messages`;
    const question = verb === "replay"
      ? `Replay ${noun}? It goes back to its module's inbox and is handled again.`
      : `Discard ${noun}? It is deleted and will never be handled.`;
    if (!(await confirmAction(question))) return;
    const byModule = Map.groupBy(letters, (d) => d.module);
    let done = 0;
    try {
      for (const [module, group] of byModule) {
        const result = await api(`/api/platform/dead-letters/${verb}?module=${encodeURIComponent(module)}`, { method: "POST", body: { ids: group.map((d) => d.id) } });
        done += verb === "replay" ? result.replayed : result.discarded;
      }
      say(verb === "replay" ? `Replayed ${done} message(s): back in their inboxes.` : `Discarded ${done} message(s).`);
    } catch (error) {
      say(`Could not ${verb} them all (${done} ${verb === "replay" ? "replayed" : "discarded"} before): ${error.message}`);
    }
    await reload();
  };
  replay.addEventListener("click", () => act(items.filter((d) => selected.has(key(d))), "replay"));
  discard.addEventListener("click", () => act(items.filter((d) => selected.has(key(d))), "discard"));
  const key = (d) => `${d.module}/${d.id}`;
  return h("div", {},
    h("p", {}, `${total} dead letter(s)${total > items.length ? `, the newest ${items.length} shown` : ""}.`),
    h("div", { class: "actions" }, replay, discard, count),
    h("table", { id: "dead-letters" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, h("span", { class: "muted" }, "Select")),
        ["Failed at", "Module", "Message", "Exception", "Attempts", "Replays", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, items.map((d) => {
        const orderId = d.message && typeof d.message === "object" ? d.message.orderId : null;
        return h("tr", { "data-id": d.id, "data-module": d.module, "data-message-type": shortName(d.messageType) },
          h("td", {}, h("input", {
            type: "checkbox", "aria-label": `Select ${shortName(d.messageType)} ${d.id}`,
            onchange: (event) => { event.target.checked ? selected.add(key(d)) : selected.delete(key(d)); refreshButtons(); },
          })),
          h("td", {}, when(d.failedAt)),
          h("td", {}, d.module || d.receivedAt),
          h("td", {}, h("code", { title: d.messageType }, shortName(d.messageType)),
            d.replayRequested ? h("div", { class: "muted" }, "replay requested") : null,
            orderId ? h("div", {}, h("a", { href: `/ops/orders?order=${encodeURIComponent(orderId)}` }, `Order ${orderId}`)) : null),
          h("td", {}, h("code", { title: d.exceptionType }, shortName(d.exceptionType)), h("p", { class: "exception-message" }, d.exceptionMessage),
            h("details", {}, h("summary", {}, "Message body"), h("p", {}, h("code", {}, d.exceptionType)), h("pre", {}, JSON.stringify(d.message, null, 2)))),
          h("td", { class: "number" }, d.attempts),
          h("td", { class: "number" }, d.replays),
          h("td", {}, h("div", { class: "actions" },
            h("button", { type: "button", onclick: () => act([d], "replay") }, "Replay"),
            h("button", { type: "button", onclick: () => act([d], "discard") }, "Discard"))));
      }))));
}

async function ordersPage() {
  document.title = "Orders · Modular operations";
  const params = new URLSearchParams(location.search);
  const threshold = h("input", { id: "threshold", name: "olderThanSeconds", type: "number", min: 0, value: params.get("olderThanSeconds") || "30" });
  const orderField = h("input", { id: "order-id", name: "order", value: params.get("order") || "", size: 38, placeholder: "order id" });
  const found = h("div", { id: "order" });
  const list = h("div", {}, h("p", { class: "muted" }, "Reading orders…"));
  const open = new Set();
  let shown = params.get("order") || "";
  main.append(h("h1", {}, "Orders needing attention"),
    h("form", {
      class: "filters card",
      onsubmit: (event) => {
        event.preventDefault();
        shown = orderField.value.trim();
        lookUp();
      },
    },
    h("div", {}, h("label", { for: "order-id" }, "Find an order"), orderField),
    h("button", { type: "submit" }, "Show")),
    found,
    h("form", { class: "filters card", onsubmit: (event) => { event.preventDefault(); refresh(); } },
      h("div", {}, h("label", { for: "threshold" }, "Not ended after (seconds)"), threshold),
      h("button", { type: "submit", class: "primary" }, "Apply")),
    list);

  async function lookUp() {
    const id = shown;
    if (!id) {
      found.replaceChildren();
      return;
    }
    if (!GUID.test(id)) {
      found.replaceChildren(h("p", { class: "error", role: "alert" }, `'${id}' is not an order id: an order id looks like 01a2311f-5427-7d46-bf34-5fba353c1080.`));
      return;
    }
    try {
      const order = await api(`/api/v1/orders/${encodeURIComponent(id)}`);
      found.replaceChildren(h("section", { "data-order": order.id },
        h("h2", {}, `Order ${order.id}`),
        h("p", {}, "Status ", h("strong", { class: "order-status" }, order.status), ` · ${order.total} ${order.currency} · customer ${order.customerId}`,
          order.rejectionReason ? ` · ${order.rejectionReason}` : ""),
        timeline(order.timeline)));
    } catch (error) {
      found.replaceChildren(error instanceof ApiError && (error.status === 404 || error.status === 400)
        ? h("p", { class: "error" }, error.message) : failure(error));
    }
  }

  async function refresh() {
    try {
      const page = await api(`/api/v1/orders/attention?olderThanSeconds=${encodeURIComponent(threshold.value || "0")}&pageSize=50`);
      const now = new Date(page.at).getTime();
      list.replaceChildren(page.items.length === 0
        ? h("p", { id: "no-orders" }, `Every order placed more than ${page.olderThanSeconds} s ago has ended.`)
        : h("div", {},
          h("p", {}, `${page.totalCount} order(s) not ended ${page.olderThanSeconds} s after placing, oldest first.`),
          h("table", { id: "orders" },
            h("thead", {}, h("tr", {}, ["Order", "Status", "Waiting", "Waiting for", "Next deadline", "What to do", "Timeline"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, page.items.map((o) => h("tr", { "data-order": o.id },
              h("td", {}, h("code", {}, o.id), h("div", { class: "muted" }, `${o.total} ${o.currency} · ${o.customerId}`)),
              h("td", {}, o.status),
              h("td", { class: "number" }, `${number(o.waitingSeconds)} s`),
              h("td", {}, o.waitingFor),
              h("td", {}, o.nextDeadline
                ? [h("strong", {}, `${o.nextDeadline.deadline} ${inWords((new Date(o.nextDeadline.at).getTime() - now) / 1000)}`),
                  h("div", { class: "muted" }, when(o.nextDeadline.at)), h("div", {}, o.nextDeadline.action)]
                : h("span", { class: "error" }, "none left")),
              h("td", {}, o.advice),
              h("td", {}, h("details", {
                open: open.has(o.id),
                ontoggle: (event) => (event.target.open ? open.add(o.id) : open.delete(o.id)),
              }, h("summary", {}, `${o.timeline.length} event(s)`), timeline(o.timeline)))))))));
    } catch (error) {
      list.replaceChildren(failure(error));
    }
  }

  // The order looked up follows along: an operator who replayed its message sees it end.
  every(5000, () => Promise.all([lookUp(), refresh()]), list);
}

function timeline(entries) {
  return h("ol", { class: "timeline" }, entries.map((e) => h("li", { "data-event": e.event },
    h("strong", {}, e.event), ` ${when(e.at)}`, e.detail ? ` · ${e.detail}` : "", e.by ? h("span", { class: "muted" }, ` · by ${e.by}`) : "")));
}

render();
