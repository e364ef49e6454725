#!/usr/bin/env sh
# Prisma's native schema engine cannot be downloaded on this platform's build machines. Migrations are
# applied by our own runner (npm run db:migrate) and created with scripts/create-migration.ts.
echo "prisma schema engine is not available here: use 'npm run db:migrate' (apply) or 'npm run db:new-migration' (create)" >&2
exit 1
