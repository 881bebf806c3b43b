import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export const TITLE_MAX_LENGTH = 255;
export const DESCRIPTION_MAX_LENGTH = 1024;
/** Bounded well inside the request body limit; markdown articles are far shorter. */
export const BODY_MAX_LENGTH = 200_000;
export const TAG_MAX_LENGTH = 64;
export const TAGS_MAX_COUNT = 20;

const notBlank = (field: string) => Matches(/\S/, { message: `${field} can't be blank` });

export const IsArticleTitle = () => applyDecorators(IsString(), IsNotEmpty(), notBlank('title'), MaxLength(TITLE_MAX_LENGTH));
export const IsArticleDescription = () => applyDecorators(IsString(), IsNotEmpty(), notBlank('description'), MaxLength(DESCRIPTION_MAX_LENGTH));
export const IsArticleBody = () => applyDecorators(IsString(), IsNotEmpty(), notBlank('body'), MaxLength(BODY_MAX_LENGTH));
export const IsTagList = () => applyDecorators(IsArray(), ArrayMaxSize(TAGS_MAX_COUNT), IsString({ each: true }), MaxLength(TAG_MAX_LENGTH, { each: true }));
