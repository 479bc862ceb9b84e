// `npm start`: reads the configuration, starts Sway, and shuts down cleanly on SIGTERM/SIGINT.
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

function configOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

const config = configOrExit();
const logger = createLogger(config.logLevel);
const app = await createApp(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, "Sway failed to start");
  process.exit(1);
});
await app.start().catch((error: unknown) => {
  logger.fatal({ err: error }, "Sway could not listen");
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // A stuck connection must not keep the process alive forever.
    const force = setTimeout(() => {
      logger.error("shutdown took over 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
