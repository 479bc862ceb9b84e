/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token expiresAt user { id handle name } }\n      ... on ValidationError { message field }\n      ... on HandleTakenError { message handle }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload { token user { handle } }\n      ... on InvalidCredentialsError { message }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on MutationLogOutSuccess { data }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": typeof types.LogOutDocument,
    "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignUpMember($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n": typeof types.SignUpMemberDocument,
    "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query UserByHandle($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { id handle name bio scoreVisibility }\n      ... on NotFoundError { message resource }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.UserByHandleDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { handle }\n      ... on Topic { slug name }\n    }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query Topics {\n    topics { id slug name }\n  }\n": typeof types.TopicsDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { handle name bio scoreVisibility }\n      ... on ValidationError { field message }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": typeof types.UpdateProfileDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token expiresAt user { id handle name } }\n      ... on ValidationError { message field }\n      ... on HandleTakenError { message handle }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload { token user { handle } }\n      ... on InvalidCredentialsError { message }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on MutationLogOutSuccess { data }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": types.LogOutDocument,
    "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n": types.ViewerDocument,
    "\n  mutation SignUpMember($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n": types.SignUpMemberDocument,
    "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.UsersDocument,
    "\n  query UserByHandle($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { id handle name bio scoreVisibility }\n      ... on NotFoundError { message resource }\n      ... on ValidationError { field }\n    }\n  }\n": types.UserByHandleDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { handle }\n      ... on Topic { slug name }\n    }\n  }\n": types.NodeByIdDocument,
    "\n  query Topics {\n    topics { id slug name }\n  }\n": types.TopicsDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { handle name bio scoreVisibility }\n      ... on ValidationError { field message }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": types.UpdateProfileDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token expiresAt user { id handle name } }\n      ... on ValidationError { message field }\n      ... on HandleTakenError { message handle }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token expiresAt user { id handle name } }\n      ... on ValidationError { message field }\n      ... on HandleTakenError { message handle }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload { token user { handle } }\n      ... on InvalidCredentialsError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload { token user { handle } }\n      ... on InvalidCredentialsError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on MutationLogOutSuccess { data }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on MutationLogOutSuccess { data }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUpMember($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUpMember($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserByHandle($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { id handle name bio scoreVisibility }\n      ... on NotFoundError { message resource }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  query UserByHandle($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { id handle name bio scoreVisibility }\n      ... on NotFoundError { message resource }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { handle }\n      ... on Topic { slug name }\n    }\n  }\n"): (typeof documents)["\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { handle }\n      ... on Topic { slug name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Topics {\n    topics { id slug name }\n  }\n"): (typeof documents)["\n  query Topics {\n    topics { id slug name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { handle name bio scoreVisibility }\n      ... on ValidationError { field message }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { handle name bio scoreVisibility }\n      ... on ValidationError { field message }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;