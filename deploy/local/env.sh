# Connection settings for the local infrastructure started by deploy/local/infra.sh.
# Source it to get the same defaults in your shell:  source deploy/local/env.sh
# Values already set in the environment win; infra.sh reads the same variables.
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/carebridge}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
