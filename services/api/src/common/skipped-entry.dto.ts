import { ApiProperty } from '@nestjs/swagger';

/** An entry a document skipped: its place or id in the document, and why. */
export class SkippedEntryDto {
  @ApiProperty({ type: 'integer', required: false, description: 'its position in the document (from 0; said from 1: "entry 4")' }) index?: number;
  @ApiProperty({ type: 'integer', required: false, description: 'its line in the file (from 1), for line formats (JSON Lines, text captures)' }) line?: number;
  @ApiProperty({ required: false, description: "the entry's id in the feed, when it had one" }) id?: string;
  @ApiProperty({ example: 'missing title' }) message: string;
}
