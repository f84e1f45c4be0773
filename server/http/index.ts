export { createApp } from './create-app.js';
export { answerClientErrors } from './client-errors.js';
export type { CreateAppOptions } from './app-options.js';
export type { AppState } from './app-state.js';
export type { Authenticate } from './auth.js';
export type { ExecutionsPort } from './executions-port.js';
export type { ErrorBody } from './errors-middleware.js';
export type { FunctionView } from './routes/functions.js';
export { createOpenApiDocument, type OpenApiOptions } from './openapi.js';
export {
  ELEMENTS_PATH,
  ElementsNotBuilt,
  readElementsBundle,
  type ElementsBundle,
} from './elements-bundle.js';
export { STATUS_BY_ERROR_TYPE } from './status-codes.js';
export { CannotListen } from './listen.js';
export {
  HttpError,
  InvalidJson,
  BodyTooDeep,
  UnsupportedMediaType,
  PayloadTooLarge,
  InvalidRequest,
  Unauthorized,
  Forbidden,
  RouteNotFound,
  MethodNotAllowed,
  NotImplemented,
} from './http-errors.js';
