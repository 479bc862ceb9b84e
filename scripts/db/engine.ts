// Offline schema diffs with Prisma's Wasm schema engine. Its API is undocumented and may break
// between versions, so @prisma/schema-engine-wasm is pinned exactly and used only through here.
import { readFile } from "node:fs/promises";
import type { DiffTarget, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { deriveSchema, type Provider } from "./providers.js";

/** The PostgreSQL server version the engine writes migrations for: the one Sway is developed on. */
export const postgresVersion = { text: "PostgreSQL 15.0", number: 150000 };

/** What the engine returns when two schemas do not differ. */
const emptyMigration = "-- This is an empty migration.";

const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

/** The ColumnTypeEnum codes of @prisma/driver-adapter-utils that the version query needs. */
const columnType = { int32: 0, boolean: 5, text: 7 };

type Ok<T> = { ok: true; value: T };
type ResultSet = { columnNames: string[]; columnTypes: number[]; rows: unknown[][] };
type SqlQuery = { sql: string; args: unknown[] };

/** The slice of Prisma's error-capturing driver adapter factory that the engine uses. */
export interface EngineAdapterFactory {
  provider: "sqlite" | "postgres";
  adapterName: string;
  connect(): Promise<Ok<object>>;
  connectToShadowDb(): Promise<Ok<object>>;
}

/** The slice of a Prisma driver adapter factory (e.g. PrismaBetterSqlite3) needed to read a schema. */
export interface ReadableAdapterFactory {
  provider: "sqlite" | "postgres";
  adapterName: string;
  connect(): Promise<{ queryRaw(query: SqlQuery): Promise<ResultSet>; dispose(): Promise<void> }>;
}

let loaded: Promise<void> | undefined;

// The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do.
async function instantiate(): Promise<void> {
  const bgUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(new URL("schema_engine_bg.wasm", bgUrl));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
}

function loadEngine(): Promise<void> {
  loaded ??= instantiate();
  return loaded;
}

const ok = <T>(value: T): Ok<T> => ({ ok: true, value });

function refuse(what: string): never {
  throw new Error(`schema engine adapter: unexpected ${what}; diffs only read`);
}

// The PostgreSQL connector asks for the server version (and whether "public" exists) once.
function answer({ sql }: SqlQuery): Ok<ResultSet> {
  if (!sql.includes("server_version_num")) refuse(`query ${sql}`);
  return ok({
    columnNames: ["exists", "version", "numeric_version"],
    columnTypes: [columnType.boolean, columnType.text, columnType.int32],
    rows: [[true, postgresVersion.text, postgresVersion.number]],
  });
}

/** An adapter with no database behind it: enough for diffing Prisma schemas. */
export function offlineAdapter(provider: Provider): EngineAdapterFactory {
  const info = {
    provider: provider === "sqlite" ? "sqlite" : "postgres",
    adapterName: "sway-offline",
  } as const;
  const connection = {
    ...info,
    queryRaw: async (query: SqlQuery) => answer(query),
    executeRaw: async ({ sql }: SqlQuery) => refuse(`statement ${sql}`),
    executeScript: async () => refuse("script"),
    dispose: async () => ok(undefined),
  };
  return { ...info, connect: async () => ok(connection), connectToShadowDb: async () => ok(connection) };
}

/** Lets the engine read the database behind `factory` and refuses anything that would write to it. */
export function readOnlyAdapter(factory: ReadableAdapterFactory): EngineAdapterFactory {
  const info = { provider: factory.provider, adapterName: factory.adapterName } as const;
  const connect = async () => {
    const connection = await factory.connect();
    return ok({
      ...info,
      queryRaw: async (query: SqlQuery) => ok(await connection.queryRaw(query)),
      executeRaw: async ({ sql }: SqlQuery) => refuse(`statement ${sql}`),
      executeScript: async () => refuse("script"),
      dispose: async () => ok(await connection.dispose()),
    });
  };
  return { ...info, connect, connectToShadowDb: async () => refuse("shadow database") };
}

export async function openEngine(adapter: EngineAdapterFactory): Promise<SchemaEngine> {
  await loadEngine();
  return bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
}

/** A Prisma schema as a diff source; null is the empty database. */
export function schemaTarget(schema: string | null): DiffTarget {
  return schema === null
    ? { tag: "empty" }
    : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] };
}

/** The SQL script turning `from` into `to`, trimmed; "" when they do not differ. */
export async function diffTargets(
  adapter: EngineAdapterFactory,
  from: DiffTarget,
  to: DiffTarget,
  filters = noFilters,
): Promise<string> {
  if (from.tag === "empty" && to.tag === "empty") return "";
  const engine = await openEngine(adapter);
  try {
    const { stdout } = await engine.diff({ from, to, script: true, exitCode: null, filters });
    const script = (stdout ?? "").trim();
    return script === emptyMigration ? "" : script;
  } finally {
    engine.free();
  }
}

/** The SQL script the database behind `adapter` needs to match `schema`, ignoring `externalTables`. */
export function diffDatabase(
  adapter: EngineAdapterFactory,
  schema: string,
  externalTables: string[],
): Promise<string> {
  const database: DiffTarget = {
    tag: "schemaDatasource",
    files: [{ path: "schema.prisma", content: schema }],
    configDir: ".",
  };
  return diffTargets(adapter, database, schemaTarget(schema), { externalTables, externalEnums: [] });
}

/** The SQL script migrating a database from schema `from` to schema `to` (null: empty database). */
export function diffSchemas(provider: Provider, from: string | null, to: string | null): Promise<string> {
  return diffTargets(offlineAdapter(provider), schemaTarget(from), schemaTarget(to));
}

export interface MigrationScripts {
  up: string;
  down: string;
}

/** The SQL both ways between two versions of prisma/models.prisma (null: the empty database). */
export async function diffModels(
  provider: Provider,
  from: string | null,
  to: string,
): Promise<MigrationScripts> {
  // Not the engine's "empty" target: against that, PostgreSQL scripts start with CREATE SCHEMA "public",
  // which needs the CREATE privilege on the database even when the schema exists.
  const before = deriveSchema(provider, from ?? "");
  const after = deriveSchema(provider, to);
  return { up: await diffSchemas(provider, before, after), down: await diffSchemas(provider, after, before) };
}
