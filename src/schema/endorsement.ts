// Endorsements (+K): given, received, revoked. The rules live in src/services/endorsements.ts.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../builder.js";
import {
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from "../errors.js";
import { UserRef } from "./user.js";

export const EndorsementRef = builder.prismaNode("Endorsement", {
  id: { field: "id" },
  description: "+K: the endorser vouches for the endorsee in a topic.",
  fields: (t) => ({
    endorser: t.relation("endorser"),
    endorsee: t.relation("endorsee"),
    topic: t.relation("topic"),
    note: t.exposeString("note", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", {
      type: "DateTime",
      nullable: true,
      description: "When its giver revoked it; a revoked endorsement no longer counts.",
    }),
  }),
});

builder.prismaObjectFields(UserRef, (t) => ({
  endorsementsReceived: t.relatedConnection(
    "endorsementsReceived",
    {
      cursor: "id",
      description: "Endorsements in force (not revoked), newest first.",
      query: { where: { revokedAt: null }, orderBy: { id: "desc" } },
    },
    { name: "EndorsementsReceivedConnection" },
    { name: "EndorsementsReceivedEdge" },
  ),
  endorsementsGiven: t.relatedConnection(
    "endorsementsGiven",
    {
      cursor: "id",
      description: "Endorsements in force (not revoked), newest first.",
      query: { where: { revokedAt: null }, orderBy: { id: "desc" } },
    },
    { name: "EndorsementsGivenConnection" },
    { name: "EndorsementsGivenEdge" },
  ),
}));

/** The database id in an Endorsement's global ID; ValidationError for anything else. */
function endorsementId(id: string): number {
  try {
    const decoded = decodeGlobalID(id);
    const value = Number(decoded.id);
    if (decoded.typename === "Endorsement" && Number.isSafeInteger(value) && value > 0) return value;
  } catch {
    // Not a global ID at all: the same answer as one of another type.
  }
  throw new ValidationError("Not the ID of an endorsement.", "id");
}

builder.mutationFields((t) => ({
  endorse: t.prismaField({
    type: "Endorsement",
    description:
      "Endorses a member in a topic. At most 5 endorsements in any 24 hours, and one per member and topic in any 7 days (revoking does not give them back); never yourself.",
    errors: { types: [UnauthenticatedError, ValidationError, NotFoundError, RateLimitedError] },
    args: {
      handle: t.arg.string({ required: true }),
      topic: t.arg.string({ required: true, description: "A topic slug." }),
      note: t.arg.string({ description: "At most 280 characters." }),
    },
    resolve: (query, _root, args, ctx) => ctx.services.endorsements.endorse(ctx.viewer, args, query),
  }),
  revokeEndorsement: t.prismaField({
    type: "Endorsement",
    description: "Revokes an endorsement you gave. Revoking it again changes nothing.",
    errors: { types: [UnauthenticatedError, ValidationError, NotFoundError, ForbiddenError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, ctx) =>
      ctx.services.endorsements.revoke(ctx.viewer, endorsementId(String(id))),
  }),
}));
