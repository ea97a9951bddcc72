import './quiet.ts'; // first: settings read when the SDK clients and the logger are made
import { prepareDashboard } from '../web/serve.ts'; // dashboard (web/)
import { StartupError } from './dynamodb-local.ts';
import { startLocal } from './server.ts';

/** `npm start`: the whole service on this machine. Settings come from the environment. */
function settings() {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartupError(`PORT must be a port number, got "${process.env.PORT}"`);
  return {
    port,
    dataDir: process.env.LATCHKEY_DATA_DIR || '.latchkey',
    memory: process.env.LATCHKEY_MEMORY === '1',
    dynamoEndpoint: process.env.LATCHKEY_DYNAMODB_ENDPOINT || undefined,
    adminToken: process.env.LATCHKEY_ADMIN_TOKEN || undefined,
    portalUrl: process.env.LATCHKEY_PORTAL_URL || undefined,
  };
}

try {
  await prepareDashboard(); // dashboard (web/): build it if missing or stale
  const service = await startLocal({
    ...settings(),
    onFatal: (message) => {
      console.error(`latchkey: ${message}`);
      process.exit(1);
    },
  });
  const where = process.env.LATCHKEY_MEMORY === '1' ? 'in memory' : `in ${service.dataDir}`;
  console.log(`Latchkey is running at ${service.url} (data ${where})`);
  console.log(`Admin token: ${service.adminToken}`);
  console.log(`Dashboard: ${service.url}/#token=${service.adminToken}`); // dashboard (web/)
  console.log(`Try: curl -H "Authorization: Bearer ${service.adminToken}" ${service.url}/v1/keys`);
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    console.log(`${signal} received, stopping`);
    service.stop().then(
      () => process.exit(0),
      (cause) => {
        console.error(`stop failed: ${String(cause)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (cause) {
  // A bad setting (`configuration: …`, from a handler's cold start) is the user's to fix: one line.
  if (
    cause instanceof StartupError ||
    (cause instanceof Error && cause.message.startsWith('configuration: '))
  ) {
    console.error(`latchkey: ${cause.message}`);
    process.exit(1);
  }
  throw cause;
}
