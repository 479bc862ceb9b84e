// Typed error results: each client-actionable error class from src/errors.ts as a GraphQL type.
import { builder } from "../builder.js";
import {
  ForbiddenError,
  HandleTakenError,
  InvalidCredentialsError,
  NotFoundError,
  RateLimitedError,
  type SwayError,
  UnauthenticatedError,
  ValidationError,
} from "../errors.js";

export const ErrorInterface = builder.interfaceRef<SwayError>("Error").implement({
  description: "A failure the client can act on.",
  fields: (t) => ({ message: t.exposeString("message") }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input breaks a rule; `field` names the input field at fault, when there is one.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString("field", { nullable: true }) }),
});

builder.objectType(HandleTakenError, {
  name: "HandleTakenError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ handle: t.exposeString("handle") }),
});

builder.objectType(InvalidCredentialsError, {
  name: "InvalidCredentialsError",
  description: "Wrong handle or password (which one is deliberately not said).",
  interfaces: [ErrorInterface],
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ resource: t.exposeString("resource") }),
});

builder.objectType(UnauthenticatedError, {
  name: "UnauthenticatedError",
  description: "The operation needs a logged-in member: send `Authorization: Bearer <token>`.",
  interfaces: [ErrorInterface],
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description: "The logged-in member may not do this.",
  interfaces: [ErrorInterface],
});

builder.objectType(RateLimitedError, {
  name: "RateLimitedError",
  description: "A limit was reached; the same request may succeed after `retryAfter` seconds.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfter: t.exposeInt("retryAfter", { description: "Seconds to wait." }) }),
});
