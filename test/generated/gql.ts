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
    "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on LogOutPayload { loggedOut }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": typeof types.LogOutDocument,
    "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation FollowForErasure($handle: String!) { follow(handle: $handle) { __typename } }\n": typeof types.FollowForErasureDocument,
    "\n  mutation EndorseForErasure($handle: String!, $topic: String!) { endorse(handle: $handle, topic: $topic) { __typename } }\n": typeof types.EndorseForErasureDocument,
    "\n  mutation RecordForErasure($input: [InteractionInput!]!) { recordInteractions(input: $input) { __typename } }\n": typeof types.RecordForErasureDocument,
    "\n  mutation LogInForErasure($input: LogInInput!) { logIn(input: $input) { __typename } }\n": typeof types.LogInForErasureDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password) {\n      __typename\n      ... on DeleteAccountPayload { erased }\n      ... on Error { message }\n    }\n  }\n": typeof types.DeleteAccountDocument,
    "\n  query ViewerForErasure { viewer { handle } }\n": typeof types.ViewerForErasureDocument,
    "\n  mutation Follow($handle: String!) {\n    follow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed follower { handle } followee { handle } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.FollowDocument,
    "\n  mutation Unfollow($handle: String!) {\n    unfollow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed }\n      ... on Error { message }\n    }\n  }\n": typeof types.UnfollowDocument,
    "\n  query FollowLists($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        followers(first: 2, after: $after) {\n          edges { node { follower { handle } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        following(first: 10) { edges { node { followee { handle } } } }\n      }\n    }\n  }\n": typeof types.FollowListsDocument,
    "\n  mutation Record($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) {\n      __typename\n      ... on RecordInteractionsPayload { recorded duplicateKeys anonymous }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.RecordDocument,
    "\n  mutation Endorse($handle: String!, $topic: String!, $note: String) {\n    endorse(handle: $handle, topic: $topic, note: $note) {\n      __typename\n      ... on Endorsement { id note endorser { handle } endorsee { handle } topic { slug } }\n      ... on RateLimitedError { retryAfter }\n      ... on Error { message }\n      ... on ValidationError { field }\n      ... on NotFoundError { resource }\n    }\n  }\n": typeof types.EndorseDocument,
    "\n  mutation Revoke($id: ID!) {\n    revokeEndorsement(id: $id) {\n      __typename\n      ... on Endorsement { id revokedAt }\n      ... on Error { message }\n    }\n  }\n": typeof types.RevokeDocument,
    "\n  query Endorsements($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        endorsementsReceived(first: 20) { edges { node { endorser { handle } topic { slug } note } } }\n        endorsementsGiven(first: 20) { edges { node { endorsee { handle } } } }\n      }\n    }\n  }\n": typeof types.EndorsementsDocument,
    "\n  mutation LimitsSignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n    }\n  }\n": typeof types.LimitsSignUpDocument,
    "\n  query LimitsUsersPage($first: Int, $last: Int) {\n    users(first: $first, last: $last) {\n      edges { node { handle } }\n    }\n  }\n": typeof types.LimitsUsersPageDocument,
    "\n  query LimitsUsersPageOf101 {\n    users(first: 101) {\n      edges { node { handle } }\n    }\n  }\n": typeof types.LimitsUsersPageOf101Document,
    "\n  query LimitsUsersPageInFragment {\n    ...LimitsUsersOf101\n  }\n  fragment LimitsUsersOf101 on Query {\n    users(first: 101) { edges { node { handle } } }\n  }\n": typeof types.LimitsUsersPageInFragmentDocument,
    "\n  query LimitsProfile($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { handle name bio createdAt }\n    }\n    users(first: 100) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n    topics { slug name }\n  }\n": typeof types.LimitsProfileDocument,
    "\n  mutation MultiFollow($handle: String!) { follow(handle: $handle) { __typename } }\n": typeof types.MultiFollowDocument,
    "\n  mutation MultiEndorse($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Across\") { __typename }\n  }\n": typeof types.MultiEndorseDocument,
    "\n  subscription MultiScoreChanged($minDelta: Float) {\n    scoreChanged(minDelta: $minDelta) {\n      member { handle }\n      delta\n      reason\n      createdAt\n      causes { member { handle } }\n    }\n  }\n": typeof types.MultiScoreChangedDocument,
    "\n  subscription MultiEndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n": typeof types.MultiEndorsementReceivedDocument,
    "\n  mutation FollowForRoundTrips($handle: String!) { follow(handle: $handle) { __typename } }\n": typeof types.FollowForRoundTripsDocument,
    "\n  mutation EndorseForRoundTrips($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Good\") { __typename }\n  }\n": typeof types.EndorseForRoundTripsDocument,
    "\n  query Profiles($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          handle\n          anonymousReach\n          score {\n            value\n            modelVersion\n            breakdown { raw network }\n            topics { topic { slug } value }\n            explanation { kind share member { handle } endorsement { note endorser { handle } } topic { slug } }\n          }\n          scoreHistory(first: 3) { edges { node { value reason causes { share member { handle } } } } }\n          followers(first: 5) { edges { node { follower { handle } } } }\n          following(first: 5) { edges { node { followee { handle } } } }\n          endorsementsReceived(first: 5) { edges { node { endorser { handle } topic { slug } } } }\n          influencers(first: 3) { share member { handle } }\n          influencees(first: 3) { share member { handle } }\n        }\n      }\n    }\n  }\n": typeof types.ProfilesDocument,
    "\n  mutation FollowForScores($handle: String!) {\n    follow(handle: $handle) { __typename }\n  }\n": typeof types.FollowForScoresDocument,
    "\n  mutation EndorseForScores($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic) { __typename }\n  }\n": typeof types.EndorseForScoresDocument,
    "\n  mutation RecordForScores($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) { __typename }\n  }\n": typeof types.RecordForScoresDocument,
    "\n  query Profile($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        handle\n        anonymousReach\n        score {\n          value\n          modelVersion\n          breakdown { network endorsement raw anonymousReach }\n          topics { topic { slug } value }\n          explanation { kind share member { handle } endorsement { endorser { handle } } topic { slug } }\n        }\n        scoreHistory(first: 3, after: $after) {\n          edges { cursor node { value delta reason modelVersion createdAt causes { kind share member { handle } } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        influencers(first: 10) { member { handle } share }\n        influencees(first: 10) { member { handle } share }\n      }\n    }\n  }\n": typeof types.ProfileDocument,
    "\n  mutation LogInForScores($input: LogInInput!) {\n    logIn(input: $input) { ... on AuthPayload { user { handle scoreVisibility score { value } } } }\n  }\n": typeof types.LogInForScoresDocument,
    "\n  query AllUserScores {\n    users(first: 50) { edges { node { handle score { value } } } }\n  }\n": typeof types.AllUserScoresDocument,
    "\n  query NodeScore($id: ID!) {\n    node(id: $id) { ... on User { handle score { value } scoreHistory(first: 1) { edges { node { value } } } } }\n  }\n": typeof types.NodeScoreDocument,
    "\n  query Board($topic: String, $first: Int) {\n    leaderboard(topic: $topic, first: $first) {\n      __typename\n      ... on Leaderboard { topic { slug } entries { rank value member { handle } } }\n      ... on NotFoundError { resource }\n    }\n  }\n": typeof types.BoardDocument,
    "\n  subscription SlowScoreChanged {\n    scoreChanged(minDelta: 0) { value delta causes { kind share } }\n  }\n": typeof types.SlowScoreChangedDocument,
    "\n  mutation FollowLive($handle: String!) { follow(handle: $handle) { __typename } }\n": typeof types.FollowLiveDocument,
    "\n  mutation EndorseLive($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Live\") { __typename }\n  }\n": typeof types.EndorseLiveDocument,
    "\n  mutation PreferencesLive($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { notificationPreference { minDelta direction } }\n    }\n  }\n": typeof types.PreferencesLiveDocument,
    "\n  mutation DeleteAccountLive($password: String!) { deleteAccount(password: $password) { __typename } }\n": typeof types.DeleteAccountLiveDocument,
    "\n  subscription ScoreChanged($handle: String, $minDelta: Float) {\n    scoreChanged(handle: $handle, minDelta: $minDelta) {\n      member { handle }\n      oldValue\n      value\n      delta\n      reason\n      modelVersion\n      createdAt\n      causes { kind share member { handle } }\n    }\n  }\n": typeof types.ScoreChangedDocument,
    "\n  subscription EndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n": typeof types.EndorsementReceivedDocument,
    "\n  subscription LeaderboardChanged {\n    leaderboardChanged(first: 5) { entries { rank value member { handle } } }\n  }\n": typeof types.LeaderboardChangedDocument,
    "\n  subscription LeaderboardWide {\n    leaderboardChanged(first: 101) { entries { rank } }\n  }\n": typeof types.LeaderboardWideDocument,
    "\n  mutation SignUpForTest($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n": typeof types.SignUpForTestDocument,
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
    "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on LogOutPayload { loggedOut }\n      ... on UnauthenticatedError { message }\n    }\n  }\n": types.LogOutDocument,
    "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n": types.ViewerDocument,
    "\n  mutation FollowForErasure($handle: String!) { follow(handle: $handle) { __typename } }\n": types.FollowForErasureDocument,
    "\n  mutation EndorseForErasure($handle: String!, $topic: String!) { endorse(handle: $handle, topic: $topic) { __typename } }\n": types.EndorseForErasureDocument,
    "\n  mutation RecordForErasure($input: [InteractionInput!]!) { recordInteractions(input: $input) { __typename } }\n": types.RecordForErasureDocument,
    "\n  mutation LogInForErasure($input: LogInInput!) { logIn(input: $input) { __typename } }\n": types.LogInForErasureDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password) {\n      __typename\n      ... on DeleteAccountPayload { erased }\n      ... on Error { message }\n    }\n  }\n": types.DeleteAccountDocument,
    "\n  query ViewerForErasure { viewer { handle } }\n": types.ViewerForErasureDocument,
    "\n  mutation Follow($handle: String!) {\n    follow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed follower { handle } followee { handle } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": types.FollowDocument,
    "\n  mutation Unfollow($handle: String!) {\n    unfollow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed }\n      ... on Error { message }\n    }\n  }\n": types.UnfollowDocument,
    "\n  query FollowLists($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        followers(first: 2, after: $after) {\n          edges { node { follower { handle } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        following(first: 10) { edges { node { followee { handle } } } }\n      }\n    }\n  }\n": types.FollowListsDocument,
    "\n  mutation Record($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) {\n      __typename\n      ... on RecordInteractionsPayload { recorded duplicateKeys anonymous }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": types.RecordDocument,
    "\n  mutation Endorse($handle: String!, $topic: String!, $note: String) {\n    endorse(handle: $handle, topic: $topic, note: $note) {\n      __typename\n      ... on Endorsement { id note endorser { handle } endorsee { handle } topic { slug } }\n      ... on RateLimitedError { retryAfter }\n      ... on Error { message }\n      ... on ValidationError { field }\n      ... on NotFoundError { resource }\n    }\n  }\n": types.EndorseDocument,
    "\n  mutation Revoke($id: ID!) {\n    revokeEndorsement(id: $id) {\n      __typename\n      ... on Endorsement { id revokedAt }\n      ... on Error { message }\n    }\n  }\n": types.RevokeDocument,
    "\n  query Endorsements($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        endorsementsReceived(first: 20) { edges { node { endorser { handle } topic { slug } note } } }\n        endorsementsGiven(first: 20) { edges { node { endorsee { handle } } } }\n      }\n    }\n  }\n": types.EndorsementsDocument,
    "\n  mutation LimitsSignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n    }\n  }\n": types.LimitsSignUpDocument,
    "\n  query LimitsUsersPage($first: Int, $last: Int) {\n    users(first: $first, last: $last) {\n      edges { node { handle } }\n    }\n  }\n": types.LimitsUsersPageDocument,
    "\n  query LimitsUsersPageOf101 {\n    users(first: 101) {\n      edges { node { handle } }\n    }\n  }\n": types.LimitsUsersPageOf101Document,
    "\n  query LimitsUsersPageInFragment {\n    ...LimitsUsersOf101\n  }\n  fragment LimitsUsersOf101 on Query {\n    users(first: 101) { edges { node { handle } } }\n  }\n": types.LimitsUsersPageInFragmentDocument,
    "\n  query LimitsProfile($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { handle name bio createdAt }\n    }\n    users(first: 100) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n    topics { slug name }\n  }\n": types.LimitsProfileDocument,
    "\n  mutation MultiFollow($handle: String!) { follow(handle: $handle) { __typename } }\n": types.MultiFollowDocument,
    "\n  mutation MultiEndorse($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Across\") { __typename }\n  }\n": types.MultiEndorseDocument,
    "\n  subscription MultiScoreChanged($minDelta: Float) {\n    scoreChanged(minDelta: $minDelta) {\n      member { handle }\n      delta\n      reason\n      createdAt\n      causes { member { handle } }\n    }\n  }\n": types.MultiScoreChangedDocument,
    "\n  subscription MultiEndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n": types.MultiEndorsementReceivedDocument,
    "\n  mutation FollowForRoundTrips($handle: String!) { follow(handle: $handle) { __typename } }\n": types.FollowForRoundTripsDocument,
    "\n  mutation EndorseForRoundTrips($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Good\") { __typename }\n  }\n": types.EndorseForRoundTripsDocument,
    "\n  query Profiles($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          handle\n          anonymousReach\n          score {\n            value\n            modelVersion\n            breakdown { raw network }\n            topics { topic { slug } value }\n            explanation { kind share member { handle } endorsement { note endorser { handle } } topic { slug } }\n          }\n          scoreHistory(first: 3) { edges { node { value reason causes { share member { handle } } } } }\n          followers(first: 5) { edges { node { follower { handle } } } }\n          following(first: 5) { edges { node { followee { handle } } } }\n          endorsementsReceived(first: 5) { edges { node { endorser { handle } topic { slug } } } }\n          influencers(first: 3) { share member { handle } }\n          influencees(first: 3) { share member { handle } }\n        }\n      }\n    }\n  }\n": types.ProfilesDocument,
    "\n  mutation FollowForScores($handle: String!) {\n    follow(handle: $handle) { __typename }\n  }\n": types.FollowForScoresDocument,
    "\n  mutation EndorseForScores($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic) { __typename }\n  }\n": types.EndorseForScoresDocument,
    "\n  mutation RecordForScores($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) { __typename }\n  }\n": types.RecordForScoresDocument,
    "\n  query Profile($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        handle\n        anonymousReach\n        score {\n          value\n          modelVersion\n          breakdown { network endorsement raw anonymousReach }\n          topics { topic { slug } value }\n          explanation { kind share member { handle } endorsement { endorser { handle } } topic { slug } }\n        }\n        scoreHistory(first: 3, after: $after) {\n          edges { cursor node { value delta reason modelVersion createdAt causes { kind share member { handle } } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        influencers(first: 10) { member { handle } share }\n        influencees(first: 10) { member { handle } share }\n      }\n    }\n  }\n": types.ProfileDocument,
    "\n  mutation LogInForScores($input: LogInInput!) {\n    logIn(input: $input) { ... on AuthPayload { user { handle scoreVisibility score { value } } } }\n  }\n": types.LogInForScoresDocument,
    "\n  query AllUserScores {\n    users(first: 50) { edges { node { handle score { value } } } }\n  }\n": types.AllUserScoresDocument,
    "\n  query NodeScore($id: ID!) {\n    node(id: $id) { ... on User { handle score { value } scoreHistory(first: 1) { edges { node { value } } } } }\n  }\n": types.NodeScoreDocument,
    "\n  query Board($topic: String, $first: Int) {\n    leaderboard(topic: $topic, first: $first) {\n      __typename\n      ... on Leaderboard { topic { slug } entries { rank value member { handle } } }\n      ... on NotFoundError { resource }\n    }\n  }\n": types.BoardDocument,
    "\n  subscription SlowScoreChanged {\n    scoreChanged(minDelta: 0) { value delta causes { kind share } }\n  }\n": types.SlowScoreChangedDocument,
    "\n  mutation FollowLive($handle: String!) { follow(handle: $handle) { __typename } }\n": types.FollowLiveDocument,
    "\n  mutation EndorseLive($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Live\") { __typename }\n  }\n": types.EndorseLiveDocument,
    "\n  mutation PreferencesLive($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { notificationPreference { minDelta direction } }\n    }\n  }\n": types.PreferencesLiveDocument,
    "\n  mutation DeleteAccountLive($password: String!) { deleteAccount(password: $password) { __typename } }\n": types.DeleteAccountLiveDocument,
    "\n  subscription ScoreChanged($handle: String, $minDelta: Float) {\n    scoreChanged(handle: $handle, minDelta: $minDelta) {\n      member { handle }\n      oldValue\n      value\n      delta\n      reason\n      modelVersion\n      createdAt\n      causes { kind share member { handle } }\n    }\n  }\n": types.ScoreChangedDocument,
    "\n  subscription EndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n": types.EndorsementReceivedDocument,
    "\n  subscription LeaderboardChanged {\n    leaderboardChanged(first: 5) { entries { rank value member { handle } } }\n  }\n": types.LeaderboardChangedDocument,
    "\n  subscription LeaderboardWide {\n    leaderboardChanged(first: 101) { entries { rank } }\n  }\n": types.LeaderboardWideDocument,
    "\n  mutation SignUpForTest($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n": types.SignUpForTestDocument,
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
export function graphql(source: "\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on LogOutPayload { loggedOut }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut {\n      __typename\n      ... on LogOutPayload { loggedOut }\n      ... on UnauthenticatedError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer { handle name scoreVisibility }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowForErasure($handle: String!) { follow(handle: $handle) { __typename } }\n"): (typeof documents)["\n  mutation FollowForErasure($handle: String!) { follow(handle: $handle) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndorseForErasure($handle: String!, $topic: String!) { endorse(handle: $handle, topic: $topic) { __typename } }\n"): (typeof documents)["\n  mutation EndorseForErasure($handle: String!, $topic: String!) { endorse(handle: $handle, topic: $topic) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordForErasure($input: [InteractionInput!]!) { recordInteractions(input: $input) { __typename } }\n"): (typeof documents)["\n  mutation RecordForErasure($input: [InteractionInput!]!) { recordInteractions(input: $input) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogInForErasure($input: LogInInput!) { logIn(input: $input) { __typename } }\n"): (typeof documents)["\n  mutation LogInForErasure($input: LogInInput!) { logIn(input: $input) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password) {\n      __typename\n      ... on DeleteAccountPayload { erased }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password) {\n      __typename\n      ... on DeleteAccountPayload { erased }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerForErasure { viewer { handle } }\n"): (typeof documents)["\n  query ViewerForErasure { viewer { handle } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Follow($handle: String!) {\n    follow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed follower { handle } followee { handle } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  mutation Follow($handle: String!) {\n    follow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed follower { handle } followee { handle } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Unfollow($handle: String!) {\n    unfollow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation Unfollow($handle: String!) {\n    unfollow(handle: $handle) {\n      __typename\n      ... on FollowPayload { changed }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FollowLists($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        followers(first: 2, after: $after) {\n          edges { node { follower { handle } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        following(first: 10) { edges { node { followee { handle } } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FollowLists($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        followers(first: 2, after: $after) {\n          edges { node { follower { handle } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        following(first: 10) { edges { node { followee { handle } } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Record($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) {\n      __typename\n      ... on RecordInteractionsPayload { recorded duplicateKeys anonymous }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  mutation Record($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) {\n      __typename\n      ... on RecordInteractionsPayload { recorded duplicateKeys anonymous }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Endorse($handle: String!, $topic: String!, $note: String) {\n    endorse(handle: $handle, topic: $topic, note: $note) {\n      __typename\n      ... on Endorsement { id note endorser { handle } endorsee { handle } topic { slug } }\n      ... on RateLimitedError { retryAfter }\n      ... on Error { message }\n      ... on ValidationError { field }\n      ... on NotFoundError { resource }\n    }\n  }\n"): (typeof documents)["\n  mutation Endorse($handle: String!, $topic: String!, $note: String) {\n    endorse(handle: $handle, topic: $topic, note: $note) {\n      __typename\n      ... on Endorsement { id note endorser { handle } endorsee { handle } topic { slug } }\n      ... on RateLimitedError { retryAfter }\n      ... on Error { message }\n      ... on ValidationError { field }\n      ... on NotFoundError { resource }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Revoke($id: ID!) {\n    revokeEndorsement(id: $id) {\n      __typename\n      ... on Endorsement { id revokedAt }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation Revoke($id: ID!) {\n    revokeEndorsement(id: $id) {\n      __typename\n      ... on Endorsement { id revokedAt }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Endorsements($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        endorsementsReceived(first: 20) { edges { node { endorser { handle } topic { slug } note } } }\n        endorsementsGiven(first: 20) { edges { node { endorsee { handle } } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Endorsements($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        endorsementsReceived(first: 20) { edges { node { endorser { handle } topic { slug } note } } }\n        endorsementsGiven(first: 20) { edges { node { endorsee { handle } } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsSignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation LimitsSignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LimitsUsersPage($first: Int, $last: Int) {\n    users(first: $first, last: $last) {\n      edges { node { handle } }\n    }\n  }\n"): (typeof documents)["\n  query LimitsUsersPage($first: Int, $last: Int) {\n    users(first: $first, last: $last) {\n      edges { node { handle } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LimitsUsersPageOf101 {\n    users(first: 101) {\n      edges { node { handle } }\n    }\n  }\n"): (typeof documents)["\n  query LimitsUsersPageOf101 {\n    users(first: 101) {\n      edges { node { handle } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LimitsUsersPageInFragment {\n    ...LimitsUsersOf101\n  }\n  fragment LimitsUsersOf101 on Query {\n    users(first: 101) { edges { node { handle } } }\n  }\n"): (typeof documents)["\n  query LimitsUsersPageInFragment {\n    ...LimitsUsersOf101\n  }\n  fragment LimitsUsersOf101 on Query {\n    users(first: 101) { edges { node { handle } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LimitsProfile($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { handle name bio createdAt }\n    }\n    users(first: 100) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n    topics { slug name }\n  }\n"): (typeof documents)["\n  query LimitsProfile($handle: String!) {\n    user(handle: $handle) {\n      __typename\n      ... on User { handle name bio createdAt }\n    }\n    users(first: 100) {\n      edges { cursor node { id handle name } }\n      pageInfo { hasNextPage endCursor }\n    }\n    topics { slug name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MultiFollow($handle: String!) { follow(handle: $handle) { __typename } }\n"): (typeof documents)["\n  mutation MultiFollow($handle: String!) { follow(handle: $handle) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MultiEndorse($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Across\") { __typename }\n  }\n"): (typeof documents)["\n  mutation MultiEndorse($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Across\") { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MultiScoreChanged($minDelta: Float) {\n    scoreChanged(minDelta: $minDelta) {\n      member { handle }\n      delta\n      reason\n      createdAt\n      causes { member { handle } }\n    }\n  }\n"): (typeof documents)["\n  subscription MultiScoreChanged($minDelta: Float) {\n    scoreChanged(minDelta: $minDelta) {\n      member { handle }\n      delta\n      reason\n      createdAt\n      causes { member { handle } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MultiEndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n"): (typeof documents)["\n  subscription MultiEndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowForRoundTrips($handle: String!) { follow(handle: $handle) { __typename } }\n"): (typeof documents)["\n  mutation FollowForRoundTrips($handle: String!) { follow(handle: $handle) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndorseForRoundTrips($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Good\") { __typename }\n  }\n"): (typeof documents)["\n  mutation EndorseForRoundTrips($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Good\") { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profiles($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          handle\n          anonymousReach\n          score {\n            value\n            modelVersion\n            breakdown { raw network }\n            topics { topic { slug } value }\n            explanation { kind share member { handle } endorsement { note endorser { handle } } topic { slug } }\n          }\n          scoreHistory(first: 3) { edges { node { value reason causes { share member { handle } } } } }\n          followers(first: 5) { edges { node { follower { handle } } } }\n          following(first: 5) { edges { node { followee { handle } } } }\n          endorsementsReceived(first: 5) { edges { node { endorser { handle } topic { slug } } } }\n          influencers(first: 3) { share member { handle } }\n          influencees(first: 3) { share member { handle } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Profiles($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          handle\n          anonymousReach\n          score {\n            value\n            modelVersion\n            breakdown { raw network }\n            topics { topic { slug } value }\n            explanation { kind share member { handle } endorsement { note endorser { handle } } topic { slug } }\n          }\n          scoreHistory(first: 3) { edges { node { value reason causes { share member { handle } } } } }\n          followers(first: 5) { edges { node { follower { handle } } } }\n          following(first: 5) { edges { node { followee { handle } } } }\n          endorsementsReceived(first: 5) { edges { node { endorser { handle } topic { slug } } } }\n          influencers(first: 3) { share member { handle } }\n          influencees(first: 3) { share member { handle } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowForScores($handle: String!) {\n    follow(handle: $handle) { __typename }\n  }\n"): (typeof documents)["\n  mutation FollowForScores($handle: String!) {\n    follow(handle: $handle) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndorseForScores($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic) { __typename }\n  }\n"): (typeof documents)["\n  mutation EndorseForScores($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordForScores($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) { __typename }\n  }\n"): (typeof documents)["\n  mutation RecordForScores($input: [InteractionInput!]!) {\n    recordInteractions(input: $input) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profile($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        handle\n        anonymousReach\n        score {\n          value\n          modelVersion\n          breakdown { network endorsement raw anonymousReach }\n          topics { topic { slug } value }\n          explanation { kind share member { handle } endorsement { endorser { handle } } topic { slug } }\n        }\n        scoreHistory(first: 3, after: $after) {\n          edges { cursor node { value delta reason modelVersion createdAt causes { kind share member { handle } } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        influencers(first: 10) { member { handle } share }\n        influencees(first: 10) { member { handle } share }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Profile($handle: String!, $after: String) {\n    user(handle: $handle) {\n      __typename\n      ... on User {\n        handle\n        anonymousReach\n        score {\n          value\n          modelVersion\n          breakdown { network endorsement raw anonymousReach }\n          topics { topic { slug } value }\n          explanation { kind share member { handle } endorsement { endorser { handle } } topic { slug } }\n        }\n        scoreHistory(first: 3, after: $after) {\n          edges { cursor node { value delta reason modelVersion createdAt causes { kind share member { handle } } } }\n          pageInfo { hasNextPage endCursor }\n        }\n        influencers(first: 10) { member { handle } share }\n        influencees(first: 10) { member { handle } share }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogInForScores($input: LogInInput!) {\n    logIn(input: $input) { ... on AuthPayload { user { handle scoreVisibility score { value } } } }\n  }\n"): (typeof documents)["\n  mutation LogInForScores($input: LogInInput!) {\n    logIn(input: $input) { ... on AuthPayload { user { handle scoreVisibility score { value } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AllUserScores {\n    users(first: 50) { edges { node { handle score { value } } } }\n  }\n"): (typeof documents)["\n  query AllUserScores {\n    users(first: 50) { edges { node { handle score { value } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeScore($id: ID!) {\n    node(id: $id) { ... on User { handle score { value } scoreHistory(first: 1) { edges { node { value } } } } }\n  }\n"): (typeof documents)["\n  query NodeScore($id: ID!) {\n    node(id: $id) { ... on User { handle score { value } scoreHistory(first: 1) { edges { node { value } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Board($topic: String, $first: Int) {\n    leaderboard(topic: $topic, first: $first) {\n      __typename\n      ... on Leaderboard { topic { slug } entries { rank value member { handle } } }\n      ... on NotFoundError { resource }\n    }\n  }\n"): (typeof documents)["\n  query Board($topic: String, $first: Int) {\n    leaderboard(topic: $topic, first: $first) {\n      __typename\n      ... on Leaderboard { topic { slug } entries { rank value member { handle } } }\n      ... on NotFoundError { resource }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SlowScoreChanged {\n    scoreChanged(minDelta: 0) { value delta causes { kind share } }\n  }\n"): (typeof documents)["\n  subscription SlowScoreChanged {\n    scoreChanged(minDelta: 0) { value delta causes { kind share } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowLive($handle: String!) { follow(handle: $handle) { __typename } }\n"): (typeof documents)["\n  mutation FollowLive($handle: String!) { follow(handle: $handle) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndorseLive($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Live\") { __typename }\n  }\n"): (typeof documents)["\n  mutation EndorseLive($handle: String!, $topic: String!) {\n    endorse(handle: $handle, topic: $topic, note: \"Live\") { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PreferencesLive($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { notificationPreference { minDelta direction } }\n    }\n  }\n"): (typeof documents)["\n  mutation PreferencesLive($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      __typename\n      ... on User { notificationPreference { minDelta direction } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccountLive($password: String!) { deleteAccount(password: $password) { __typename } }\n"): (typeof documents)["\n  mutation DeleteAccountLive($password: String!) { deleteAccount(password: $password) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ScoreChanged($handle: String, $minDelta: Float) {\n    scoreChanged(handle: $handle, minDelta: $minDelta) {\n      member { handle }\n      oldValue\n      value\n      delta\n      reason\n      modelVersion\n      createdAt\n      causes { kind share member { handle } }\n    }\n  }\n"): (typeof documents)["\n  subscription ScoreChanged($handle: String, $minDelta: Float) {\n    scoreChanged(handle: $handle, minDelta: $minDelta) {\n      member { handle }\n      oldValue\n      value\n      delta\n      reason\n      modelVersion\n      createdAt\n      causes { kind share member { handle } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n"): (typeof documents)["\n  subscription EndorsementReceived {\n    endorsementReceived { note endorser { handle } topic { slug } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LeaderboardChanged {\n    leaderboardChanged(first: 5) { entries { rank value member { handle } } }\n  }\n"): (typeof documents)["\n  subscription LeaderboardChanged {\n    leaderboardChanged(first: 5) { entries { rank value member { handle } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LeaderboardWide {\n    leaderboardChanged(first: 101) { entries { rank } }\n  }\n"): (typeof documents)["\n  subscription LeaderboardWide {\n    leaderboardChanged(first: 101) { entries { rank } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUpForTest($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUpForTest($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload { token user { id } }\n    }\n  }\n"];
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