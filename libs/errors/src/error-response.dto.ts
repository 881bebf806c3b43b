import { ApiProperty } from '@nestjs/swagger';

class ErrorListDto {
  @ApiProperty({ type: [String], example: ['email must be an email'] })
  body: string[];
}

/** OpenAPI schema of the error shape (GenericErrorModel), shared by every documented error response. */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorListDto })
  errors: ErrorListDto;
}
