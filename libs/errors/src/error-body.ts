/** The RealWorld error shape (GenericErrorModel): always string arrays under `errors.body`. */
export interface ErrorBody {
  errors: { body: string[] };
}

export function errorBody(...messages: string[]): ErrorBody {
  return { errors: { body: messages } };
}
