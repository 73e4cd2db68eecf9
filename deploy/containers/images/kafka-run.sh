#!/bin/bash
# /etc/kafka/docker/run of the locally built apache/kafka image (deploy/containers/images.sh): as the
# official image, every KAFKA_* variable becomes a broker setting (KAFKA_ dropped, lower case,
# '___' -> '-', '__' -> '_', '_' -> '.'), CLUSTER_ID formats the storage once, KAFKA_HEAP_OPTS and
# KAFKA_OPTS go to the JVM. Without any KAFKA_* setting it runs the single-node KRaft default below.
set -Eeuo pipefail
config=/opt/kafka/config/server.properties
not_settings=' KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_LOG4J_OPTS KAFKA_JMX_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL KAFKA_VERSION KAFKA_HOME '
settings=()
while IFS='=' read -r name value; do
  case "$not_settings" in *" $name "*) continue ;; esac
  key="${name#KAFKA_}"; key="${key,,}"; key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
  settings+=("$key=$value")
done < <(env | grep -E '^KAFKA_[A-Z0-9_]+=' || true)
if [ ${#settings[@]} -gt 0 ]; then
  printf '%s\n' "${settings[@]}" >"$config"
  grep -q '^log.dirs=' "$config" || echo 'log.dirs=/tmp/kraft-combined-logs' >>"$config"
else
  cp /opt/kafka/config/default.properties "$config"
fi
: "${CLUSTER_ID:=5L6g3nShT-eMCtK--X86sw}"
classpath='/opt/kafka/libs/*'
log4j=(-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.xml)
# shellcheck disable=SC2086 # the *_OPTS variables are argument lists, as in kafka-run-class.sh
java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} "${log4j[@]}" -cp "$classpath" kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$config"
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true ${KAFKA_OPTS:-} "${log4j[@]}" -cp "$classpath" kafka.Kafka "$config"
