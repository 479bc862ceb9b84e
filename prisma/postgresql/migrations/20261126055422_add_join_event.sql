-- migrate:up
-- AlterEnum
ALTER TYPE "GraphEventKind" ADD VALUE 'JOIN';

-- migrate:down
-- AlterEnum
BEGIN;
CREATE TYPE "GraphEventKind_new" AS ENUM ('FOLLOW', 'UNFOLLOW', 'INTERACTION', 'ENDORSE', 'REVOKE_ENDORSEMENT', 'ERASURE');
ALTER TABLE "GraphEvent" ALTER COLUMN "kind" TYPE "GraphEventKind_new" USING ("kind"::text::"GraphEventKind_new");
ALTER TYPE "GraphEventKind" RENAME TO "GraphEventKind_old";
ALTER TYPE "GraphEventKind_new" RENAME TO "GraphEventKind";
DROP TYPE "GraphEventKind_old";
COMMIT;
