// The pub/sub that carries live events to subscribers: in-process by default; with REDIS_URL,
// through Redis (@graphql-yoga/redis-event-target), so a change scored on one instance reaches
// subscribers on every instance.
//
// Channels (payloads are plain JSON, as they cross Redis):
//   score:<userId>        a recorded score move (ScoreEvent), published after its history row commits
//   endorsement:<userId>  an endorsement the member received
//   leaderboard           some score moved: leaderboards may have changed (at most once a second)
//   member-gone:<userId>  the member erased their account: their subscriptions end
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSub } from "graphql-yoga";
import { Redis } from "ioredis";
import type { CauseKind, ScoreChangeReason, ScoreVisibility } from "../generated/prisma/sqlite/enums.js";

export interface ScoreEventCause {
  kind: CauseKind;
  share: number;
  memberId: number | null;
  endorsementId: number | null;
  topicId: number | null;
}

/** One recorded move of a member's score, as published. */
export interface ScoreEvent {
  userId: number;
  /** The owner's visibility when the move was published. */
  visibility: ScoreVisibility;
  historyId: number;
  /** null for a first score. */
  oldValue: number | null;
  value: number;
  delta: number;
  reason: ScoreChangeReason;
  modelVersion: number;
  /** ISO 8601. */
  createdAt: string;
  causes: ScoreEventCause[];
}

export type Channels = {
  [key: `score:${number}`]: [ScoreEvent];
  [key: `endorsement:${number}`]: [{ endorsementId: number }];
  leaderboard: [{ at: string }];
  [key: `member-gone:${number}`]: [{ userId: number }];
};

export type SwayPubSub = PubSub<Channels>;

export interface Realtime {
  pubsub: SwayPubSub;
  close(): Promise<void>;
}

export function createRealtime(redisUrl: string | undefined): Realtime {
  if (redisUrl === undefined) return { pubsub: createPubSub<Channels>(), close: async () => {} };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<Channels>({ eventTarget }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
