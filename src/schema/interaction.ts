// Ingestion of interactions (src/services/interactions.ts has the rules).
import { builder } from "../builder.js";
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from "../errors.js";
import { InteractionKind } from "../generated/prisma/sqlite/enums.js";
import type { RecordResult } from "../services/interactions.js";

const InteractionKindEnum = builder.enumType(InteractionKind, { name: "InteractionKind" });

const InteractionInput = builder.inputType("InteractionInput", {
  fields: (t) => ({
    key: t.string({
      required: true,
      description:
        "Your idempotency key (1–200 printable ASCII characters): a key seen before is reported, not counted.",
    }),
    kind: t.field({ type: InteractionKindEnum, required: true }),
    actor: t.string({
      description: "The member who engaged; leave out when it was someone who is not a member.",
    }),
    target: t.string({
      description:
        "The member whose content was engaged with; leave out when it was someone who is not a member.",
    }),
    occurredAt: t.field({ type: "DateTime", description: "Default: now." }),
  }),
});

const RecordInteractionsPayload = builder.objectRef<RecordResult>("RecordInteractionsPayload").implement({
  fields: (t) => ({
    recorded: t.exposeInt("recorded", { description: "Interactions stored by this call." }),
    duplicateKeys: t.exposeStringList("duplicateKeys", {
      description: "Keys recorded before (or twice in this call): not counted again.",
    }),
    anonymous: t.exposeInt("anonymous", {
      description:
        "Of those stored, how many had a side who is not a member: counted in anonymousReach only.",
    }),
  }),
});

builder.mutationFields((t) => ({
  recordInteractions: t.field({
    type: RecordInteractionsPayload,
    description:
      "Records up to 1,000 interactions, all or nothing. A member records their own (they are the actor); an ADMIN may record any. Someone who is not a member is never named: leave that side out.",
    errors: { types: [UnauthenticatedError, ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: [InteractionInput], required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.interactions.record(ctx.viewer, input),
  }),
}));
