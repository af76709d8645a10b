FROM redis:7-alpine
HEALTHCHECK NONE
USER redis
CMD ["redis-server"]
