import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Cursor pagination: pass endCursor as `after` to read the next page.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}
