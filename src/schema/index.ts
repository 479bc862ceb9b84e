// Imports every part of the schema, then builds it.
import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "../builder.js";
import "./errors.js";
import "./user.js";
import "./auth.js";
import "./topic.js";
import "./graph.js";
import "./score.js";
import "./endorsement.js";
import "./interaction.js";
import "./subscription.js";

export const schema = builder.toSchema();

/** The SDL committed at schema/schema.graphql. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(schema));
}
