# One image recipe for the three services; docker-compose.yml picks the service
# with the SERVICE build argument (cdp, crm or sync).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cdp/package.json apps/cdp/
COPY apps/crm/package.json apps/crm/
COPY apps/sync/package.json apps/sync/
COPY libs/contracts/package.json libs/contracts/
COPY libs/kafka/package.json libs/kafka/
COPY libs/service-kit/package.json libs/service-kit/
COPY libs/local-infra/package.json libs/local-infra/
COPY libs/testing/package.json libs/testing/
COPY libs/service-testing/package.json libs/service-testing/
COPY tools/stack/package.json tools/stack/
RUN npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY tools/stack tools/stack
RUN npx tsc -b tsconfig.build.json && npm prune --omit=dev --ignore-scripts

FROM node:20.20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production HOST=0.0.0.0 SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/libs libs
COPY --from=build /app/apps/${SERVICE} apps/${SERVICE}
USER node
CMD ["sh", "-c", "exec node apps/${SERVICE}/dist/main.js"]
