export { ConfigError, EX_CONFIG, bootOrExit, loadConfig } from './config/load-config';
export type { BootIo, ConfigProblem, Env } from './config/load-config';
export {
  LOG_LEVELS,
  TRACE_EXPORTERS,
  authSettings,
  databaseUrl,
  jwtAuthOptions,
  kafkaBrokers,
  logLevel,
  metricsPort,
  port,
  redisUrl,
  traceExporter,
} from './config/settings';
export type { LogLevel } from './config/settings';

export { REDACTED_PATHS, createLogger } from './logging/logger';
export type { Logger, LoggerOptions } from './logging/logger';
export { PinoNestLogger } from './logging/nest-logger';
export { getCorrelationId, getRequestContext, runWithCorrelationId } from './logging/request-context';
export type { RequestContext } from './logging/request-context';
export { CORRELATION_ID_HEADER, requestLogging } from './logging/request-logging.middleware';

export { startTelemetry } from './telemetry/start-telemetry';
export type { Telemetry, TelemetryOptions } from './telemetry/start-telemetry';
export { extractTraceContext, injectTraceHeaders, withSpan } from './telemetry/trace-context';
export type { TraceCarrier, TraceHeaders } from './telemetry/trace-context';

export { HealthModule } from './health/health.module';
export type { HealthOptions } from './health/health.module';
export { DEFAULT_CHECK_TIMEOUT_MS, runReadinessChecks } from './health/readiness';
export type { CheckReport, ReadinessCheck, ReadinessReport } from './health/readiness';
export { kafkaCheck, postgresCheck, redisCheck } from './health/checks';
export type { KafkaAdmin, Queryable } from './health/checks';

export {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  STATUS_BY_KIND,
  outcomeFor,
  problemType,
  toProblem,
} from './errors/problem';
export type { ProblemDetails, ProblemOutcome } from './errors/problem';
export { ProblemDetailsFilter } from './errors/problem-details.filter';
export { ERROR_CODE_SYSTEM, FHIR_JSON, errorCodeOf, isFhirPath, issueCodeFor, toOperationOutcome } from './errors/operation-outcome';
export type { OperationOutcomeInput } from './errors/operation-outcome';
export { RequestValidationError, ZodValidationPipe, parseBody } from './validation/parse-body';
export { idempotencyCommandId, optionalIdempotencyKey, requireIdempotencyKey } from './validation/idempotency-key';
export { usJurisdictionCode } from './validation/us-jurisdiction';
export { commandMetadata } from './http/command-metadata';
export { formatIssuePath } from './validation/field-errors';
export type { FieldError } from './validation/field-errors';

export { HUMAN_ROLES } from './auth/actor';
export type { AuthenticatedActor, HumanRole } from './auth/actor';
export { AuthModule } from './auth/auth.module';
export { CurrentActor, Public, Roles } from './auth/decorators';
export type { AuthenticatedRequest } from './auth/decorators';
export { DevTokenIssuer } from './auth/dev-token-issuer';
export type { DevTokenClaims, MintOptions } from './auth/dev-token-issuer';
export { JwtAuthGuard } from './auth/jwt-auth.guard';
export { JwtVerifier } from './auth/jwt-verifier';
export type { JwtAuthOptions } from './auth/jwt-verifier';

export { configureServiceApp, createServiceApp } from './bootstrap/create-service-app';
export type { ServiceAppOptions } from './bootstrap/create-service-app';

export { ServiceMetrics, startMetricsServer } from './metrics/service-metrics';
export type {
  AlertEvent,
  ConsumerStatsSource,
  KafkaLagAdmin,
  RelayStatusSource,
  ServiceMetricsOptions,
} from './metrics/service-metrics';

export { jobQueues } from './jobs/job-queues';
export type { JobQueues, JobQueuesOptions, JobsConnection } from './jobs/job-queues';
export type { ServiceDefinition, ServiceRuntime } from './runtime/service-definition';
export { runDistributed } from './runtime/run-distributed';
export type { BrokerSettings, DistributedMessaging } from './runtime/run-distributed';
export { DEFAULT_CONNECT_TIMEOUT_MS, createServicePool } from './database/service-pool';
export { ProcessSupervisor } from './runtime/supervisor';
export type { SupervisorOptions } from './runtime/supervisor';
export { apiDocs } from './docs/api-docs';
export { DEFAULT_PROBLEMS, FILE, fhirResource, idempotencyKeyParameter, fhirSearchset, jsonSchema, openApiDocument, operationObject, operationOutcomeSchema, problemSchema } from './docs/openapi-document';
export type { ApiDescription, ApiOperation, ApiParameter, ApiResponse, HttpMethod, OpenApiDocumentObject, Schema } from './docs/openapi-document';
export { HEALTH_OPERATIONS } from './health/health.openapi';
export { devTokensAllowed } from './auth/dev-token-policy';

export { SchemaValidator, isCalendarDate, isIsoDate, isIsoDateTime } from './request-gate/json-schema';
export type { JsonSchema } from './request-gate/json-schema';
export { matchOperation, operationsOf, refResolver } from './request-gate/openapi-operations';
export type { GateOperation, OpenApiDocument } from './request-gate/openapi-operations';
export { DEFAULT_INPUT_LIMITS, requestGate, writeProblem } from './request-gate/request-gate';
export type { InputLimits, RequestGateOptions } from './request-gate/request-gate';
export { MemoryBucketStore, RedisBucketStore, clientAddress, rateLimitSettings, rateLimitsFrom } from './request-gate/rate-limit';
export type { BucketLimit, BucketStore, RateLimitClass, RateLimits, TakeResult } from './request-gate/rate-limit';
export { PrincipalRateLimitInterceptor } from './request-gate/principal-rate-limit';
export { DEFAULT_SERVER_LIMITS, answerClientErrorsAsProblems } from './request-gate/client-errors';
export type { ServerLimits } from './request-gate/client-errors';
export { rateLimitBuckets, requestGateSetup } from './request-gate/install';
export type { RequestGateSetup } from './request-gate/install';
export { readBoundedBody } from './request-gate/read-bounded-body';

export type { BlobStore } from './attachments/blob-store.port';
export { FileBlobStore } from './attachments/file-blob-store';
export { sniffType } from './attachments/sniff-type';
export type { SniffedType } from './attachments/sniff-type';
