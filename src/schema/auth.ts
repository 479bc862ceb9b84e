// Accounts: sign-up, log-in and log-out. The token goes in `Authorization: Bearer <token>`.
import { builder, type Context } from "../builder.js";
import {
  HandleTakenError,
  InvalidCredentialsError,
  UnauthenticatedError,
  ValidationError,
} from "../errors.js";
import type { Session } from "../services/accounts.js";
import { UserRef } from "./user.js";

const AuthPayload = builder.objectRef<Session>("AuthPayload").implement({
  description: "A new session. The token is shown only here; Sway keeps only its hash.",
  fields: (t) => ({
    token: t.exposeString("token", { description: "Send as `Authorization: Bearer <token>`." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    user: t.field({ type: UserRef, resolve: (session) => session.user }),
  }),
});

const SignUpInput = builder.inputType("SignUpInput", {
  fields: (t) => ({
    handle: t.string({ required: true, description: "2–30 of a–z, 0–9 and _; stored lower-case." }),
    name: t.string({ required: true }),
    password: t.string({ required: true, description: "8 to 200 characters." }),
  }),
});

const LogInInput = builder.inputType("LogInInput", {
  fields: (t) => ({
    handle: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

/**
 * The rest of a signUp or logIn request sees the new session's member as its viewer, so the
 * payload's `user` shows them their own fields (score, visibility) as any later request would.
 */
function actAs(ctx: Context, session: Session): Session {
  ctx.viewer = { id: session.user.id, handle: session.user.handle, role: session.user.role };
  ctx.token = session.token;
  return session;
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: "Creates a member and logs them in. Their score starts PRIVATE.",
    errors: { types: [ValidationError, HandleTakenError] },
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) => actAs(ctx, await ctx.services.accounts.signUp(input)),
  }),
  logIn: t.field({
    type: AuthPayload,
    errors: { types: [InvalidCredentialsError] },
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => actAs(ctx, await ctx.services.accounts.logIn(input)),
  }),
  deleteAccount: t.boolean({
    description:
      "Erases the logged-in member and every row that names them: follows, interactions, endorsements given and received, score, history, sessions. Members whose scores change get a history entry with reason ERASURE. Cannot be undone.",
    errors: {
      types: [UnauthenticatedError, InvalidCredentialsError],
      directResult: false,
      result: { name: "DeleteAccountPayload" },
      dataField: { name: "erased" },
    },
    args: { password: t.arg.string({ required: true }) },
    resolve: async (_root, { password }, ctx) => {
      await ctx.services.accounts.deleteAccount(ctx.viewer, password);
      return true;
    },
  }),
  logOut: t.boolean({
    description: "Ends the session of the token this request was sent with.",
    errors: {
      types: [UnauthenticatedError],
      directResult: false,
      result: { name: "LogOutPayload" },
      dataField: { name: "loggedOut" },
    },
    resolve: async (_root, _args, ctx) => {
      if (!ctx.token) throw new UnauthenticatedError();
      await ctx.services.accounts.logOut(ctx.token);
      return true;
    },
  }),
}));
