// Publishing what the scorer recorded: called with each batch of score changes after the batch's
// transaction committed (the scorer thread reports only then), so a subscriber never hears of a
// move that history lacks. One query reads the batch's causes and owners' visibility; each move
// goes to its member's channel, and a leaderboard nudge at most once a second.
import type { Db } from "../db/client.js";
import type { ScoreChange } from "../scorer/write.js";
import type { ScoreEvent, ScoreEventCause, SwayPubSub } from "./pubsub.js";

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
        const entries = await db.scoreHistory.findMany({
          where: { id: { in: batch.map((change) => change.historyId) } },
          select: {
            id: true,
            createdAt: true,
            user: { select: { scoreVisibility: true } },
            causes: {
              orderBy: { rank: "asc" },
              select: { kind: true, share: true, memberId: true, endorsementId: true, topicId: true },
            },
          },
        });
        const byId = new Map(entries.map((entry) => [entry.id, entry]));
        for (const change of batch) {
          const entry = byId.get(change.historyId);
          // Gone already: the member erased their account since; nobody may hear of it.
          if (!entry) continue;
          const event: ScoreEvent = {
            userId: change.userId,
            visibility: entry.user.scoreVisibility,
            historyId: change.historyId,
            oldValue: change.old,
            value: change.new,
            delta: change.delta,
            reason: change.reason,
            modelVersion: change.modelVersion,
            createdAt: entry.createdAt.toISOString(),
            causes: entry.causes as ScoreEventCause[],
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
