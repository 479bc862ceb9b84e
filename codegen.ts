// GraphQL Code Generator: prints the sorted SDL of the code-first schema to schema/schema.graphql
// and generates typed documents (client preset) for the GraphQL operations written in test/.
// `npm run codegen` writes them; `npm run schema:check` fails when they are stale.
import type { CodegenConfig } from "@graphql-codegen/cli";
import { printSortedSchema } from "./src/schema/index.js";

const config: CodegenConfig = {
  schema: printSortedSchema(),
  documents: ["test/**/*.ts", "!test/generated/**"],
  ignoreNoDocuments: true,
  generates: {
    "schema/schema.graphql": {
      plugins: ["schema-ast"],
      config: { includeDirectives: false, sort: false },
    },
    "test/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        scalars: { DateTime: "string" },
        strictScalars: true,
      },
    },
  },
};

export default config;
