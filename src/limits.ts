// What one GraphQL operation may ask for. graphql-armor refuses documents with too many tokens
// (while parsing) and operations too deep or with too many aliases or directives (validation);
// the page-size and cost checks run just before execution, when variables are known, so
// `first: $n` counts the same as `first: 100`. Every refusal is a GraphQLError with a code.
// Depth and cost skip `__schema`, so GraphiQL's introspection query (15 deep) passes; graphql-js'
// own MaxIntrospectionDepthRule refuses the self-nesting introspection that would abuse that.
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import {
  type ArgumentNode,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  type ValidationContext,
  validate,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Limits } from "./config.js";

/** The most items `first` or `last` may ask for (Pothos' maxConnectionSize is the backstop). */
const maxPageSize = 100;
/** What an omitted `first` is counted as in the cost: Pothos' defaultConnectionSize. */
const defaultPageSize = 20;

const limitCodes = {
  tokens: "TOO_MANY_TOKENS",
  depth: "QUERY_TOO_DEEP",
  aliases: "TOO_MANY_ALIASES",
  directives: "TOO_MANY_DIRECTIVES",
  cost: "QUERY_TOO_COSTLY",
  pageSize: "BAD_USER_INPUT",
} as const;

// Statuses as for Yoga's own parse and validation errors: 400 when the client accepts
// application/graphql-response+json, 200 for plain application/json (GraphQL over HTTP).
const refusal = (code: string, message: string, nodes?: ArgumentNode | FieldNode) =>
  new GraphQLError(message, { nodes, extensions: { code, http: { spec: true, status: 400 } } });

// graphql-armor words its refusals as syntax errors; keep its text, drop that prefix, add a code.
const armorMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, "");

const reportAs = (code: string) => ({
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(refusal(code, armorMessage(error))),
  ],
});

export function limitPlugins(limits: Limits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      // The parser has no context to report to: throwing stops the parse with this error.
      onReject: [
        (_context: ValidationContext | null, error: GraphQLError) => {
          throw refusal(limitCodes.tokens, armorMessage(error));
        },
      ],
    }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...reportAs(limitCodes.depth) }),
    maxAliasesPlugin({ n: limits.maxAliases, ...reportAs(limitCodes.aliases) }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...reportAs(limitCodes.directives) }),
    usePageSizeAndCostLimits(limits.maxCost),
  ];
}

function usePageSizeAndCostLimits(maxCost: number): Plugin {
  const costRule = costLimitRule({ maxCost, flattenFragments: true, ...reportAs(limitCodes.cost) });
  const check = (args: ExecutionArgs): GraphQLError[] => {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return []; // execute reports a missing or ambiguous operation
    const variables = getVariableValues(
      args.schema,
      operation.variableDefinitions ?? [],
      args.variableValues ?? {},
    );
    if (variables.errors) return []; // and bad variables
    const { document, errors } = withPageSizes(args, operation, variables.coerced);
    return errors.length > 0 ? errors : [...validate(args.schema, document, [costRule])];
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

/**
 * Checks every `first` and `last` the operation passes, as a literal, a variable or a default,
 * and returns the operation (with the fragments it uses) where each field that takes `first`
 * has it as a literal: the page size graphql-armor's cost model multiplies by.
 */
function withPageSizes(
  args: ExecutionArgs,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { document: DocumentNode; errors: GraphQLError[] } {
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(args.schema);
  const used: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...fragmentsUsedBy(operation, args.document)],
  };
  const document = visit(
    used,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field?.args.some((arg) => arg.name === "first" || arg.name === "last")) return undefined;
        const values = argumentValues(field, node, variables);
        if (!values) return undefined; // execute reports arguments it cannot coerce
        for (const name of ["first", "last"]) {
          const size = values[name];
          if (typeof size === "number" && (size < 0 || size > maxPageSize)) {
            const where = `${typeInfo.getParentType()?.name}.${field.name}`;
            errors.push(
              refusal(
                limitCodes.pageSize,
                `"${name}" on ${where} must be from 0 to ${maxPageSize}, got ${size}.`,
                node.arguments?.find((arg) => arg.name.value === name) ?? node,
              ),
            );
          }
        }
        const size =
          [values.first, values.last].find((value) => typeof value === "number") ?? defaultPageSize;
        const others = (node.arguments ?? []).filter(
          (arg) => arg.name.value !== "first" && arg.name.value !== "last",
        );
        const first: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: "first" },
          value: { kind: Kind.INT, value: String(size) },
        };
        return { ...node, arguments: [...others, first] };
      },
    }),
  );
  return { document, errors };
}

function argumentValues(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> | undefined {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return undefined;
  }
}

function fragmentsUsedBy(
  operation: OperationDefinitionNode,
  document: DocumentNode,
): FragmentDefinitionNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment.selectionSet);
        }
      } else if (selection.selectionSet) {
        collect(selection.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return [...used.values()];
}
