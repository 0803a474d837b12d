// msal-node's device code flow against exosim (tests/integration/test_identity_clients.py).
// usage: node msal_node_device_code.mjs <port> <ca.pem> <client id> [authority]
// Prints one JSON line when the device code arrives ({userCode, verificationUri, ...}: the test
// approves it), then one with the result ({accessToken, account, scopes, expiresOn}).
import { PublicClientApplication, LogLevel } from "@azure/msal-node";
import { MappedNetworkClient } from "./exosim_network.mjs";

const [port, caFile, clientId, authority = "https://login.microsoftonline.com/contoso.com"] = process.argv.slice(2);
const networkClient = new MappedNetworkClient({ port: Number(port), caFile });
const app = new PublicClientApplication({
  auth: { clientId, authority },
  system: { networkClient, loggerOptions: { logLevel: LogLevel.Error, loggerCallback: (_l, m) => console.error(m) } },
});
try {
  const result = await app.acquireTokenByDeviceCode({
    scopes: ["https://outlook.office.com/SMTP.Send"],
    deviceCodeCallback: (r) => console.log(JSON.stringify({
      userCode: r.userCode, verificationUri: r.verificationUri, message: r.message, expiresIn: r.expiresIn, interval: r.interval,
    })),
  });
  console.log(JSON.stringify({ accessToken: result.accessToken, account: result.account?.username,
    scopes: result.scopes, expiresOn: result.expiresOn }));
} catch (e) {
  console.error(`${e.errorCode || e.name}: ${e.errorMessage || e.message}`);
  console.error(JSON.stringify(networkClient.requests));
  process.exitCode = 1;
} finally {
  networkClient.close();
}
