import { authorizeAs } from "../../../packages/tests/test/sandboxSupport";

// The user's browser for `login --browser`: opens the URL it is given, logs in on the sandbox's page as
// the demo user (approving the login's push on the "phone"), and follows the redirect to the CLI's
// loopback server, as a browser would. Started by the CLI through $BROWSER.
const [url] = process.argv.slice(2);
if (url === undefined) throw new Error("usage: fakeBrowser <url>");
const callback = await authorizeAs(url);
const response = await fetch(callback);
process.stdout.write(`callback answered ${response.status}\n`);
