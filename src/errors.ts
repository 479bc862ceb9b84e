// Errors a client can act on. Services throw these; the GraphQL layer turns each into a typed
// result (see src/schema/errors.ts). Anything else is unexpected and is masked.

export abstract class SwayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule; `field` names the input field when there is one. */
export class ValidationError extends SwayError {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export class HandleTakenError extends SwayError {
  constructor(readonly handle: string) {
    super(`The handle "${handle}" is taken.`);
  }
}

/** Wrong handle or password; deliberately does not say which. */
export class InvalidCredentialsError extends SwayError {
  constructor() {
    super("Wrong handle or password.");
  }
}

export class NotFoundError extends SwayError {
  constructor(readonly resource: string) {
    super(`${resource} not found.`);
  }
}

export class UnauthenticatedError extends SwayError {
  constructor() {
    super("You must be logged in to do this.");
  }
}

export class ForbiddenError extends SwayError {}

/** A limit was reached; the same request may succeed after `retryAfter` seconds. */
export class RateLimitedError extends SwayError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}
