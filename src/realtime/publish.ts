// Publishing what the scorer recorded: called with each batch of score changes after the batch's
// transaction committed (the scorer thread reports only then), so a subscriber never hears of a
// move that history lacks. Each change comes with its history row's time and causes, and its
// owner's visibility as read in the transaction that recorded it, which authorizes it per
// subscriber (a member erased before that transaction has no move recorded; an erasure ends the
// subscriptions that name the member). Each move goes to its member's channel, and a leaderboard
// nudge at most once a second.
import type { ScoreChange } from "../scorer/write.js";
import type { ScoreEvent, SwayPubSub } from "./pubsub.js";

const leaderboardEveryMs = 1000;

export function createPublisher(pubsub: SwayPubSub) {
  let lastLeaderboard = 0;
  let pendingLeaderboard: NodeJS.Timeout | undefined;

  const nudgeLeaderboards = () => {
    if (pendingLeaderboard) return;
    const wait = Math.max(0, lastLeaderboard + leaderboardEveryMs - Date.now());
    pendingLeaderboard = setTimeout(() => {
      pendingLeaderboard = undefined;
      lastLeaderboard = Date.now();
      pubsub.publish("leaderboard", { at: new Date().toISOString() });
    }, wait);
    pendingLeaderboard.unref();
  };

  return {
    scoresChanged(changes: readonly ScoreChange[]): void {
      for (const change of changes) {
        const event: ScoreEvent = {
          userId: change.userId,
          visibility: change.visibility,
          historyId: change.historyId,
          oldValue: change.old,
          value: change.new,
          delta: change.delta,
          reason: change.reason,
          modelVersion: change.modelVersion,
          createdAt: change.createdAt.toISOString(),
          causes: change.causes,
        };
        pubsub.publish(`score:${change.userId}`, event);
      }
      if (changes.length > 0) nudgeLeaderboards();
    },

    endorsementReceived(endorseeId: number, endorsementId: number): void {
      pubsub.publish(`endorsement:${endorseeId}`, { endorsementId });
    },

    memberGone(userId: number): void {
      pubsub.publish(`member-gone:${userId}`, { userId });
    },

    close(): void {
      clearTimeout(pendingLeaderboard);
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
