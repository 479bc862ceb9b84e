// Input rules shared by the services. Each returns the cleaned value or throws ValidationError.
import { ValidationError } from "../errors.js";

export const handlePattern = /^[a-z0-9_]{2,30}$/;

/** Handles are compared lower-case; surrounding spaces are ignored. */
export function normalizeHandle(raw: string, field = "handle"): string {
  const handle = raw.trim().toLowerCase();
  if (!handlePattern.test(handle)) {
    throw new ValidationError(
      "A handle is 2 to 30 characters: lower-case letters, digits and underscores.",
      field,
    );
  }
  return handle;
}

export function cleanName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length < 1 || name.length > 80) {
    throw new ValidationError("A name is 1 to 80 characters.", "name");
  }
  return name;
}

export function cleanBio(raw: string): string {
  const bio = raw.trim();
  if (bio.length > 500) throw new ValidationError("A bio is at most 500 characters.", "bio");
  return bio;
}

export function checkPassword(password: string): string {
  if (password.length < 8 || password.length > 200) {
    throw new ValidationError("A password is 8 to 200 characters.", "password");
  }
  return password;
}
