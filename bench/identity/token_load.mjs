// token-load: a keep-alive HTTPS load driver for OAuth token endpoints (bench/identity/run.sh).
// C concurrent clients, each on its own TLS connection (HTTP/1.1 keep-alive, one request at a time),
// share a budget of N token requests; every answer must be 200 with an access_token, and a refresh
// client sends the refresh token of its previous answer (as a device does). Prints one JSON line.
//
//   node token_load.mjs --port P [--servername login.microsoftonline.com] --ca ca.pem --path /t/oauth2/v2.0/token
//        --grant client_credentials|refresh_token --clients C --requests N [--max-seconds S]
//        [--client-id ID] [--client-secret S] [--scope "..."] [--bootstrap ropc:USER:PASSWORD
//        | --bootstrap device:CONTROL_PORT:USER:DEVICECODE_PATH [--bootstrap-only]] [--label L]
//
// Only 127.0.0.1 is contacted. The driver's own CPU time is reported (driver_cpu_s) so a reader can
// tell whether it, rather than the server, was the limit.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    port: { type: "string" }, servername: { type: "string", default: "localhost" }, ca: { type: "string" },
    path: { type: "string", default: "/token" }, grant: { type: "string", default: "client_credentials" },
    clients: { type: "string", default: "1" }, requests: { type: "string", default: "1000" },
    "max-seconds": { type: "string", default: "10" }, "client-id": { type: "string", default: "" },
    "client-secret": { type: "string", default: "" }, scope: { type: "string", default: "" },
    bootstrap: { type: "string", default: "" }, label: { type: "string", default: "" },
    "bootstrap-only": { type: "boolean", default: false },
  },
});
const port = Number(opt.port);
const clients = Number(opt.clients);
const budget = Number(opt.requests);
if (!port || !clients || !budget || !opt.ca) {
  console.error("token-load: --port, --ca, --clients and --requests are required");
  process.exit(2);
}
const agent = new https.Agent({ keepAlive: true, maxSockets: clients, ca: fs.readFileSync(opt.ca) });

function post(path, form, extraHeaders = {}) {
  const body = Buffer.from(new URLSearchParams(form).toString());
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: "127.0.0.1", port, path, method: "POST", servername: opt.servername, agent,
      headers: { Host: opt.servername, "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": body.length, ...extraHeaders },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.setTimeout(30000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

function form(refreshToken) {
  const f = { grant_type: opt.grant, scope: opt.scope };
  if (opt["client-id"]) f.client_id = opt["client-id"];
  if (opt["client-secret"]) f.client_secret = opt["client-secret"];
  if (opt.grant === "refresh_token") f.refresh_token = refreshToken;
  return f;
}

// --- a first refresh token: by password (ROPC) or by a device code approved over exosim's API ---
async function bootstrap() {
  const [kind, ...rest] = opt.bootstrap.split(":");
  if (kind === "ropc") {
    const [username, password] = rest;
    const r = await post(opt.path, { grant_type: "password", client_id: opt["client-id"], scope: opt.scope, username, password });
    return JSON.parse(r.text).refresh_token ?? fail(`ROPC bootstrap: ${r.status} ${r.text}`);
  }
  if (kind === "device") {
    const [controlPort, user, devicePath] = rest;
    const d = JSON.parse((await post(devicePath, { client_id: opt["client-id"], scope: opt.scope })).text);
    if (!d.user_code) fail(`device code bootstrap: ${JSON.stringify(d)}`);
    const approved = await new Promise((resolve, reject) => {
      const body = JSON.stringify({ user });
      const req = http.request({ host: "127.0.0.1", port: Number(controlPort), method: "POST",
        path: `/api/v1/identity/device-codes/${encodeURIComponent(d.user_code)}/approve`,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
        res.resume(); res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", reject); req.end(body);
    });
    if (approved >= 300) fail(`device code approval over the API: HTTP ${approved}`);
    const r = await post(opt.path, { grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: opt["client-id"], device_code: d.device_code });
    return JSON.parse(r.text).refresh_token ?? fail(`device code bootstrap: ${r.status} ${r.text}`);
  }
  return "bench-refresh-token";  // a server that accepts any refresh token (oauth2-mock-server)
}

function fail(message) {
  console.error(`token-load: ${message}`);
  process.exit(1);
}

const latencies = [];
let started = 0, ok = 0, failed = 0, firstError = "";
let deadline = 0;

async function worker(refreshToken) {
  let rt = refreshToken;
  while (started < budget && performance.now() < deadline) {
    started++;
    const t0 = performance.now();
    try {
      const r = await post(opt.path, form(rt));
      const answer = r.status === 200 ? JSON.parse(r.text) : null;
      if (!answer?.access_token) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
      if (opt.grant === "refresh_token") rt = answer.refresh_token ?? rt;
      latencies.push(performance.now() - t0);
      ok++;
    } catch (e) {
      failed++;
      firstError ||= String(e.message || e);
    }
  }
}

const initialRt = opt.grant === "refresh_token" ? await bootstrap() : "";
if (opt["bootstrap-only"]) {  // run.sh hands the refresh token to token-loadgen (C++)
  console.log(initialRt);
  process.exit(0);
}
// Warm-up: every client opens its connection and gets one token before the clock starts.
deadline = Infinity;
await Promise.all(Array.from({ length: clients }, () => post(opt.path, form(initialRt)).catch((e) => fail(`warm-up: ${e.message}`))));
started = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
deadline = t0 + Number(opt["max-seconds"]) * 1000;
await Promise.all(Array.from({ length: clients }, () => worker(initialRt)));
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(3)) : null);
console.log(JSON.stringify({
  tool: "token-load", label: opt.label, grant: opt.grant, clients, requests: budget, ok, failed,
  timed_out: started < budget, elapsed_s: Number(elapsed.toFixed(4)), tokens_per_s: Number((ok / elapsed).toFixed(1)),
  latency_ms: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: latencies.length ? Number(latencies.at(-1).toFixed(3)) : null },
  driver_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(4)), first_error: firstError,
}));
process.exit(failed ? 1 : 0);
