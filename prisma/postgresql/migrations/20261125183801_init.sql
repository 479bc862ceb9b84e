-- migrate:up
-- CreateEnum
CREATE TYPE "ScoreVisibility" AS ENUM ('PRIVATE', 'MEMBERS', 'PUBLIC');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('MEMBER', 'ADMIN');

-- CreateEnum
CREATE TYPE "NotifyDirection" AS ENUM ('UP', 'DOWN', 'BOTH');

-- CreateEnum
CREATE TYPE "InteractionKind" AS ENUM ('MENTION', 'REPLY', 'SHARE', 'LIKE');

-- CreateEnum
CREATE TYPE "ScoreChangeReason" AS ENUM ('ACTIVITY', 'ENDORSEMENT', 'NETWORK', 'DECAY', 'MODEL_CHANGE', 'ERASURE');

-- CreateEnum
CREATE TYPE "CauseKind" AS ENUM ('MEMBER', 'ENDORSEMENT', 'ANONYMOUS_REACH', 'DECAY', 'MODEL_CHANGE', 'REMAINDER');

-- CreateEnum
CREATE TYPE "ScoringModelStatus" AS ENUM ('DRAFT', 'ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "GraphEventKind" AS ENUM ('FOLLOW', 'UNFOLLOW', 'INTERACTION', 'ENDORSE', 'REVOKE_ENDORSEMENT', 'ERASURE');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bio" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'MEMBER',
    "scoreVisibility" "ScoreVisibility" NOT NULL DEFAULT 'PRIVATE',
    "anonymousReach" INTEGER NOT NULL DEFAULT 0,
    "notifyMinDelta" DOUBLE PRECISION,
    "notifyDirection" "NotifyDirection" NOT NULL DEFAULT 'BOTH',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthToken" (
    "id" SERIAL NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Follow" (
    "followerId" INTEGER NOT NULL,
    "followeeId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Follow_pkey" PRIMARY KEY ("followerId","followeeId")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "InteractionKind" NOT NULL,
    "actorId" INTEGER,
    "targetId" INTEGER,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Topic" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Endorsement" (
    "id" SERIAL NOT NULL,
    "endorserId" INTEGER NOT NULL,
    "endorseeId" INTEGER NOT NULL,
    "topicId" INTEGER NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Endorsement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Score" (
    "userId" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "raw" DOUBLE PRECISION NOT NULL,
    "breakdown" JSONB NOT NULL,
    "modelVersion" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Score_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ScoreContribution" (
    "userId" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "kind" "CauseKind" NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "contributorId" INTEGER,
    "endorsementId" INTEGER,
    "topicId" INTEGER,

    CONSTRAINT "ScoreContribution_pkey" PRIMARY KEY ("userId","rank")
);

-- CreateTable
CREATE TABLE "TopicScore" (
    "userId" INTEGER NOT NULL,
    "topicId" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TopicScore_pkey" PRIMARY KEY ("userId","topicId")
);

-- CreateTable
CREATE TABLE "ScoreHistory" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "delta" DOUBLE PRECISION NOT NULL,
    "reason" "ScoreChangeReason" NOT NULL,
    "modelVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreHistoryCause" (
    "historyId" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "kind" "CauseKind" NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "memberId" INTEGER,
    "endorsementId" INTEGER,
    "topicId" INTEGER,

    CONSTRAINT "ScoreHistoryCause_pkey" PRIMARY KEY ("historyId","rank")
);

-- CreateTable
CREATE TABLE "ScoringModel" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "parameters" JSONB NOT NULL,
    "status" "ScoringModelStatus" NOT NULL DEFAULT 'DRAFT',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),
    "transitionEndsAt" TIMESTAMP(3),

    CONSTRAINT "ScoringModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GraphEvent" (
    "id" SERIAL NOT NULL,
    "kind" "GraphEventKind" NOT NULL,
    "actorId" INTEGER,
    "subjectId" INTEGER,
    "refId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GraphEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScorerState" (
    "id" TEXT NOT NULL,
    "lastEventId" INTEGER NOT NULL DEFAULT 0,
    "holder" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScorerState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");

-- CreateIndex
CREATE INDEX "User_createdAt_idx" ON "User"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuthToken_tokenHash_key" ON "AuthToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuthToken_userId_idx" ON "AuthToken"("userId");

-- CreateIndex
CREATE INDEX "Follow_followeeId_followerId_idx" ON "Follow"("followeeId", "followerId");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_key_key" ON "Interaction"("key");

-- CreateIndex
CREATE INDEX "Interaction_targetId_occurredAt_idx" ON "Interaction"("targetId", "occurredAt");

-- CreateIndex
CREATE INDEX "Interaction_actorId_occurredAt_idx" ON "Interaction"("actorId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Topic_slug_key" ON "Topic"("slug");

-- CreateIndex
CREATE INDEX "Endorsement_endorseeId_topicId_idx" ON "Endorsement"("endorseeId", "topicId");

-- CreateIndex
CREATE INDEX "Endorsement_endorserId_createdAt_idx" ON "Endorsement"("endorserId", "createdAt");

-- CreateIndex
CREATE INDEX "Endorsement_endorserId_endorseeId_topicId_createdAt_idx" ON "Endorsement"("endorserId", "endorseeId", "topicId", "createdAt");

-- CreateIndex
CREATE INDEX "Score_value_idx" ON "Score"("value");

-- CreateIndex
CREATE INDEX "ScoreContribution_contributorId_idx" ON "ScoreContribution"("contributorId");

-- CreateIndex
CREATE INDEX "ScoreContribution_endorsementId_idx" ON "ScoreContribution"("endorsementId");

-- CreateIndex
CREATE INDEX "ScoreContribution_topicId_idx" ON "ScoreContribution"("topicId");

-- CreateIndex
CREATE INDEX "TopicScore_topicId_value_idx" ON "TopicScore"("topicId", "value");

-- CreateIndex
CREATE INDEX "ScoreHistory_userId_createdAt_idx" ON "ScoreHistory"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ScoreHistoryCause_memberId_idx" ON "ScoreHistoryCause"("memberId");

-- CreateIndex
CREATE INDEX "ScoreHistoryCause_endorsementId_idx" ON "ScoreHistoryCause"("endorsementId");

-- CreateIndex
CREATE INDEX "ScoreHistoryCause_topicId_idx" ON "ScoreHistoryCause"("topicId");

-- CreateIndex
CREATE UNIQUE INDEX "ScoringModel_version_key" ON "ScoringModel"("version");

-- CreateIndex
CREATE INDEX "ScoringModel_status_idx" ON "ScoringModel"("status");

-- CreateIndex
CREATE INDEX "GraphEvent_actorId_idx" ON "GraphEvent"("actorId");

-- CreateIndex
CREATE INDEX "GraphEvent_subjectId_idx" ON "GraphEvent"("subjectId");

-- AddForeignKey
ALTER TABLE "AuthToken" ADD CONSTRAINT "AuthToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_followeeId_fkey" FOREIGN KEY ("followeeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Endorsement" ADD CONSTRAINT "Endorsement_endorserId_fkey" FOREIGN KEY ("endorserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Endorsement" ADD CONSTRAINT "Endorsement_endorseeId_fkey" FOREIGN KEY ("endorseeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Endorsement" ADD CONSTRAINT "Endorsement_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreContribution" ADD CONSTRAINT "ScoreContribution_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Score"("userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreContribution" ADD CONSTRAINT "ScoreContribution_contributorId_fkey" FOREIGN KEY ("contributorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreContribution" ADD CONSTRAINT "ScoreContribution_endorsementId_fkey" FOREIGN KEY ("endorsementId") REFERENCES "Endorsement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreContribution" ADD CONSTRAINT "ScoreContribution_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicScore" ADD CONSTRAINT "TopicScore_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicScore" ADD CONSTRAINT "TopicScore_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistory" ADD CONSTRAINT "ScoreHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistoryCause" ADD CONSTRAINT "ScoreHistoryCause_historyId_fkey" FOREIGN KEY ("historyId") REFERENCES "ScoreHistory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistoryCause" ADD CONSTRAINT "ScoreHistoryCause_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistoryCause" ADD CONSTRAINT "ScoreHistoryCause_endorsementId_fkey" FOREIGN KEY ("endorsementId") REFERENCES "Endorsement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistoryCause" ADD CONSTRAINT "ScoreHistoryCause_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GraphEvent" ADD CONSTRAINT "GraphEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GraphEvent" ADD CONSTRAINT "GraphEvent_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migrate:down
-- DropForeignKey
ALTER TABLE "AuthToken" DROP CONSTRAINT "AuthToken_userId_fkey";

-- DropForeignKey
ALTER TABLE "Follow" DROP CONSTRAINT "Follow_followerId_fkey";

-- DropForeignKey
ALTER TABLE "Follow" DROP CONSTRAINT "Follow_followeeId_fkey";

-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_actorId_fkey";

-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_targetId_fkey";

-- DropForeignKey
ALTER TABLE "Endorsement" DROP CONSTRAINT "Endorsement_endorserId_fkey";

-- DropForeignKey
ALTER TABLE "Endorsement" DROP CONSTRAINT "Endorsement_endorseeId_fkey";

-- DropForeignKey
ALTER TABLE "Endorsement" DROP CONSTRAINT "Endorsement_topicId_fkey";

-- DropForeignKey
ALTER TABLE "Score" DROP CONSTRAINT "Score_userId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreContribution" DROP CONSTRAINT "ScoreContribution_userId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreContribution" DROP CONSTRAINT "ScoreContribution_contributorId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreContribution" DROP CONSTRAINT "ScoreContribution_endorsementId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreContribution" DROP CONSTRAINT "ScoreContribution_topicId_fkey";

-- DropForeignKey
ALTER TABLE "TopicScore" DROP CONSTRAINT "TopicScore_userId_fkey";

-- DropForeignKey
ALTER TABLE "TopicScore" DROP CONSTRAINT "TopicScore_topicId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreHistory" DROP CONSTRAINT "ScoreHistory_userId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreHistoryCause" DROP CONSTRAINT "ScoreHistoryCause_historyId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreHistoryCause" DROP CONSTRAINT "ScoreHistoryCause_memberId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreHistoryCause" DROP CONSTRAINT "ScoreHistoryCause_endorsementId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreHistoryCause" DROP CONSTRAINT "ScoreHistoryCause_topicId_fkey";

-- DropForeignKey
ALTER TABLE "GraphEvent" DROP CONSTRAINT "GraphEvent_actorId_fkey";

-- DropForeignKey
ALTER TABLE "GraphEvent" DROP CONSTRAINT "GraphEvent_subjectId_fkey";

-- DropTable
DROP TABLE "User";

-- DropTable
DROP TABLE "AuthToken";

-- DropTable
DROP TABLE "Follow";

-- DropTable
DROP TABLE "Interaction";

-- DropTable
DROP TABLE "Topic";

-- DropTable
DROP TABLE "Endorsement";

-- DropTable
DROP TABLE "Score";

-- DropTable
DROP TABLE "ScoreContribution";

-- DropTable
DROP TABLE "TopicScore";

-- DropTable
DROP TABLE "ScoreHistory";

-- DropTable
DROP TABLE "ScoreHistoryCause";

-- DropTable
DROP TABLE "ScoringModel";

-- DropTable
DROP TABLE "GraphEvent";

-- DropTable
DROP TABLE "ScorerState";

-- DropEnum
DROP TYPE "ScoreVisibility";

-- DropEnum
DROP TYPE "Role";

-- DropEnum
DROP TYPE "NotifyDirection";

-- DropEnum
DROP TYPE "InteractionKind";

-- DropEnum
DROP TYPE "ScoreChangeReason";

-- DropEnum
DROP TYPE "CauseKind";

-- DropEnum
DROP TYPE "ScoringModelStatus";

-- DropEnum
DROP TYPE "GraphEventKind";
