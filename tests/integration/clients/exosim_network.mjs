// An msal-node INetworkModule (system.networkClient) that keeps Microsoft's host names in the URL,
// the SNI and the certificate check, trusts only the given CA, and opens every socket to
// 127.0.0.1:<port>. A host that is not mapped is refused before any connection, so a test never
// reaches the real service. Node's `lookup` hook cannot change the port, so the request goes to the
// mapped host and port with `servername` and the Host header set to the URL's host; tls.connect
// checks the certificate against `servername`.
import fs from "node:fs";
import https from "node:https";

export const SIGN_IN_HOSTS = ["login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
  "sts.windows.net", "microsoft.com", "www.microsoft.com"];

export class MappedNetworkClient {
  constructor({ port, caFile, hosts = SIGN_IN_HOSTS, address = "127.0.0.1", timeoutMs = 20000 }) {
    this.port = port;
    this.address = address;
    this.hosts = new Set(hosts.map((h) => h.toLowerCase()));
    this.ca = fs.readFileSync(caFile);
    this.timeoutMs = timeoutMs;
    this.agent = new https.Agent({ keepAlive: true, ca: this.ca });
    this.requests = []; // [method, url, status] of every call, for the test's report
  }

  sendGetRequestAsync(url, options, timeout) {
    return this.send("GET", url, options, timeout);
  }

  sendPostRequestAsync(url, options) {
    return this.send("POST", url, options);
  }

  send(method, url, options = {}, timeout) {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const host = u.hostname.toLowerCase();
      if (u.protocol !== "https:" || !this.hosts.has(host)) {
        reject(new Error(`${u.protocol}//${host} is not mapped to a local server`));
        return;
      }
      const body = method === "POST" ? Buffer.from(options.body || "") : null;
      const headers = { ...(options.headers || {}), Host: u.host };
      if (body) headers["Content-Length"] = String(body.length);
      const req = https.request({
        method, host: this.address, port: this.port, path: u.pathname + u.search,
        servername: host, headers, agent: this.agent, ca: this.ca, timeout: timeout || this.timeoutMs,
      }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          this.requests.push([method, url, res.statusCode]);
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch (e) {
            reject(new Error(`${method} ${url}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`));
            return;
          }
          const hdrs = {};
          for (const [k, v] of Object.entries(res.headers)) hdrs[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ headers: hdrs, body: parsed, status: res.statusCode });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${url}: timed out`)));
      req.on("error", reject);
      if (body) req.write(body);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}
