// The shared frame of the command-line scripts: --help, exit code 2 for bad usage or
// configuration, 1 for anything else, each with a message rather than a bare stack.
import { ConfigError } from "../src/config.js";

export class UsageError extends Error {}

/** `parse` returns null for --help; `run` returns the exit code. */
export async function runCli<T>(
  name: string,
  usage: string,
  parse: (args: string[]) => T | null,
  run: (options: T) => Promise<number>,
): Promise<void> {
  process.exitCode = await (async () => {
    try {
      const options = parse(process.argv.slice(2));
      if (options === null) {
        console.log(usage);
        return 0;
      }
      return await run(options);
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`${name}: ${error.message}\n\n${usage}`);
        return 2;
      }
      if (error instanceof ConfigError) {
        console.error(error.message);
        return 2;
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      return 1;
    }
  })();
}
