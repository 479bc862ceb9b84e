// Structured logs (JSON lines) for operators.
import { pino } from "pino";
import type { LogLevel } from "./config.js";

export type Logger = pino.Logger;

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: "sway" },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
