// Exercises exosim_network.mjs alone (tests/integration/test_identity_mapping.py): one GET or POST per
// URL given, printed as one JSON line each: {"url", "status", "body"} or {"url", "error"}.
// usage: node mapped_probe.mjs <port> <ca.pem> GET|POST <url>...
import { MappedNetworkClient } from "./exosim_network.mjs";

const [port, caFile, method, ...urls] = process.argv.slice(2);
const client = new MappedNetworkClient({ port: Number(port), caFile });
for (const url of urls) {
  try {
    const res = method === "POST"
      ? await client.sendPostRequestAsync(url, { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=probe&x=1" })
      : await client.sendGetRequestAsync(url, {});
    console.log(JSON.stringify({ url, status: res.status, body: res.body, headers: res.headers }));
  } catch (e) {
    console.log(JSON.stringify({ url, error: String(e.message || e), code: e.code || null }));
  }
}
client.close();
