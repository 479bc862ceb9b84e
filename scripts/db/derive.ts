// `npm run db:schema`: writes prisma/<provider>/schema.prisma from prisma/models.prisma.
import { writeFile } from "node:fs/promises";
import { deriveSchema, providers, readModels, schemaPath } from "./providers.js";

const models = await readModels();
for (const provider of providers) {
  await writeFile(schemaPath(provider), deriveSchema(provider, models));
  console.log(`wrote ${schemaPath(provider)}`);
}
