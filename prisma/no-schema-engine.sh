#!/bin/sh
# Sway never runs Prisma's native schema engine (it would be downloaded, and nothing may be).
# Migrations are plain SQL under prisma/<provider>/migrations, applied by dbmate.
echo "sway: the Prisma schema engine is not used here. Apply migrations with 'npm run db:migrate'; write them with 'npm run db:migration -- <name>'." >&2
exit 1
