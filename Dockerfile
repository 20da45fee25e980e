# Kesher production image (Fly.io). Node 22 + npm; Bun comes from the npm package
# (node_modules/.bin/bun), as in development. One image, two process groups (fly.toml).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The dashboard is built once into web/dist; the server serves it.
RUN node_modules/.bin/bun run build:web

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
COPY --from=build /app /app
EXPOSE 3000
CMD ["node_modules/.bin/bun", "api/main.ts"]
