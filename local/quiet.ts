/**
 * Imported first by `npm start`, before any AWS SDK client or Powertools logger is made, so that
 * the terminal shows only what a user acts on:
 * - the AWS SDK's warning that its releases after January 2027 need Node 22: this project pins
 *   its SDK in package-lock.json and supports Node 20.19+, so there is nothing to do about it;
 * - INFO log lines (one per lifecycle event): `GET /v1/events` and `latchkey events` list the
 *   events; POWERTOOLS_LOG_LEVEL=INFO shows them as they happen. Warnings and errors still print.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
