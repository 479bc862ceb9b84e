// Publishing what the scorer recorded: called with each batch of score changes after the batch's
// transaction committed (the scorer thread reports only then), so a subscriber never hears of a
// move that history lacks. Each change comes with its history row's time and causes; one query
// reads the owners' visibility as of now (a member erased since has none: nobody may hear of
// their move). Each move goes to its member's channel, and a leaderboard nudge at most once a
// second.
import type { Db } from "../db/client.js";
import type { ScoreChange } from "../scorer/write.js";
import type { ScoreEvent, SwayPubSub } from "./pubsub.js";

const chunk = 500;
const leaderboardEveryMs = 1000;

export function createPublisher(db: Db, pubsub: SwayPubSub) {
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
    async scoresChanged(changes: readonly ScoreChange[]): Promise<void> {
      for (let from = 0; from < changes.length; from += chunk) {
        const batch = changes.slice(from, from + chunk);
        const owners = await db.user.findMany({
          where: { id: { in: [...new Set(batch.map((change) => change.userId))] } },
          select: { id: true, scoreVisibility: true },
        });
        const visibility = new Map(owners.map((owner) => [owner.id, owner.scoreVisibility]));
        for (const change of batch) {
          const ownerVisibility = visibility.get(change.userId);
          // Gone already: the member erased their account since; nobody may hear of it.
          if (ownerVisibility === undefined) continue;
          const event: ScoreEvent = {
            userId: change.userId,
            visibility: ownerVisibility,
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
