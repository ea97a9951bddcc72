import './quiet.ts'; // first: settings read when the SDK clients and the logger are made
import { now } from '../functions/config/clock.ts';
import { ConfigurationError, settings } from '../functions/config/settings.ts';
import { prepareDashboard } from '../web/serve.ts'; // dashboard (web/)
import { StartupError } from './dynamodb-local.ts';
import { startLocal } from './server.ts';

/** `npm start`: the whole service on this machine, with the settings of its environment. */
try {
  const config = settings();
  await prepareDashboard(); // dashboard (web/): build it if missing or stale
  const service = await startLocal({
    port: config.PORT,
    dataDir: config.LATCHKEY_DATA_DIR,
    memory: config.LATCHKEY_MEMORY === '1',
    dynamoEndpoint: config.LATCHKEY_DYNAMODB_ENDPOINT,
    adminToken: config.LATCHKEY_ADMIN_TOKEN,
    portalUrl: config.LATCHKEY_PORTAL_URL,
    onFatal: (message) => {
      console.error(`latchkey: ${message}`);
      process.exit(1);
    },
  });
  const where = config.LATCHKEY_MEMORY === '1' ? 'in memory' : `in ${service.dataDir}`;
  console.log(`Latchkey is running at ${service.url} (data ${where})`);
  if (config.LATCHKEY_CLOCK) console.log(`Test clock: it is ${now().toISOString()} here (LATCHKEY_CLOCK)`);
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
  // A bad setting (every bad variable named, or from a handler's cold start) is the user's to fix: one line.
  if (
    cause instanceof StartupError ||
    cause instanceof ConfigurationError ||
    (cause instanceof Error && cause.message.startsWith('configuration: '))
  ) {
    console.error(`latchkey: ${cause.message}`);
    process.exit(1);
  }
  throw cause;
}
