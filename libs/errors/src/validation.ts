import { applyDecorators, ValidationError, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { unprocessable } from './api-errors';

/** "user.email must be an email" style messages, one per failed constraint. */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      parentPath ? message.replace(new RegExp(`^${escapeRegExp(error.property)}\\b`), path) : message,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Validates and transforms every DTO. Unknown properties are stripped rather
 * than refused, so existing RealWorld clients that send extra fields keep working.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => unprocessable(...flattenValidationErrors(errors)),
  });
}

/**
 * The RealWorld request envelope (`{"user": {...}}`, `{"article": {...}}`): the
 * property must be a JSON object, validated as `type`.
 */
export function IsEnvelope(type: () => new () => object) {
  return applyDecorators(IsDefined(), IsObject(), ValidateNested(), Type(type));
}
